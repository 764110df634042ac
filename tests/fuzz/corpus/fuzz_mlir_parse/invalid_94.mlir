func.func @scan_axis_negative(%a: tensor<8x16xf32>) {
  %0 = tile.scan sum %a {axis = -1 : i32} : tensor<8x16xf32>
  return
}
