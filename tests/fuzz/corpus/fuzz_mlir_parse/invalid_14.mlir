func.func @expand_dims_axis_too_large(%a: tensor<32xf32>) {
  %0 = tile.expand_dims %a {axis = 2 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  return
}
