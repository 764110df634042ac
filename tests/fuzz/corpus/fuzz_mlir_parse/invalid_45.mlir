func.func @store_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>, %m: tensor<2x16xi1>) {
  tile.store %p, %v, %m : tensor<32x!tile.ptr<f32>>, tensor<32xf32>, tensor<2x16xi1>
  return
}
