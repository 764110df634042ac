func.func @scan_reverse_not_bool(%a: tensor<16xf32>) {
  %0 = tile.scan sum %a {axis = 0 : i32, reverse = 1 : i32} : tensor<16xf32>
  return
}
