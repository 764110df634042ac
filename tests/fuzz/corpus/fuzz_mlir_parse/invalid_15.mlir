func.func @expand_dims_axis_negative(%a: tensor<32xf32>) {
  %0 = tile.expand_dims %a {axis = -1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  return
}
