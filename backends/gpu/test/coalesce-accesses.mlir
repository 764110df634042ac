// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses | FileCheck %s
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses="warp-size=64" | FileCheck %s --check-prefix=WAVE64
// RUN: not tegula-opt %s --tegula-coalesce-gpu-accesses="num-warps=3" 2>&1 | FileCheck %s --check-prefix=WARPS

// Vector add over 1024 f32 with 16-divisible pointers and n: the offsets run in
// blocks of 1024 from a multiple of 1024, the mask `offsets < n` is constant over 16
// of them, so each thread moves 4 elements (16 bytes) at a time; 128 lanes of 4 warps
// cover 512, registers repeat twice. The same pass makes wave64 blocks for AMD.
// CHECK-LABEL: func.func @vadd
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// CHECK: tile.store {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [4], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
// WAVE64-LABEL: func.func @vadd
// WAVE64: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [4], threadsPerWarp = [64], warpsPerCTA = [4], order = [0]>
// WARPS: num-warps and warp-size must be powers of two up to 1024, got 3
func.func @vadd(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                %n: i32 {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %pid = tile.program_id 0 : i32
  %c1024 = arith.constant 1024 : i32
  %start = arith.muli %pid, %c1024 : i32
  %r = tile.range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %start : tensor<1024xi32>
  %offs = arith.addi %s, %r : tensor<1024xi32>
  %ns = tile.splat %n : tensor<1024xi32>
  %m = arith.cmpi slt, %offs, %ns : tensor<1024xi32>
  %zero = arith.constant 0.0 : f32
  %z = tile.splat %zero : tensor<1024xf32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %a = tile.load %xq, %m, %z : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>, tensor<1024xi1>, tensor<1024xf32>
  %op = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %oq = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oq, %a, %m : tensor<1024x!tile.ptr<f32>>, tensor<1024xf32>, tensor<1024xi1>
  return
}

// -----

// The same kernel where nothing is known of n: the mask may change at any element, so
// a thread moves one element at a time (still coalesced: consecutive lanes, consecutive
// elements).
// CHECK-LABEL: func.func @vadd_any_n
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>
func.func @vadd_any_n(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id 0 : i32
  %c1024 = arith.constant 1024 : i32
  %start = arith.muli %pid, %c1024 : i32
  %r = tile.range 0 to 1024 : tensor<1024xi32>
  %s = tile.splat %start : tensor<1024xi32>
  %offs = arith.addi %s, %r : tensor<1024xi32>
  %ns = tile.splat %n : tensor<1024xi32>
  %m = arith.cmpi slt, %offs, %ns : tensor<1024xi32>
  %zero = arith.constant 0.0 : f32
  %z = tile.splat %zero : tensor<1024xf32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %a = tile.load %xq, %m, %z : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>, tensor<1024xi1>, tensor<1024xf32>
  return
}

// -----

// Rows of a 4x256 f16 block (a softmax's rows) at a 16-divisible row stride: 8 halves
// (16 bytes) per thread along the row, a warp's 32 lanes across one row, the 4 warps
// down the rows. The same block read down its columns (stride 1 between rows, the
// stride between columns unknown) orders the rows first and moves one element.
// CHECK-LABEL: func.func @rows
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [1, 8], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]>
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [1, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 4], order = [0, 1]>
func.func @rows(%x: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %stride: i32 {tile.divisibility = 16 : i32},
                %cstride: i32) attributes {tile.kernel} {
  %rows = tile.range 0 to 4 : tensor<4xi32>
  %cols = tile.range 0 to 256 : tensor<256xi32>
  %r1 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c1 = tile.expand_dims %cols {axis = 0 : i32} : tensor<256xi32> -> tensor<1x256xi32>
  %ss = tile.splat %stride : tensor<4x1xi32>
  %roff = arith.muli %r1, %ss : tensor<4x1xi32>
  %rb = tile.broadcast %roff : tensor<4x1xi32> -> tensor<4x256xi32>
  %cb = tile.broadcast %c1 : tensor<1x256xi32> -> tensor<4x256xi32>
  %offs = arith.addi %rb, %cb : tensor<4x256xi32>
  %xp = tile.splat %x : tensor<4x256x!tile.ptr<f16>>
  %xq = tile.addptr %xp, %offs : tensor<4x256x!tile.ptr<f16>>, tensor<4x256xi32>
  %a = tile.load %xq : tensor<4x256x!tile.ptr<f16>> -> tensor<4x256xf16>
  %cs = tile.splat %cstride : tensor<1x256xi32>
  %coff = arith.muli %c1, %cs : tensor<1x256xi32>
  %cb2 = tile.broadcast %coff : tensor<1x256xi32> -> tensor<4x256xi32>
  %rb2 = tile.broadcast %r1 : tensor<4x1xi32> -> tensor<4x256xi32>
  %toffs = arith.addi %rb2, %cb2 : tensor<4x256xi32>
  %tq = tile.addptr %xp, %toffs : tensor<4x256x!tile.ptr<f16>>, tensor<4x256xi32>
  %b = tile.load %tq : tensor<4x256x!tile.ptr<f16>> -> tensor<4x256xf16>
  return
}
