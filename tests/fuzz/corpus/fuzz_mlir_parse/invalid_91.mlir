func.func @reduce_unknown_kind(%a: tensor<16xf32>) {
  %0 = tile.reduce prod %a {axis = 0 : i32} : tensor<16xf32> -> f32
  return
}
