func.func @trans_order_duplicate(%a: tensor<16x32xf32>) {
  %0 = tile.trans %a, [1, 1] : tensor<16x32xf32> -> tensor<32x32xf32>
  return
}
