func.func @reduce_wrong_axis_removed(%a: tensor<16x32xf32>) {
  %0 = tile.reduce sum %a {axis = 0 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}
