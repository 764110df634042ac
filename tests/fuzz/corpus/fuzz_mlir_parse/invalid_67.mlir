func.func @atomic_rmw_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>, %m: tensor<8xi1>) {
  %0 = tile.atomic_rmw max %p, %v, %m : tensor<32x!tile.ptr<f32>>, tensor<32xf32>, tensor<8xi1>
  return
}
