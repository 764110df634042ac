func.func @broadcast_element_type(%a: tensor<1x64xf32>) {
  %0 = tile.broadcast %a : tensor<1x64xf32> -> tensor<16x64xf16>
  return
}
