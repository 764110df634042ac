// RUN: tegula-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(tegula-lower-matmul-to-microkernel))' | FileCheck %s

// A 16x32 f32 block: two 8-row register blocks, each with 8x2 vector accumulators
// loaded once, a k loop of broadcast + FMA, then stored.
// CHECK-LABEL: func.func @f32_block
// CHECK-NOT: linalg.matmul
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:   scf.for %{{.*}} = %c0 to %c32 step %c32
// CHECK-COUNT-16: vector.load %arg2
// CHECK:     scf.for %{{.*}} = %c0 to %c24 step %c1 iter_args
// CHECK-COUNT-2: vector.load %arg1
// CHECK:       memref.load %arg0
// CHECK:       vector.broadcast
// CHECK-COUNT-2: vector.fma
// CHECK:     scf.yield
// CHECK-COUNT-16: vector.store
func.func @f32_block(%a: memref<16x24xf32>, %b: memref<24x32xf32>, %c: memref<16x32xf32>) {
  linalg.matmul ins(%a, %b : memref<16x24xf32>, memref<24x32xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// bf16 inputs are widened to f32 before the FMA.
// CHECK-LABEL: func.func @bf16_block
// CHECK: vector.load %arg1{{.*}} : memref<4x32xbf16>, vector<16xbf16>
// CHECK: arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK: memref.load %arg0{{.*}} : memref<8x4xbf16>
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: vector.fma
func.func @bf16_block(%a: memref<8x4xbf16>, %b: memref<4x32xbf16>, %c: memref<8x32xf32>) {
  linalg.matmul ins(%a, %b : memref<8x4xbf16>, memref<4x32xbf16>) outs(%c : memref<8x32xf32>)
  return
}

// -----

// A C that the 8x32 block does not divide gets a narrower block: 7 rows one at a time,
// 16 columns as one vector per row.
// CHECK-LABEL: func.func @narrow_blocks
// CHECK-NOT: linalg.matmul
// CHECK: vector.fma {{.*}} : vector<16xf32>
func.func @narrow_blocks(%a: memref<7x4xf32>, %b: memref<4x32xf32>, %c: memref<7x32xf32>,
                         %a2: memref<16x4xf32>, %b2: memref<4x16xf32>, %c2: memref<16x16xf32>) {
  linalg.matmul ins(%a, %b : memref<7x4xf32>, memref<4x32xf32>) outs(%c : memref<7x32xf32>)
  linalg.matmul ins(%a2, %b2 : memref<16x4xf32>, memref<4x16xf32>) outs(%c2 : memref<16x16xf32>)
  return
}

// -----

// Columns that are not a whole number of vectors, tensors, and integer matmuls stay as
// they are for the generic loop lowering.
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.matmul ins(%arg0, %arg1 : memref<8x4xf32>, memref<4x20xf32>
// CHECK: linalg.matmul ins(%arg3, %arg4 : memref<8x4xi8>
// CHECK: linalg.matmul ins(%arg6, %arg7 : tensor<8x4xf32>
func.func @left_alone(%a: memref<8x4xf32>, %b: memref<4x20xf32>, %c: memref<8x20xf32>,
                      %ai: memref<8x4xi8>, %bi: memref<4x32xi8>, %ci: memref<8x32xi32>,
                      %at: tensor<8x4xf32>, %bt: tensor<4x32xf32>, %ct: tensor<8x32xf32>) -> tensor<8x32xf32> {
  linalg.matmul ins(%a, %b : memref<8x4xf32>, memref<4x20xf32>) outs(%c : memref<8x20xf32>)
  linalg.matmul ins(%ai, %bi : memref<8x4xi8>, memref<4x32xi8>) outs(%ci : memref<8x32xi32>)
  %r = linalg.matmul ins(%at, %bt : tensor<8x4xf32>, tensor<4x32xf32>) outs(%ct : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}
