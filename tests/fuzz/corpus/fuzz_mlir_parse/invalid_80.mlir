func.func @dot_i8_into_f32(%a: tensor<64x32xi8>, %b: tensor<32x16xi8>, %c: tensor<64x16xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<64x32xi8>, tensor<32x16xi8> -> tensor<64x16xf32>
  return
}
