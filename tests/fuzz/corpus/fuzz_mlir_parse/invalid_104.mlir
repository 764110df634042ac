func.func @dot_precision_value(%a: tensor<16x8xf32>, %b: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %0 = tile.dot %a, %b, %c {input_precision = 7 : i32} : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}
