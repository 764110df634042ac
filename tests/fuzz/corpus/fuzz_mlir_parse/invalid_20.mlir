func.func @trans_order_length(%a: tensor<16x32xf32>) {
  %0 = tile.trans %a, [0] : tensor<16x32xf32> -> tensor<16x32xf32>
  return
}
