// RUN: tegula-opt %s --tegula-convert-tile-to-maia --canonicalize | FileCheck %s

// Scalar conditions are 0/1 integers built from min and subtraction (the control
// processor has no flags): a >= 0 is 1 - min(max(0 - a, 0), 1) and a < n is
// min(max(n - a, 0), 1); `and` is min; select is y + c (x - y). A masked scalar load
// reads only when its condition is set (an scf.if around ldw, `other` otherwise), and a
// mask joined with a splat condition bounds its last dimension by condition * 2^30.
// CHECK-LABEL: func.func @scalar_conditions() attributes {maia.kernel}
// CHECK-DAG: %[[A:.*]] = maia.arg 2
// CHECK-DAG: %[[N:.*]] = maia.arg 3
// CHECK: %[[GE:.*]] = arith.subi %c1_i64, %{{.*}} : i64
// CHECK: arith.subi %[[A]], %[[N]] : i64
// CHECK: %[[USED:.*]] = arith.minsi %[[GE]], %{{.*}} : i64
// CHECK: arith.muli %[[USED]], %[[A]] : i64
// CHECK: %[[SET:.*]] = arith.cmpi ne, %[[USED]], %c0_i64
// CHECK: %[[RANK:.*]] = scf.if %[[SET]] -> (i64) {
// CHECK-NEXT: %[[WORD:.*]] = maia.ldw
// CHECK-NEXT: scf.yield %[[WORD]]
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %c0_i64
// CHECK: %[[GATE:.*]] = arith.muli %[[USED]], %c1073741824_i64
// CHECK: arith.minsi %[[RANK]], %[[GATE]]
// CHECK: maia.dma_out
func.func @scalar_conditions(%p: !tile.ptr<i32>, %o: !tile.ptr<f32>, %a: i32, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %ge = arith.cmpi sge, %a, %c0 : i32
  %lt = arith.cmpi slt, %a, %n : i32
  %used = arith.andi %ge, %lt : i1
  %idx = arith.select %used, %a, %c0 : i32
  %q = tile.addptr %p, %idx : !tile.ptr<i32>, i32
  %rank = tile.load %q, %used, %c0 : !tile.ptr<i32> -> i32, i1, i32
  %r = tile.range 0 to 16 : tensor<16xi32>
  %rs = tile.splat %rank : tensor<16xi32>
  %m = arith.cmpi slt, %r, %rs : tensor<16xi32>
  %us = tile.splat %used : tensor<16xi1>
  %keep = arith.andi %m, %us : tensor<16xi1>
  %one = arith.constant 1.0 : f32
  %v = tile.splat %one : tensor<16xf32>
  %os = tile.splat %o : tensor<16x!tile.ptr<f32>>
  %oq = tile.addptr %os, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  tile.store %oq, %v, %keep : tensor<16x!tile.ptr<f32>>, tensor<16xf32>, tensor<16xi1>
  return
}
