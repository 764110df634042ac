func.func @atomic_cas_value_shape(%p: tensor<32x!tile.ptr<i32>>, %v: tensor<16xi32>) {
  %0 = tile.atomic_cas %p, %v, %v : tensor<32x!tile.ptr<i32>>, tensor<16xi32>
  return
}
