// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia=cluster-tiles=4 --canonicalize | FileCheck %s

// A's blocks depend on program id 0 only and B's on program id 1 only, so the kernel
// runs as 2x2 squares: each instance reads its place in the square, clamps its block
// to the grid, and the K loop starts with a barrier and the first fetches into the
// CSRAM window (bit 62). Each iteration waits for this instance's fetches, passes the
// barrier, copies A and B from CSRAM into TSRAM, fetches the next iteration's slices
// into the other stage, then multiplies.
// CHECK-LABEL: func.func @gemm() attributes {maia.cluster_squares, maia.kernel}
// CHECK-DAG: %[[WINDOW:.*]] = arith.constant 4611686018427387904 : i64
// CHECK: maia.cluster_pid 0
// CHECK: maia.cluster_pid 1
// CHECK: maia.program_id 0
// CHECK: maia.num_programs 0
// CHECK: maia.cluster_barrier
// CHECK: arith.addi %{{.*}}, %[[WINDOW]]
// CHECK: maia.dma_in
// CHECK: maia.dma_in
// CHECK: scf.for
// CHECK: maia.wait sem 1 count 1
// CHECK-NEXT: maia.wait sem 2 count 1
// CHECK-NEXT: maia.cluster_barrier
// CHECK: maia.dma_in %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c32_i64 sem {{[34]}}
// CHECK: maia.dma_in %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c64_i64 sem {{[34]}}
// CHECK: maia.dma_in {{.*}} sem 1
// CHECK: maia.dma_in {{.*}} sem 2
// CHECK: maia.mma
// CHECK: maia.cluster_barrier
// CHECK: maia.mma
// The tail iteration passes the barrier too (the fetches were waited for before it).
// CHECK: scf.for
// CHECK-NEXT: maia.cluster_barrier
// CHECK: maia.mma
// CHECK: maia.dma_out
func.func @gemm(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %c32 = arith.constant 32 : i32
  %p0 = tile.program_id 0 : i32
  %p1 = tile.program_id 1 : i32
  %row = arith.muli %p0, %c32 : i32
  %col = arith.muli %p1, %c32 : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  %acc = scf.for %k = %c0 to %K step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%row, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %col] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%row, %col], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}

// -----

// Both of A's block coordinates come from program ids: no instance of a square reads
// another's slices, so nothing is shared.
// CHECK-LABEL: func.func @diagonal() attributes {maia.kernel}
// CHECK-NOT: maia.cluster_barrier
func.func @diagonal(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %c32 = arith.constant 32 : i32
  %p0 = tile.program_id 0 : i32
  %p1 = tile.program_id 1 : i32
  %sum = arith.addi %p0, %p1 : i32
  %row = arith.muli %sum, %c32 : i32
  %col = arith.muli %p1, %c32 : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  %acc = scf.for %k = %c0 to %K step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%row, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %c0] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%row, %col], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}

// -----

// A loop whose trip count depends on the program id: the instances of a square would
// pass different numbers of barriers, so nothing is shared.
// CHECK-LABEL: func.func @ragged() attributes {maia.kernel}
// CHECK-NOT: maia.cluster_barrier
func.func @ragged(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %c32 = arith.constant 32 : i32
  %p0 = tile.program_id 0 : i32
  %p1 = tile.program_id 1 : i32
  %row = arith.muli %p0, %c32 : i32
  %col = arith.muli %p1, %c32 : i32
  %end = arith.minsi %K, %row : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  %acc = scf.for %k = %c0 to %end step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%row, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %col] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%row, %col], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}
