func.func @load_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<16xi1>) {
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<16xi1>
  return
}
