// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia | FileCheck %s --check-prefix=DEFAULT
// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia="semaphores=2" -verify-diagnostics | FileCheck %s --check-prefix=ONE
// RUN: not tegula-opt %s --tegula-convert-tile-to-maia="semaphores=33" 2>&1 | FileCheck %s --check-prefix=RANGE

// The semaphores a tile has come from the machine description (`semaphores` in its
// [tile] section, which the maia target passes on); s0 is left alone. With the default
// 32, vadd's fill and DMA of y overlap those of x on s2; with two (s1 only), each
// command waits for the one before, and a pipelined loop, which reserves four, is
// refused.
// DEFAULT-LABEL: func.func @vadd
// DEFAULT: sem 2
// DEFAULT-LABEL: func.func @gemm
// DEFAULT: sem 5
// ONE-LABEL: func.func @vadd
// ONE-NOT: sem {{[02-9]}}
// ONE: return
// RANGE: semaphores must be 2..32 (s0 is not used), got 33
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

func.func @gemm(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  // expected-error @+1 {{the loop's loads need more semaphores than are free, and an unpipelined form is not lowered}}
  %acc = scf.for %k = %c0 to %K step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%c0, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %c0] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%c0, %c0], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}
