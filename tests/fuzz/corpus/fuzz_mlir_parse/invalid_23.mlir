func.func @trans_order_negative(%a: tensor<16x32xf32>) {
  %0 = tile.trans %a, [-1, 0] : tensor<16x32xf32> -> tensor<32x16xf32>
  return
}
