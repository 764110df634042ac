func.func @reduce_axis_too_large(%a: tensor<16x32xf32>) {
  %0 = tile.reduce sum %a {axis = 2 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}
