// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia --canonicalize | FileCheck %s

// A masked 1-D load, an add and a masked store: the mask `offsets < n` becomes the DMA's
// byte count min(64, n - start) * 4; the masked-off lanes are pre-filled with `other`.
// Commands are asynchronous, each with a semaphore of its own: the DMA of x waits for
// x's fill, the fill of y does not wait for the DMA of x, and the add waits for both
// loads. A skipped transfer signals its semaphore from the else branch.
// CHECK-LABEL: func.func @vadd() attributes {maia.kernel}
// CHECK-DAG: %[[X:.*]] = maia.arg 0
// CHECK-DAG: %[[N:.*]] = maia.arg 3
// CHECK: %[[PID:.*]] = maia.program_id 0
// CHECK: %[[START:.*]] = arith.muli %[[PID]], %c64_i64
// CHECK: %[[LEFT:.*]] = arith.subi %[[N]], %[[START]]
// CHECK: %[[COUNT:.*]] = arith.minsi %[[LEFT]], %c64_i64
// CHECK: maia.vfill %c0_i64, %{{.*}}, %c64_i64 sem [[FX:[0-9]+]]
// CHECK: %[[BYTES:.*]] = arith.muli %[[COUNT]], %c4_i64
// CHECK: maia.wait sem [[FX]] count 1
// CHECK: scf.if
// CHECK-NEXT: maia.dma_in %c0_i64, %{{.*}}, %c1_i64, %[[BYTES]], %[[BYTES]] sem [[DX:[0-9]+]] {tsram_stride = 256 : i32}
// CHECK-NEXT: } else {
// CHECK-NEXT: maia.signal sem [[DX]] count 1
// CHECK-NOT: maia.wait sem [[DX]]
// CHECK: maia.vfill %c256_i64
// CHECK: maia.dma_in %c256_i64
// CHECK: maia.wait sem [[DX]] count 1
// CHECK: maia.wait
// CHECK-NEXT: maia.vbinary add
// CHECK: maia.dma_out
func.func @vadd(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id 0 : i32
  %c64 = arith.constant 64 : i32
  %start = arith.muli %pid, %c64 : i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %s = tile.splat %start : tensor<64xi32>
  %offs = arith.addi %s, %r : tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %m = arith.cmpi slt, %offs, %ns : tensor<64xi32>
  %zero = arith.constant 0.0 : f32
  %z = tile.splat %zero : tensor<64xf32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %yp = tile.splat %y : tensor<64x!tile.ptr<f32>>
  %yq = tile.addptr %yp, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %a = tile.load %xq, %m, %z : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %b = tile.load %yq, %m, %z : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %sum = arith.addf %a, %b : tensor<64xf32>
  %op = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %oq = tile.addptr %op, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %oq, %sum, %m : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  return
}

// -----

// A descriptor K loop with a carried accumulator: the accumulator gets one buffer,
// filled once; the dot accumulates into it in place (no copy at the yield). The loads
// depend only on the induction variable, so the loop is software-pipelined: A and B
// get two buffers each (4096/5120 and 6144/7168), the first iteration's blocks are
// fetched before the loop, and the loop, unrolled by two, fetches the next blocks into
// the other buffers before its MMA. A tail loop runs the last iteration of an odd trip
// count without fetching.
// CHECK-LABEL: func.func @gemm() attributes {maia.kernel}
// CHECK: maia.vfill %c0_i64, %c0_i64, %c1024_i64 sem {{[0-9]+}}
// CHECK: maia.dma_in %c4096_i64
// CHECK: maia.dma_in %c6144_i64
// CHECK: %[[TAIL:.*]] = scf.for %{{.*}} = %c0_i64 to %{{.*}} step %c32_i64 iter_args
// CHECK: maia.vfill %c5120_i64
// CHECK: maia.dma_in
// CHECK: maia.vfill %c7168_i64
// CHECK: maia.dma_in
// CHECK: maia.mma %c0_i64, %c4096_i64, %c6144_i64, %c32_i64, %c32_i64 k 16 sem {{[0-9]+}}
// CHECK: maia.vfill %c4096_i64
// CHECK: maia.dma_in
// CHECK: maia.vfill %c6144_i64
// CHECK: maia.dma_in
// CHECK: maia.mma %c0_i64, %c5120_i64, %c7168_i64, %c32_i64, %c32_i64 k 16 sem {{[0-9]+}}
// CHECK-NOT: maia.vunary copy
// CHECK: scf.for %{{.*}} = %[[TAIL]] to %{{.*}} step %c16_i64 : i64 {
// CHECK-NOT: maia.dma_in
// CHECK: maia.mma %c0_i64, %c4096_i64, %c6144_i64, %c32_i64, %c32_i64 k 16 sem {{[0-9]+}}
// CHECK: }
// CHECK: maia.dma_out %{{.*}}, %c0_i64
func.func @gemm(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  %acc = scf.for %k = %c0 to %K step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%c0, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %c0] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%c0, %c0], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}

