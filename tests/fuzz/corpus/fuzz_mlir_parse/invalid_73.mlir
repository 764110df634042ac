func.func @dot_rank(%a: tensor<32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<32xf32>, tensor<32x16xf32> -> tensor<64x16xf32>
  return
}
