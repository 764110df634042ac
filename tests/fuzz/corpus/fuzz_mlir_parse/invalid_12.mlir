func.func @broadcast_shrink(%a: tensor<16x64xf32>) {
  %0 = tile.broadcast %a : tensor<16x64xf32> -> tensor<16x1xf32>
  return
}
