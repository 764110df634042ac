func.func @dot(%a: tensor<16x8xf16>, %b: tensor<8x32xf16>, %c: tensor<16x32xf32>,
               %ai: tensor<16x8xi8>, %bi: tensor<8x32xi8>, %ci: tensor<16x32xi32>)
    -> (tensor<16x32xf32>, tensor<16x32xi32>) attributes {tile.kernel} {
  %0 = tile.dot %a, %b, %c : tensor<16x8xf16>, tensor<8x32xf16> -> tensor<16x32xf32>
  %1 = tile.dot %ai, %bi, %ci : tensor<16x8xi8>, tensor<8x32xi8> -> tensor<16x32xi32>
  return %0, %1 : tensor<16x32xf32>, tensor<16x32xi32>
}
