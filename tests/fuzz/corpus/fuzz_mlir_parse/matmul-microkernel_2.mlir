func.func @narrow_blocks(%a: memref<7x4xf32>, %b: memref<4x32xf32>, %c: memref<7x32xf32>,
                         %a2: memref<16x4xf32>, %b2: memref<4x16xf32>, %c2: memref<16x16xf32>) {
  linalg.matmul ins(%a, %b : memref<7x4xf32>, memref<4x32xf32>) outs(%c : memref<7x32xf32>)
  linalg.matmul ins(%a2, %b2 : memref<16x4xf32>, memref<4x16xf32>) outs(%c2 : memref<16x16xf32>)
  return
}
