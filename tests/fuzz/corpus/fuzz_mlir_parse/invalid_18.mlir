func.func @reshape_element_count(%a: tensor<16x32xf32>) {
  %0 = tile.reshape %a : tensor<16x32xf32> -> tensor<16x16xf32>
  return
}
