func.func @dot_f64_into_f32(%a: tensor<64x32xf64>, %b: tensor<32x16xf64>, %c: tensor<64x16xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<64x32xf64>, tensor<32x16xf64> -> tensor<64x16xf32>
  return
}
