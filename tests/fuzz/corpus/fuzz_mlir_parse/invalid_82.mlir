func.func @dot_f32_into_i32(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xi32>) {
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x16xi32>
  return
}
