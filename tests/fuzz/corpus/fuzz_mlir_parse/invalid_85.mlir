func.func @reduce_axis_negative(%a: tensor<16x32xf32>) {
  %0 = tile.reduce max %a {axis = -1 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}
