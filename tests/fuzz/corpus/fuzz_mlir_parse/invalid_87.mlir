func.func @reduce_rank1_to_tile(%a: tensor<16xf32>) {
  %0 = tile.reduce sum %a {axis = 0 : i32} : tensor<16xf32> -> tensor<1xf32>
  return
}
