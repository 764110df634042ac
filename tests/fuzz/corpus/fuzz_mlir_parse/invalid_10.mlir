func.func @broadcast_rank_change(%a: tensor<64xf32>) {
  %0 = tile.broadcast %a : tensor<64xf32> -> tensor<16x64xf32>
  return
}
