func.func @scan_axis_too_large(%a: tensor<16xf32>) {
  %0 = tile.scan sum %a {axis = 1 : i32} : tensor<16xf32>
  return
}
