func.func @left_alone(%a: memref<8x4xf32>, %b: memref<4x20xf32>, %c: memref<8x20xf32>,
                      %ai: memref<8x4xi8>, %bi: memref<4x32xi8>, %ci: memref<8x32xi32>,
                      %at: tensor<8x4xf32>, %bt: tensor<4x32xf32>, %ct: tensor<8x32xf32>) -> tensor<8x32xf32> {
  linalg.matmul ins(%a, %b : memref<8x4xf32>, memref<4x20xf32>) outs(%c : memref<8x20xf32>)
  linalg.matmul ins(%ai, %bi : memref<8x4xi8>, memref<4x32xi8>) outs(%ci : memref<8x32xi32>)
  %r = linalg.matmul ins(%at, %bt : tensor<8x4xf32>, tensor<4x32xf32>) outs(%ct : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}
