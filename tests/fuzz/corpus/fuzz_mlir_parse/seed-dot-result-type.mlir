func.func @dot_result_type(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xf32>) {
  %0 = "tile.dot"(%a, %b, %c) : (tensor<64x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>) -> tensor<64x16xf64>
  return
}
