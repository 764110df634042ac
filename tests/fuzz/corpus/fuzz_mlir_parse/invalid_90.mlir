func.func @reduce_argmin_rank2_not_i32(%a: tensor<16x32xf16>) {
  %0 = tile.reduce argmin %a {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  return
}
