func.func @reshape_element_type(%a: tensor<16x32xf32>) {
  %0 = tile.reshape %a : tensor<16x32xf32> -> tensor<512xf16>
  return
}
