// RUN: tegula-opt %s --pass-pipeline='builtin.module(func.func(tegula-copies-to-linalg))' | FileCheck %s

// A strided copy becomes linalg.copy, which convert-linalg-to-loops compiles, instead
// of a call into MLIR's C runner library.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<4xf32, strided<[2], offset: 1>>) outs(%{{.*}} : memref<4xf32>)
func.func @strided(%src: memref<4xf32, strided<[2], offset: 1>>, %dst: memref<4xf32>) {
  memref.copy %src, %dst : memref<4xf32, strided<[2], offset: 1>> to memref<4xf32>
  return
}
