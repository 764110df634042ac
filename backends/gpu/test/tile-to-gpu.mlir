// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts --tegula-convert-tile-to-gpu -canonicalize -verify-diagnostics | FileCheck %s
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses="warp-size=64" --tegula-assign-gpu-layouts --tegula-convert-tile-to-gpu -canonicalize -verify-diagnostics | FileCheck %s --check-prefix=WAVE64
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16" --tegula-convert-tile-to-gpu -canonicalize -verify-diagnostics | FileCheck %s --check-prefix=MMA
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses="warp-size=64" --tegula-assign-gpu-layouts="matrix-instructions=mfma.32x32x8" --tegula-convert-tile-to-gpu -canonicalize -verify-diagnostics | FileCheck %s --check-prefix=MFMA

// Vector add laid out in 16-byte vectors: each of the 128 threads holds 8 elements in
// two runs of 4, each loaded and stored as one aligned vector under its mask. Nothing
// of the tile dialect is left.
// CHECK-LABEL: gpu.module @tegula_kernels
// CHECK: gpu.func @vadd(%{{.*}}: !llvm.ptr<1>, %{{.*}}: !llvm.ptr<1>, %{{.*}}: i32) kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// CHECK: gpu.thread_id x
// CHECK-COUNT-2: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK-COUNT-2: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<1>
// CHECK-NOT: tile.
// WAVE64: gpu.func @vadd({{.*}}) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// WAVE64-COUNT-1: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// WAVE64-NOT: llvm.load
module {
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
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %a = tile.load %xq, %m : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>, tensor<1024xi1>
  %b = arith.addf %a, %a : tensor<1024xf32>
  %op = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %oq = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oq, %b, %m : tensor<1024x!tile.ptr<f32>>, tensor<1024xf32>, tensor<1024xi1>
  return
}
}

// -----

// A row of 32 is held by the 32 lanes of one warp: its sum is a butterfly of five
// shuffles and no shared memory, and the 4 sums are stored from where they are. With
// 64 lanes a wavefront holds two rows, and the butterfly stays within each half
// (width 64, partners 1 to 16).
// CHECK-LABEL: gpu.func @rowsum
// CHECK-NOT: workgroup
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c8_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c16_i32, %c32_i32
// CHECK-NOT: gpu.shuffle
// CHECK-NOT: memref.
// WAVE64-LABEL: gpu.func @rowsum
// WAVE64: gpu.shuffle xor %{{.*}}, %c16_i32, %c64_i32
// WAVE64-NOT: gpu.shuffle xor %{{.*}}, %c32_i32
module {
func.func @rowsum(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %rows = tile.range 0 to 4 : tensor<4xi32>
  %cols = tile.range 0 to 32 : tensor<32xi32>
  %c32 = arith.constant 32 : i32
  %r2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %s = tile.splat %c32 : tensor<4x1xi32>
  %ro = arith.muli %r2, %s : tensor<4x1xi32>
  %c2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rb = tile.broadcast %ro : tensor<4x1xi32> -> tensor<4x32xi32>
  %cb = tile.broadcast %c2 : tensor<1x32xi32> -> tensor<4x32xi32>
  %off = arith.addi %rb, %cb : tensor<4x32xi32>
  %p = tile.splat %x : tensor<4x32x!tile.ptr<f32>>
  %q = tile.addptr %p, %off : tensor<4x32x!tile.ptr<f32>>, tensor<4x32xi32>
  %v = tile.load %q : tensor<4x32x!tile.ptr<f32>> -> tensor<4x32xf32>
  %sum = tile.reduce sum %v {axis = 1 : i32} : tensor<4x32xf32> -> tensor<4xf32>
  %e = tile.expand_dims %sum {axis = 1 : i32} : tensor<4xf32> -> tensor<4x1xf32>
  %op = tile.splat %o : tensor<4x1x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r2 : tensor<4x1x!tile.ptr<f32>>, tensor<4x1xi32>
  tile.store %oq, %e : tensor<4x1x!tile.ptr<f32>>, tensor<4x1xf32>
  return
}
}

// -----

// A sum of 1024 elements spread over 4 warps: each warp's butterfly leaves a partial
// sum, lane 0 of each writes it to shared memory, and every thread adds the four in
// warp order. The scalar result is stored by the first thread only.
// CHECK-LABEL: gpu.func @total
// CHECK-SAME: workgroup(%[[BUF:.*]] : memref<4xf32, #gpu.address_space<workgroup>>)
// CHECK: gpu.shuffle xor %{{.*}}, %c16_i32, %c32_i32
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %[[BUF]][%{{.*}}] {tgpu.exchange = 0 : i64}
// CHECK-COUNT-4: memref.load %[[BUF]]
// CHECK: scf.if
// CHECK: llvm.store %{{.*}} : f32, !llvm.ptr<1>
// WAVE64-LABEL: gpu.func @total
// WAVE64: gpu.shuffle xor %{{.*}}, %c32_i32, %c64_i32
module {
func.func @total(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 1024 : tensor<1024xi32>
  %p = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %v = tile.load %q : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>
  %sum = tile.reduce sum %v {axis = 0 : i32} : tensor<1024xf32> -> f32
  tile.store %o, %sum : !tile.ptr<f32>, f32
  return
}
}

// -----

// An argmax reduces (value, index) pairs: each butterfly step shuffles both, and the
// partners compare values, ties going to the smaller index.
// CHECK-LABEL: gpu.func @argmax
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK-NEXT: arith.bitcast
// CHECK-NEXT: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpi slt
// CHECK: llvm.store %{{.*}} : i32, !llvm.ptr<1>
module {
func.func @argmax(%x: !tile.ptr<f32>, %o: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %q : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %i = tile.reduce argmax %v {axis = 0 : i32} : tensor<128xf32> -> i32
  tile.store %o, %i : !tile.ptr<i32>, i32
  return
}
}

// -----

// A scan of 128 elements over four warps, one per thread: each lane bit is a shuffle of
// the group totals, after which the later lane of each pair folds its partner's total
// into its prefix; the two warp bits meet in shared memory, a buffer per step.
// CHECK-LABEL: gpu.func @cumsum
// CHECK-SAME: workgroup(%[[W0:.*]] : memref<128xf32, #gpu.address_space<workgroup>>, %[[W1:.*]] : memref<128xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[LANE:.*]] = arith.andi %{{.*}}, %c31_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32
// CHECK: %[[BIT0:.*]] = arith.andi %[[LANE]], %c1_i32
// CHECK: %[[LATER:.*]] = arith.cmpi ne, %[[BIT0]], %c0_i32
// CHECK: %[[FOLDED:.*]] = arith.addf
// CHECK: arith.select %[[LATER]], %[[FOLDED]]
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c8_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c16_i32, %c32_i32
// CHECK: memref.store %{{.*}}, %[[W0]]
// CHECK: memref.load %[[W0]]
// CHECK: memref.store %{{.*}}, %[[W1]]
// CHECK: memref.load %[[W1]]
// CHECK: llvm.store
// WAVE64-LABEL: gpu.func @cumsum
// WAVE64: gpu.shuffle xor %{{.*}}, %c32_i32, %c64_i32
module {
func.func @cumsum(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %q : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %s = tile.scan sum %v {axis = 0 : i32} : tensor<128xf32>
  %op = tile.splat %o : tensor<128x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %oq, %s : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  return
}
}

// -----

// A reverse scan along the rows of a 4x32 tile: the earlier lane of each pair folds
// (its lane bit clear), and nothing crosses warps.
// CHECK-LABEL: gpu.func @cummax_reverse
// CHECK-NOT: workgroup
// CHECK: gpu.shuffle xor
// CHECK: %[[EARLIER:.*]] = arith.cmpi eq, %{{.*}}, %c0_i32
// CHECK: %[[FOLDED:.*]] = arith.maxnumf
// CHECK: arith.select %[[EARLIER]], %[[FOLDED]]
module {
func.func @cummax_reverse(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 4 : tensor<4xi32>
  %c = tile.range 0 to 32 : tensor<32xi32>
  %c32 = arith.constant dense<32> : tensor<4x1xi32>
  %r1 = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %rs = arith.muli %r1, %c32 : tensor<4x1xi32>
  %c1 = tile.expand_dims %c {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rb = tile.broadcast %rs : tensor<4x1xi32> -> tensor<4x32xi32>
  %cb = tile.broadcast %c1 : tensor<1x32xi32> -> tensor<4x32xi32>
  %off = arith.addi %rb, %cb : tensor<4x32xi32>
  %p = tile.splat %x : tensor<4x32x!tile.ptr<f32>>
  %q = tile.addptr %p, %off : tensor<4x32x!tile.ptr<f32>>, tensor<4x32xi32>
  %v = tile.load %q : tensor<4x32x!tile.ptr<f32>> -> tensor<4x32xf32>
  %s = tile.scan max %v {axis = 1 : i32, reverse = true} : tensor<4x32xf32>
  %op = tile.splat %o : tensor<4x32x!tile.ptr<f32>>
  %oq = tile.addptr %op, %off : tensor<4x32x!tile.ptr<f32>>, tensor<4x32xi32>
  tile.store %oq, %s : tensor<4x32x!tile.ptr<f32>>, tensor<4x32xf32>
  return
}
}

// -----

// An atomic on a scalar pointer happens once per program, not once per thread: the
// first thread performs it and passes the old value to the others through shared memory.
// CHECK-LABEL: gpu.func @counter
// CHECK-SAME: workgroup(%[[BUF:.*]] : memref<1xi32, #gpu.address_space<workgroup>>)
// CHECK: %[[FIRST:.*]] = arith.cmpi eq
// CHECK: scf.if %[[FIRST]] {
// CHECK-NEXT: %[[OLD:.*]] = llvm.atomicrmw add %{{.*}}, %c1_i32 acq_rel : !llvm.ptr<1>, i32
// CHECK-NEXT: memref.store %[[OLD]], %[[BUF]]
// CHECK: memref.load %[[BUF]]
// CHECK-NOT: llvm.atomicrmw
// CHECK: gpu.return
module {
func.func @counter(%c: !tile.ptr<i32>, %o: !tile.ptr<i32>) attributes {tile.kernel} {
  %one = arith.constant 1 : i32
  %old = tile.atomic_rmw add %c, %one : !tile.ptr<i32>, i32
  tile.store %o, %old : !tile.ptr<i32>, i32
  return
}
}

// -----

// A masked tile of atomics: each element's under its mask, masked-off ones yield 0; a
// float max is LLVM's fmax (maxnum). A compare-and-swap yields the old value.
// CHECK-LABEL: gpu.func @masked_max
// CHECK-NOT: workgroup
// CHECK: %[[OLD:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK-NEXT: %[[R:.*]] = llvm.atomicrmw fmax %{{.*}}, %{{.*}} acq_rel : !llvm.ptr<1>, f32
// CHECK-NEXT: scf.yield %[[R]] : f32
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %cst : f32
// CHECK: llvm.store %[[OLD]]
// CHECK-LABEL: gpu.func @swap
// CHECK: %[[X:.*]] = llvm.cmpxchg %{{.*}}, %{{.*}}, %{{.*}} acq_rel acquire : !llvm.ptr<1>, i64
// CHECK-NEXT: llvm.extractvalue %[[X]][0] : !llvm.struct<(i64, i1)>
module {
func.func @masked_max(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %ns = tile.splat %n : tensor<128xi32>
  %in = arith.cmpi slt, %r, %ns : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = arith.sitofp %r : tensor<128xi32> to tensor<128xf32>
  %old = tile.atomic_rmw max %q, %v, %in : tensor<128x!tile.ptr<f32>>, tensor<128xf32>, tensor<128xi1>
  %op = tile.splat %o : tensor<128x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %oq, %old : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  return
}
func.func @swap(%x: !tile.ptr<i64>, %o: !tile.ptr<i64>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<i64>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<i64>>, tensor<128xi32>
  %zero = arith.constant dense<0> : tensor<128xi64>
  %v = arith.extsi %r : tensor<128xi32> to tensor<128xi64>
  %old = tile.atomic_cas %q, %zero, %v : tensor<128x!tile.ptr<i64>>, tensor<128xi64>
  %op = tile.splat %o : tensor<128x!tile.ptr<i64>>
  %oq = tile.addptr %op, %r : tensor<128x!tile.ptr<i64>>, tensor<128xi32>
  tile.store %oq, %old : tensor<128x!tile.ptr<i64>>, tensor<128xi64>
  return
}
}

// -----

// join and split keep each pair in one thread's registers, so the halves come back out
// of the same registers without shared memory, whichever half (the second half's
// coordinates are the first's plus one along the pairs, a constant, not a step).
// CHECK-LABEL: gpu.func @swap_halves
// CHECK-NOT: workgroup
// CHECK-NOT: memref.store
// CHECK: gpu.return
module {
func.func @swap_halves(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %a = tile.load %q : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %py = tile.splat %y : tensor<128x!tile.ptr<f32>>
  %qy = tile.addptr %py, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %b = tile.load %qy : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %pairs = tile.join %a, %b : tensor<128xf32> -> tensor<128x2xf32>
  %first, %second = tile.split %pairs : tensor<128x2xf32> -> tensor<128xf32>
  %po = tile.splat %o : tensor<128x!tile.ptr<f32>>
  %qo = tile.addptr %po, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %qo, %second : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  return
}
}

// -----

// A reshaped tile is the same registers: reducing its rows of 8 (lanes 0-7 of each row)
// takes three shuffles and no shared memory.
// CHECK-LABEL: gpu.func @reshape
// CHECK-NOT: workgroup
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32
// CHECK-NOT: gpu.shuffle
// CHECK: gpu.return
module {
func.func @reshape(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %q : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %t = tile.reshape %v : tensor<128xf32> -> tensor<16x8xf32>
  %s = tile.reduce sum %t {axis = 1 : i32} : tensor<16x8xf32> -> tensor<16xf32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %po = tile.splat %o : tensor<16x!tile.ptr<f32>>
  %qo = tile.addptr %po, %r16 : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  tile.store %qo, %s : tensor<16x!tile.ptr<f32>>, tensor<16xf32>
  return
}
}

// -----

// device_print: one gpu.printf per element in the CPU's line format, from the thread
// holding the element (a scalar from the first thread). device_assert: a failing lane
// prints the report and traps.
// CHECK-LABEL: gpu.func @dbg
// CHECK: gpu.printf "[program (%d,%d,%d)] print \22v%%\22 at {{.*}}tile-to-gpu.mlir:{{[0-9]+}}:{{[0-9]+}} [%d] = %.9g\0A", {{.*}} : i32, i32, i32, i32, f64
// CHECK: scf.if
// CHECK: gpu.printf "{{.*}} = %lld\0A", {{.*}} : i32, i32, i32, i64
// CHECK: %[[FAIL:.*]] = arith.xori %{{.*}}, %true
// CHECK: scf.if %[[FAIL]] {
// CHECK-NEXT: gpu.block_id x
// CHECK: gpu.printf "device assertion failed: kernel 'dbg': assertion \22below 100\22 at {{.*}} failed in program (%d,%d,%d) at element %d\0A"
// CHECK-NEXT: llvm.intr.trap
module {
func.func @dbg(%x: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %p = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %q : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  tile.print "v%", %v, %n : tensor<128xf32>, i32
  %c = arith.constant dense<100.0> : tensor<128xf32>
  %ok = arith.cmpf olt, %v, %c : tensor<128xf32>
  tile.assert %ok, "below 100" : tensor<128xi1>
  return
}
}

// -----

// A bf16 dot on the vector units, 4 warps of 32 lanes: A (its rows padded by one 32-bit
// word, 32 x 18) and B (16 x 32) go to shared memory, then a loop over k: each thread
// holds 8 accumulators of 4 rows and 2 columns (lanes 4 x 8, warps 2 x 2, registers
// repeating), so it loads 4 A and 2 B values a step, widens them exactly and does 8
// FMAs. The accumulator is stored from its own layout.
// With mma.sync m16n8k16 (4 warps, each a 16 x 16 sub-tile of two instruction tiles,
// one k step): A's rows of 32 bytes and B's of 64, unpadded and swizzled (the 16-byte
// units of a row permuted by the row, so that ldmatrix's 8 rows meet 8 different bank
// groups: an exclusive or with the row's phase); per warp one ldmatrix.x4 of A, one
// ldmatrix.x4.trans of B (two 16 x 8 fragments), two mma.sync;
// nothing on the vector units; the accumulator is stored from its fragments, two
// adjacent f32 a thread, four threads a 32-byte sector.
// With MFMA 32x32x8 on 64-lane wavefronts: one instruction tile (the other 3 wavefronts
// hold copies), two k steps of 8. A row-major and B transposed (its columns as rows),
// each row of 16 padded to 20 (an odd number of 8-byte units); per step each lane loads
// 4 consecutive k of its row of A and of B as one 8-byte vector, and the wavefront issues
// one MFMA on its 16 accumulators.
// MFMA-LABEL: gpu.func @dot
// MFMA-SAME: workgroup(%[[SA:.*]] : memref<640xbf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<640xbf16, #gpu.address_space<workgroup>>)
// A row-major in pairs; B transposed, element by element.
// MFMA: vector.store %{{.*}}, %[[SA]][%{{.*}}] {alignment = 4 : i64{{.*}}} : memref<640xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// MFMA-COUNT-2: memref.store %{{.*}}, %[[SB]]
// MFMA: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// MFMA: vector.load %[[SA]][%{{.*}}] {alignment = 8 : i64{{.*}}} : memref<640xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// MFMA: vector.load %[[SB]][%{{.*}}] {alignment = 8 : i64{{.*}}} : memref<640xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// MFMA: amdgpu.mfma 32x32x8 %{{.*}} * %{{.*}} + %{{.*}} blgp = none : vector<4xbf16>, vector<4xbf16>, vector<16xf32>
// MFMA-NOT: math.fma
// MFMA: scf.yield
// MFMA-COUNT-16: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
// MMA-LABEL: gpu.func @dot
// MMA-SAME: workgroup(%[[SA:.*]] : memref<512xbf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<512xbf16, #gpu.address_space<workgroup>>)
// Each thread's 4 consecutive elements of a row go as one 8-byte vector (the swizzle
// moves whole 16-byte units, so they stay 8-byte aligned).
// MMA: arith.xori
// MMA: vector.store %{{.*}}, %[[SA]][%{{.*}}] {alignment = 8 : i64{{.*}}} : memref<512xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// MMA-NOT: memref.store %{{.*}}, %[[SA]]
// MMA: vector.store %{{.*}}, %[[SB]][%{{.*}}] {alignment = 8 : i64{{.*}}} : memref<512xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// MMA-NOT: memref.store %{{.*}}, %[[SB]]
// MMA-NOT: math.fma
// MMA: nvgpu.ldmatrix %[[SA]][%{{.*}}] {numTiles = 4 : i32, {{.*}}transpose = false} : memref<512xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// MMA-COUNT-4: llvm.bitcast %{{.*}} : vector<2xbf16> to i32
// MMA: nvgpu.ldmatrix %[[SB]][%{{.*}}] {numTiles = 4 : i32, {{.*}}transpose = true} : memref<512xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// MMA-COUNT-2: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>
// MMA-NOT: math.fma
// MMA-COUNT-4: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<1>
// CHECK-LABEL: gpu.func @dot
// CHECK-SAME: workgroup(%[[SA:.*]] : memref<576xbf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<512xbf16, #gpu.address_space<workgroup>>)
// A's rows padded by one word (18 elements) keep pairs 4-byte aligned; B's 16-element
// rows keep 4 elements 8-byte aligned.
// CHECK-COUNT-2: vector.store %{{.*}}, %[[SA]][%{{.*}}] {alignment = 4 : i64{{.*}}} : memref<576xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// CHECK: vector.store %{{.*}}, %[[SB]][%{{.*}}] {alignment = 8 : i64{{.*}}} : memref<512xbf16, #gpu.address_space<workgroup>>, vector<4xbf16>
// CHECK-NOT: memref.store
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK-COUNT-4: memref.load %[[SA]]
// CHECK-COUNT-2: memref.load %[[SB]]
// CHECK-COUNT-8: math.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: scf.yield
// CHECK-COUNT-8: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<1>
module {
func.func @dot(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r32 = tile.range 0 to 32 : tensor<32xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %arow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %s16 = arith.constant dense<16> : tensor<32x1xi32>
  %arowoff = arith.muli %arow, %s16 : tensor<32x1xi32>
  %acol = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %ar = tile.broadcast %arowoff : tensor<32x1xi32> -> tensor<32x16xi32>
  %ac = tile.broadcast %acol : tensor<1x16xi32> -> tensor<32x16xi32>
  %aoff = arith.addi %ar, %ac : tensor<32x16xi32>
  %ap = tile.splat %a : tensor<32x16x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %aoff : tensor<32x16x!tile.ptr<bf16>>, tensor<32x16xi32>
  %x = tile.load %aq : tensor<32x16x!tile.ptr<bf16>> -> tensor<32x16xbf16>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s32 = arith.constant dense<32> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s32 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x32xi32>
  %bc = tile.broadcast %bcol : tensor<1x32xi32> -> tensor<16x32xi32>
  %boff = arith.addi %br, %bc : tensor<16x32xi32>
  %bp = tile.splat %b : tensor<16x32x!tile.ptr<bf16>>
  %bq = tile.addptr %bp, %boff : tensor<16x32x!tile.ptr<bf16>>, tensor<16x32xi32>
  %y = tile.load %bq : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %d = tile.dot %x, %y, %zero : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
  %crow = arith.constant dense<32> : tensor<32x1xi32>
  %crowoff = arith.muli %arow, %crow : tensor<32x1xi32>
  %cr = tile.broadcast %crowoff : tensor<32x1xi32> -> tensor<32x32xi32>
  %cc = tile.broadcast %bcol : tensor<1x32xi32> -> tensor<32x32xi32>
  %coff = arith.addi %cr, %cc : tensor<32x32xi32>
  %cp = tile.splat %c : tensor<32x32x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xi32>
  tile.store %cq, %d : tensor<32x32x!tile.ptr<f32>>, tensor<32x32xf32>
  return
}
}
