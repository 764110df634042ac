func.func @trans_order_out_of_range(%a: tensor<2x4x8xf32>) {
  %0 = tile.trans %a, [0, 3, 1] : tensor<2x4x8xf32> -> tensor<2x8x4xf32>
  return
}
