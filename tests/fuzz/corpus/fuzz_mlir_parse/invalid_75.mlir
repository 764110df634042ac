func.func @dot_inner_dims(%a: tensor<64x32xf32>, %b: tensor<16x16xf32>, %c: tensor<64x16xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<16x16xf32> -> tensor<64x16xf32>
  return
}
