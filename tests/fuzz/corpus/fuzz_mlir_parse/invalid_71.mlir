func.func @atomic_cas_float(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>) {
  %0 = tile.atomic_cas %p, %v, %v : tensor<32x!tile.ptr<f32>>, tensor<32xf32>
  return
}
