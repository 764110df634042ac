// RUN: tegula-opt %s -split-input-file --tegula-expand-gpu-descriptors -verify-diagnostics | FileCheck %s

// A descriptor block becomes pointers (base + row * stride0 + col * stride1) and a mask
// (both coordinates inside the shape); outside reads as zero, and is not written.
// CHECK-LABEL: func.func @copy
// CHECK-NOT: tile.make_desc
// CHECK: tile.range 0 to 16 : tensor<16xi32>
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: tile.range 0 to 32 : tensor<32xi32>
// CHECK: %[[P:.*]] = tile.addptr {{.*}} : tensor<16x32x!tile.ptr<f32>>, tensor<16x32xi32>
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16x32xf32>
// CHECK: %[[V:.*]] = tile.load %[[P]], %{{.*}}, %[[Z]] :
// CHECK: tile.store %{{.*}}, %[[V]], %{{.*}} : tensor<16x32x!tile.ptr<f32>>, tensor<16x32xf32>, tensor<16x32xi1>
// CHECK-NOT: tile.desc
func.func @copy(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %m: i32, %n: i32, %i: i32, %j: i32) attributes {tile.kernel} {
  %c1 = arith.constant 1 : i32
  %dx = tile.make_desc %x, shape [%m, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x32xf32>
  %dy = tile.make_desc %y, shape [%m, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x32xf32>
  %v = tile.desc_load %dx[%i, %j] : !tile.desc<16x32xf32> -> tensor<16x32xf32>
  tile.desc_store %dy[%i, %j], %v : !tile.desc<16x32xf32>, tensor<16x32xf32>
  return
}

// -----

// A descriptor carried into a loop is not followed.
func.func @carried(%x: !tile.ptr<f32>, %m: i32, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %dx = tile.make_desc %x, shape [%m, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x32xf32>
  %r = scf.for %k = %c0 to %m step %c1 iter_args(%d = %dx) -> (!tile.desc<16x32xf32>) : i32 {
    // expected-error @+1 {{the GPU lowering reads descriptors made in the kernel (tile.make_desc), not ones carried through loops or branches}}
    %v = tile.desc_load %d[%k, %c0] : !tile.desc<16x32xf32> -> tensor<16x32xf32>
    scf.yield %d : !tile.desc<16x32xf32>
  }
  return
}
