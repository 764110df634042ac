func.func @reduce_argmax_not_i32(%a: tensor<16xf32>) {
  %0 = tile.reduce argmax %a {axis = 0 : i32} : tensor<16xf32> -> f32
  return
}
