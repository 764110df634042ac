func.func @bf16_block(%a: memref<8x4xbf16>, %b: memref<4x32xbf16>, %c: memref<8x32xf32>) {
  linalg.matmul ins(%a, %b : memref<8x4xbf16>, memref<4x32xbf16>) outs(%c : memref<8x32xf32>)
  return
}
