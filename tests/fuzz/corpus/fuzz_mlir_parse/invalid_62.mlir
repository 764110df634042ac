func.func @atomic_rmw_value_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<16xf32>) {
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f32>>, tensor<16xf32>
  return
}
