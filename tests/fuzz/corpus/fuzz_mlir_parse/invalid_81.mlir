func.func @dot_i32_inputs(%a: tensor<64x32xi32>, %b: tensor<32x16xi32>, %c: tensor<64x16xi32>) {
  %0 = tile.dot %a, %b, %c : tensor<64x32xi32>, tensor<32x16xi32> -> tensor<64x16xi32>
  return
}
