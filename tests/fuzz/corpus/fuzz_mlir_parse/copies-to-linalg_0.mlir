func.func @strided(%src: memref<4xf32, strided<[2], offset: 1>>, %dst: memref<4xf32>) {
  memref.copy %src, %dst : memref<4xf32, strided<[2], offset: 1>> to memref<4xf32>
  return
}
