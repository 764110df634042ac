func.func @atomic_rmw_element_type(%p: tensor<32x!tile.ptr<f64>>, %v: tensor<32xf32>) {
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f64>>, tensor<32xf32>
  return
}
