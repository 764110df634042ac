func.func @broadcast_non_unit_dim(%a: tensor<2x64xf32>) {
  %0 = tile.broadcast %a : tensor<2x64xf32> -> tensor<16x64xf32>
  return
}
