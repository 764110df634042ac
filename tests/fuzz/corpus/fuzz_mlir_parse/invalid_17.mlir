func.func @expand_dims_element_type(%a: tensor<32xf32>) {
  %0 = tile.expand_dims %a {axis = 0 : i32} : tensor<32xf32> -> tensor<1x32xi32>
  return
}
