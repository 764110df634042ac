// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16" -verify-diagnostics | FileCheck %s
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16" --tegula-convert-tile-to-gpu | FileCheck %s --check-prefix=LOWERED
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16" --tegula-convert-tile-to-gpu="async-copies=true" | FileCheck %s --check-prefix=PIPE
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16 plant-swap-fragment=true" | FileCheck %s --check-prefix=SWAP
// RUN: not tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k99" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// A bf16 dot with f32 accumulation on a target with mma.sync m16n8k16: the accumulator
// is that instruction's fragment tiled over the 4 warps (2 x 2, each a 32 x 32 sub-tile
// of 2 x 4 instruction tiles), from its initial value through the loop over k, and the
// dot names the instruction for the lowering. Registers: the fragment's two (column + 1,
// row + 8), then the tiles along n, then along m; lanes: the fragment's (4 lanes along a
// row's column pairs, 8 groups down the rows).
// CHECK-LABEL: func.func @mma
// CHECK: arith.constant dense<0.000000e+00> : tensor<64x64xf32, #[[ACC:tgpu.linear<rank = 2, register = \[\[0, 1\], \[8, 0\], \[0, 8\], \[0, 16\], \[16, 0\]\], lane = \[\[0, 2\], \[0, 4\], \[1, 0\], \[2, 0\], \[4, 0\]\], warp = \[\[32, 0\], \[0, 32\]\]>]]>
// CHECK: scf.for
// CHECK-NOT: tgpu.convert_layout
// CHECK: tile.dot {{.*}} {tgpu.matrix_instruction = "mma.m16n8k16"} {{.*}} -> tensor<64x64xf32, #[[ACC]]>
// CHECK-NOT: tgpu.convert_layout
// CHECK: scf.yield
// The planted bug trades two lanes' rows in the table, and so in the layout.
// SWAP-LABEL: func.func @mma
// SWAP: lane = {{\[\[0, 2\], \[0, 4\], \[2, 0\], \[1, 0\], \[4, 0\]\]}}
// UNKNOWN: error: no matrix instruction 'mma.m16n8k99'
// With cp.async and tile.num_stages = 2, the loop loads one step ahead: each operand
// gets two buffers of its rows, swizzled rather than padded (A: 2 x 64 x 16, B: 2 x 16
// x 64 elements), the
// first step's copies are issued before the loop (after a barrier: the bytes may have
// been another buffer's), each step waits for its own group, meets the block, issues
// the next step's copies (16 bytes a thread, zero-filled past the end) and runs its
// dot from the buffers; after the loop the block waits for every copy.
// PIPE-LABEL: gpu.func @mma
// PIPE-SAME: workgroup(%{{.*}} : memref<2048xbf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<2048xbf16, #gpu.address_space<workgroup>>)
// PIPE: gpu.barrier
// PIPE: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg, %{{.*}} : !llvm.ptr<3>, !llvm.ptr<1>, i32
// PIPE: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg, %{{.*}} : !llvm.ptr<3>, !llvm.ptr<1>, i32
// PIPE-NEXT: nvvm.cp.async.commit.group
// PIPE-NEXT: scf.for
// PIPE-NEXT: nvvm.cp.async.wait.group 0
// PIPE-NEXT: gpu.barrier
// PIPE: nvvm.cp.async.shared.global
// PIPE: nvvm.cp.async.shared.global
// PIPE-NEXT: nvvm.cp.async.commit.group
// PIPE-NOT: llvm.load
// PIPE: nvgpu.ldmatrix
// PIPE: nvvm.mma.sync
// PIPE: scf.yield
// PIPE: nvvm.cp.async.wait.group 0
// PIPE-NEXT: gpu.barrier
module {
func.func @mma(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel, tile.num_stages = 2 : i64} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %init = arith.constant dense<0.0> : tensor<64x64xf32>
  %r64 = tile.range 0 to 64 : tensor<64xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %arow = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %s16 = arith.constant dense<16> : tensor<64x1xi32>
  %arowoff = arith.muli %arow, %s16 : tensor<64x1xi32>
  %acol = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %ar = tile.broadcast %arowoff : tensor<64x1xi32> -> tensor<64x16xi32>
  %ac = tile.broadcast %acol : tensor<1x16xi32> -> tensor<64x16xi32>
  %aoff = arith.addi %ar, %ac : tensor<64x16xi32>
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %aoff : tensor<64x16x!tile.ptr<bf16>>, tensor<64x16xi32>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s64 = arith.constant dense<64> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s64 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x64xi32>
  %bc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<16x64xi32>
  %boff = arith.addi %br, %bc : tensor<16x64xi32>
  %bp = tile.splat %b : tensor<16x64x!tile.ptr<bf16>>
  %bq = tile.addptr %bp, %boff : tensor<16x64x!tile.ptr<bf16>>, tensor<16x64xi32>
  %acc = scf.for %i = %c0 to %k step %c16 iter_args(%sum = %init) -> (tensor<64x64xf32>) : i32 {
    %x = tile.load %aq : tensor<64x16x!tile.ptr<bf16>> -> tensor<64x16xbf16>
    %y = tile.load %bq : tensor<16x64x!tile.ptr<bf16>> -> tensor<16x64xbf16>
    %d = tile.dot %x, %y, %sum : tensor<64x16xbf16>, tensor<16x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  %crow = arith.constant dense<64> : tensor<64x1xi32>
  %crowoff = arith.muli %arow, %crow : tensor<64x1xi32>
  %cr = tile.broadcast %crowoff : tensor<64x1xi32> -> tensor<64x64xi32>
  %cc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<64x64xi32>
  %coff = arith.addi %cr, %cc : tensor<64x64xi32>
  %cp = tile.splat %c : tensor<64x64x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %cq, %acc : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xf32>
  return
}
}

// -----

// B as the transpose of a load (attention's K: the load's rows are the dot's columns),
// masked with a splat zero as `other`. Without cp.async the transposed registers are
// staged K x N and read with ldmatrix.trans; pipelined, the copies land the load's rows
// as they are (N x K: 2 x 64 x 16 elements) and ldmatrix reads them without the
// transpose, which gives each lane two consecutive k of one column, as mma.sync takes B.
// CHECK-LABEL: func.func @transposed_b
// CHECK: tile.trans
// CHECK: tile.dot {{.*}} {tgpu.matrix_instruction = "mma.m16n8k16"}
// LOWERED-LABEL: gpu.func @transposed_b
// LOWERED: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false}
// LOWERED: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = true}
// LOWERED: nvvm.mma.sync
// PIPE-LABEL: gpu.func @transposed_b
// PIPE-SAME: workgroup(%{{.*}} : memref<2048xbf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<2048xbf16, #gpu.address_space<workgroup>>)
// PIPE: scf.for
// PIPE: nvvm.cp.async.wait.group 0
// PIPE-NOT: transpose = true
// PIPE: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false}
// PIPE-NOT: transpose = true
// PIPE: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false}
// PIPE-NOT: transpose = true
// PIPE: nvvm.mma.sync
// PIPE: scf.yield
module {
func.func @transposed_b(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32, %n: i32) attributes {tile.kernel, tile.num_stages = 2 : i64} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant 0.0 : bf16
  %init = arith.constant dense<0.0> : tensor<64x64xf32>
  %r64 = tile.range 0 to 64 : tensor<64xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %row = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %s16 = arith.constant dense<16> : tensor<64x1xi32>
  %rowoff = arith.muli %row, %s16 : tensor<64x1xi32>
  %col = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %rowoff : tensor<64x1xi32> -> tensor<64x16xi32>
  %cb = tile.broadcast %col : tensor<1x16xi32> -> tensor<64x16xi32>
  %off = arith.addi %rb, %cb : tensor<64x16xi32>
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %off : tensor<64x16x!tile.ptr<bf16>>, tensor<64x16xi32>
  %bp = tile.splat %b : tensor<64x16x!tile.ptr<bf16>>
  %bq = tile.addptr %bp, %off : tensor<64x16x!tile.ptr<bf16>>, tensor<64x16xi32>
  %nsplat = tile.splat %n : tensor<64x1xi32>
  %rowok = arith.cmpi slt, %row, %nsplat : tensor<64x1xi32>
  %ok = tile.broadcast %rowok : tensor<64x1xi1> -> tensor<64x16xi1>
  %other = tile.splat %zero : tensor<64x16xbf16>
  %acc = scf.for %i = %c0 to %k step %c16 iter_args(%sum = %init) -> (tensor<64x64xf32>) : i32 {
    %x = tile.load %aq : tensor<64x16x!tile.ptr<bf16>> -> tensor<64x16xbf16>
    %y = tile.load %bq, %ok, %other : tensor<64x16x!tile.ptr<bf16>> -> tensor<64x16xbf16>, tensor<64x16xi1>, tensor<64x16xbf16>
    %yt = tile.trans %y, [1, 0] : tensor<64x16xbf16> -> tensor<16x64xbf16>
    %d = tile.dot %x, %yt, %sum : tensor<64x16xbf16>, tensor<16x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  %crow = arith.constant dense<64> : tensor<64x1xi32>
  %crowoff = arith.muli %row, %crow : tensor<64x1xi32>
  %r64c = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %cr = tile.broadcast %crowoff : tensor<64x1xi32> -> tensor<64x64xi32>
  %cc = tile.broadcast %r64c : tensor<1x64xi32> -> tensor<64x64xi32>
  %coff = arith.addi %cr, %cc : tensor<64x64xi32>
  %cp = tile.splat %c : tensor<64x64x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %cq, %acc : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xf32>
  return
}
}

// -----

// Fewer rows than one instruction tile: the vector units' layout, and no instruction.
// CHECK-LABEL: func.func @too_few_rows
// CHECK-NOT: tgpu.matrix_instruction
// CHECK: tile.dot {{.*}} -> tensor<8x64xf32, #tgpu.blocked
module {
func.func @too_few_rows(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<bf16> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %init = arith.constant dense<0.0> : tensor<8x64xf32>
  %r64 = tile.range 0 to 64 : tensor<64xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %r8 = tile.range 0 to 8 : tensor<8xi32>
  %arow = tile.expand_dims %r8 {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %s16 = arith.constant dense<16> : tensor<8x1xi32>
  %arowoff = arith.muli %arow, %s16 : tensor<8x1xi32>
  %acol = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %ar = tile.broadcast %arowoff : tensor<8x1xi32> -> tensor<8x16xi32>
  %ac = tile.broadcast %acol : tensor<1x16xi32> -> tensor<8x16xi32>
  %aoff = arith.addi %ar, %ac : tensor<8x16xi32>
  %ap = tile.splat %a : tensor<8x16x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %aoff : tensor<8x16x!tile.ptr<bf16>>, tensor<8x16xi32>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s64 = arith.constant dense<64> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s64 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x64xi32>
  %bc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<16x64xi32>
  %boff = arith.addi %br, %bc : tensor<16x64xi32>
  %bp = tile.splat %b : tensor<16x64x!tile.ptr<bf16>>
  %bq = tile.addptr %bp, %boff : tensor<16x64x!tile.ptr<bf16>>, tensor<16x64xi32>
  %acc = scf.for %i = %c0 to %k step %c16 iter_args(%sum = %init) -> (tensor<8x64xf32>) : i32 {
    %x = tile.load %aq : tensor<8x16x!tile.ptr<bf16>> -> tensor<8x16xbf16>
    %y = tile.load %bq : tensor<16x64x!tile.ptr<bf16>> -> tensor<16x64xbf16>
    %d = tile.dot %x, %y, %sum : tensor<8x16xbf16>, tensor<16x64xbf16> -> tensor<8x64xf32>
    scf.yield %d : tensor<8x64xf32>
  }
  %crow = arith.constant dense<64> : tensor<8x1xi32>
  %crowoff = arith.muli %arow, %crow : tensor<8x1xi32>
  %cr = tile.broadcast %crowoff : tensor<8x1xi32> -> tensor<8x64xi32>
  %cc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<8x64xi32>
  %coff = arith.addi %cr, %cc : tensor<8x64xi32>
  %cp = tile.splat %c : tensor<8x64x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<8x64x!tile.ptr<f32>>, tensor<8x64xi32>
  tile.store %cq, %acc : tensor<8x64x!tile.ptr<f32>>, tensor<8x64xf32>
  return
}
}

// -----

// A row of an accumulator broadcast to a wider tile than the accumulator's: the linear
// layout reaches only the accumulator's 32 columns, so the wider tile takes a blocked
// layout instead (the row statistics of attention, scaling a wider output).
// CHECK-LABEL: func.func @wider_broadcast
// CHECK: tile.dot {{.*}} -> tensor<32x32xf32, #tgpu.linear
// CHECK: tile.broadcast {{.*}} -> tensor<32x128xf32, #tgpu.blocked
module {
func.func @wider_broadcast(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r32 = tile.range 0 to 32 : tensor<32xi32>
  %row = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %s32 = arith.constant dense<32> : tensor<32x1xi32>
  %rowoff = arith.muli %row, %s32 : tensor<32x1xi32>
  %col = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %rb = tile.broadcast %rowoff : tensor<32x1xi32> -> tensor<32x32xi32>
  %cb = tile.broadcast %col : tensor<1x32xi32> -> tensor<32x32xi32>
  %off = arith.addi %rb, %cb : tensor<32x32xi32>
  %ap = tile.splat %a : tensor<32x32x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %off : tensor<32x32x!tile.ptr<bf16>>, tensor<32x32xi32>
  %x = tile.load %aq : tensor<32x32x!tile.ptr<bf16>> -> tensor<32x32xbf16>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %s = tile.dot %x, %x, %zero : tensor<32x32xbf16>, tensor<32x32xbf16> -> tensor<32x32xf32>
  %m = tile.reduce max %s {axis = 1 : i32} : tensor<32x32xf32> -> tensor<32xf32>
  %mc = tile.expand_dims %m {axis = 1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  %wide = tile.broadcast %mc : tensor<32x1xf32> -> tensor<32x128xf32>
  %r128 = tile.range 0 to 128 : tensor<128xi32>
  %c128 = tile.expand_dims %r128 {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %s128 = arith.constant dense<128> : tensor<32x1xi32>
  %orow = arith.muli %row, %s128 : tensor<32x1xi32>
  %orb = tile.broadcast %orow : tensor<32x1xi32> -> tensor<32x128xi32>
  %ocb = tile.broadcast %c128 : tensor<1x128xi32> -> tensor<32x128xi32>
  %ooff = arith.addi %orb, %ocb : tensor<32x128xi32>
  %op = tile.splat %o : tensor<32x128x!tile.ptr<f32>>
  %oq = tile.addptr %op, %ooff : tensor<32x128x!tile.ptr<f32>>, tensor<32x128xi32>
  tile.store %oq, %wide : tensor<32x128x!tile.ptr<f32>>, tensor<32x128xf32>
  return
}
}

// -----

// Two dots whose results are added: the f32 one (vector units) comes first and its
// accumulator layout reaches the bf16 one through the add. The bf16 dot then has a
// layout no matrix instruction produces, so it is not marked and runs on the vector
// units too, instead of being refused by the lowering.
// CHECK-LABEL: func.func @second_dot_takes_the_first_layout
// LOWERED-LABEL: gpu.func @second_dot_takes_the_first_layout
// LOWERED-NOT: nvvm.mma.sync
// LOWERED: math.fma
// LOWERED-NOT: nvvm.mma.sync
// LOWERED: gpu.return
// CHECK-NOT: tgpu.matrix_instruction
// CHECK: tile.dot {{.*}} -> tensor<64x64xf32, #[[VEC:tgpu.blocked<[^>]*>]]>
// CHECK-NOT: tgpu.matrix_instruction
// CHECK: tile.dot {{.*}} -> tensor<64x64xf32, #[[VEC]]>
// CHECK-NOT: tgpu.matrix_instruction
module {
func.func @second_dot_takes_the_first_layout(%a: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %f: !tile.ptr<f32> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %init = arith.constant dense<0.0> : tensor<64x64xf32>
  %r64 = tile.range 0 to 64 : tensor<64xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %arow = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %s16 = arith.constant dense<16> : tensor<64x1xi32>
  %arowoff = arith.muli %arow, %s16 : tensor<64x1xi32>
  %acol = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %ar = tile.broadcast %arowoff : tensor<64x1xi32> -> tensor<64x16xi32>
  %ac = tile.broadcast %acol : tensor<1x16xi32> -> tensor<64x16xi32>
  %aoff = arith.addi %ar, %ac : tensor<64x16xi32>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s64 = arith.constant dense<64> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s64 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x64xi32>
  %bc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<16x64xi32>
  %boff = arith.addi %br, %bc : tensor<16x64xi32>
  %fa = tile.splat %f : tensor<64x16x!tile.ptr<f32>>
  %fap = tile.addptr %fa, %aoff : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %fb = tile.splat %f : tensor<16x64x!tile.ptr<f32>>
  %fbp = tile.addptr %fb, %boff : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %x32 = tile.load %fap : tensor<64x16x!tile.ptr<f32>> -> tensor<64x16xf32>
  %y32 = tile.load %fbp : tensor<16x64x!tile.ptr<f32>> -> tensor<16x64xf32>
  %d32 = tile.dot %x32, %y32, %init : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<bf16>>
  %aq = tile.addptr %ap, %aoff : tensor<64x16x!tile.ptr<bf16>>, tensor<64x16xi32>
  %bp = tile.splat %a : tensor<16x64x!tile.ptr<bf16>>
  %bq = tile.addptr %bp, %boff : tensor<16x64x!tile.ptr<bf16>>, tensor<16x64xi32>
  %x = tile.load %aq : tensor<64x16x!tile.ptr<bf16>> -> tensor<64x16xbf16>
  %y = tile.load %bq : tensor<16x64x!tile.ptr<bf16>> -> tensor<16x64xbf16>
  %d = tile.dot %x, %y, %init : tensor<64x16xbf16>, tensor<16x64xbf16> -> tensor<64x64xf32>
  %sum = arith.addf %d32, %d : tensor<64x64xf32>
  %crow = arith.constant dense<64> : tensor<64x1xi32>
  %crowoff = arith.muli %arow, %crow : tensor<64x1xi32>
  %cr = tile.broadcast %crowoff : tensor<64x1xi32> -> tensor<64x64xi32>
  %cc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<64x64xi32>
  %coff = arith.addi %cr, %cc : tensor<64x64xi32>
  %cp = tile.splat %c : tensor<64x64x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %cq, %sum : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xf32>
  return
}
}
