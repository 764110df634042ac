func.func @load_scalar_mask_for_tile(%p: tensor<32x!tile.ptr<f32>>, %m: i1) {
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, i1
  return
}
