func.func @atomic_rmw_unsupported_f16(%p: tensor<32x!tile.ptr<f16>>, %v: tensor<32xf16>) {
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f16>>, tensor<32xf16>
  return
}
