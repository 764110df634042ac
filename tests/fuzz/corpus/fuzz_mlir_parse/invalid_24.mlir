func.func @trans_wrong_result(%a: tensor<16x32xf32>) {
  %0 = tile.trans %a, [1, 0] : tensor<16x32xf32> -> tensor<16x32xf32>
  return
}
