func.func @reduce_element_type(%a: tensor<16xf32>) {
  %0 = tile.reduce min %a {axis = 0 : i32} : tensor<16xf32> -> f16
  return
}
