// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16,mma.m16n8k8.tf32" | FileCheck %s
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16,mma.m16n8k8.tf32" --tegula-convert-tile-to-gpu | FileCheck %s --check-prefix=LOWERED
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16,mma.m16n8k8.tf32" --tegula-convert-tile-to-gpu="async-copies=true" | FileCheck %s --check-prefix=PIPE
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts="matrix-instructions=mma.m16n8k16" | FileCheck %s --check-prefix=NOTF32

// f32 dots on a target with mma.sync m16n8k8 tf32. Only the dot whose input precision
// is tf32 takes it (ieee asks for exact products, tf32x3 for more than one tf32 product
// gives); its accumulator is m16n8k16's fragment tiled over the 4 warps. A target
// without the instruction keeps every f32 dot on the vector units.
// CHECK-LABEL: func.func @precisions
// CHECK: tile.dot {{.*}} {input_precision = 1 : i32, tgpu.matrix_instruction = "mma.m16n8k8.tf32"} {{.*}} -> tensor<64x64xf32, #tgpu.linear<rank = 2, register = {{\[\[0, 1\], \[8, 0\], \[0, 8\], \[0, 16\], \[16, 0\]\]}}, lane = {{\[\[0, 2\], \[0, 4\], \[1, 0\], \[2, 0\], \[4, 0\]\]}}, warp = {{\[\[32, 0\], \[0, 32\]\]}}>>
// CHECK: tile.dot
// CHECK-NOT: tgpu.matrix_instruction
// CHECK-SAME: -> tensor<64x64xf32
// CHECK: tile.dot
// CHECK-NOT: tgpu.matrix_instruction
// CHECK-SAME: -> tensor<64x64xf32
// NOTF32-LABEL: func.func @precisions
// NOTF32-NOT: tgpu.matrix_instruction
// Lowered: A by ldmatrix of 16-byte rows of 4 f32 (one f32 a lane and matrix), B kept
// K x N by 32-bit loads (ldmatrix cannot transpose 32-bit elements), every element
// rounded to tf32 (rna) before the m16n8k8 mma.sync; the other two dots by FMAs.
// LOWERED-LABEL: gpu.func @precisions
// LOWERED: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false} : memref<{{[0-9]+}}xf32, {{.*}}> -> vector<4x1xf32>
// LOWERED: memref.load {{.*}} : memref<{{[0-9]+}}xf32
// LOWERED: nvvm.convert.float.to.tf32 {{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// LOWERED: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<tf32>, multiplicandBPtxType = #nvvm.mma_type<tf32>, shape = #nvvm.shape<m = 16, n = 8, k = 8>}
// LOWERED: math.fma
// LOWERED-NOT: nvvm.mma.sync
// LOWERED: gpu.return
module {
func.func @precisions(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
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
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<f32>>
  %aq = tile.addptr %ap, %aoff : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s64 = arith.constant dense<64> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s64 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x64xi32>
  %bc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<16x64xi32>
  %boff = arith.addi %br, %bc : tensor<16x64xi32>
  %bp = tile.splat %b : tensor<16x64x!tile.ptr<f32>>
  %bq = tile.addptr %bp, %boff : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %acc:3 = scf.for %i = %c0 to %k step %c16 iter_args(%s1 = %init, %s2 = %init, %s3 = %init) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) : i32 {
    %x = tile.load %aq : tensor<64x16x!tile.ptr<f32>> -> tensor<64x16xf32>
    %y = tile.load %bq : tensor<16x64x!tile.ptr<f32>> -> tensor<16x64xf32>
    %d1 = tile.dot %x, %y, %s1 {input_precision = 1 : i32} : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
    %d2 = tile.dot %x, %y, %s2 : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
    %d3 = tile.dot %x, %y, %s3 {input_precision = 2 : i32} : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
    scf.yield %d1, %d2, %d3 : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
  }
  %sum = arith.addf %acc#0, %acc#1 : tensor<64x64xf32>
  %all = arith.addf %sum, %acc#2 : tensor<64x64xf32>
  %crow = arith.constant dense<64> : tensor<64x1xi32>
  %crowoff = arith.muli %arow, %crow : tensor<64x1xi32>
  %cr = tile.broadcast %crowoff : tensor<64x1xi32> -> tensor<64x64xi32>
  %cc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<64x64xi32>
  %coff = arith.addi %cr, %cc : tensor<64x64xi32>
  %cp = tile.splat %c : tensor<64x64x!tile.ptr<f32>>
  %cq = tile.addptr %cp, %coff : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %cq, %all : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xf32>
  return
}
}

// -----

// Pipelined: the f32 operands are copied 16 bytes a thread, like 16-bit ones, into
// buffers of 64 x 16 and 16 x 64 f32 (two stages); A is read by ldmatrix, B (K x N) by
// 32-bit loads.
// PIPE-LABEL: gpu.func @tf32_pipelined
// PIPE-SAME: workgroup(%{{.*}} : memref<2048xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<2048xf32, #gpu.address_space<workgroup>>)
// PIPE: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg
// PIPE: scf.for
// PIPE: nvvm.cp.async.wait.group 0
// PIPE: nvgpu.ldmatrix {{.*}} -> vector<4x1xf32>
// PIPE: memref.load
// PIPE: nvvm.mma.sync
// PIPE: scf.yield
module {
func.func @tf32_pipelined(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
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
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<f32>>
  %aq = tile.addptr %ap, %aoff : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %brow = tile.expand_dims %r16 {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %s64 = arith.constant dense<64> : tensor<16x1xi32>
  %browoff = arith.muli %brow, %s64 : tensor<16x1xi32>
  %bcol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %br = tile.broadcast %browoff : tensor<16x1xi32> -> tensor<16x64xi32>
  %bc = tile.broadcast %bcol : tensor<1x64xi32> -> tensor<16x64xi32>
  %boff = arith.addi %br, %bc : tensor<16x64xi32>
  %bp = tile.splat %b : tensor<16x64x!tile.ptr<f32>>
  %bq = tile.addptr %bp, %boff : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %acc = scf.for %i = %c0 to %k step %c16 iter_args(%sum = %init) -> (tensor<64x64xf32>) : i32 {
    %x = tile.load %aq : tensor<64x16x!tile.ptr<f32>> -> tensor<64x16xf32>
    %y = tile.load %bq : tensor<16x64x!tile.ptr<f32>> -> tensor<16x64xf32>
    %d = tile.dot %x, %y, %sum {input_precision = 1 : i32} : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
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

// B as the transpose of a load, pipelined: its buffer holds B's columns as rows (N x K),
// and ldmatrix x4 gives each lane k = t and t + 4 of column `group` for two n tiles:
// no 32-bit loads of B in the loop.
// PIPE-LABEL: gpu.func @tf32_transposed_b
// PIPE: scf.for
// PIPE: nvvm.cp.async.wait.group 0
// PIPE-NOT: memref.load
// PIPE: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false} {{.*}} -> vector<4x1xf32>
// PIPE-NOT: memref.load
// PIPE: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, {{.*}}transpose = false} {{.*}} -> vector<4x1xf32>
// PIPE-NOT: memref.load
// PIPE: nvvm.mma.sync
// PIPE: scf.yield
module {
func.func @tf32_transposed_b(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32, %n: i32) attributes {tile.kernel, tile.num_stages = 2 : i64} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant 0.0 : f32
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
  %ap = tile.splat %a : tensor<64x16x!tile.ptr<f32>>
  %aq = tile.addptr %ap, %off : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %bp = tile.splat %b : tensor<64x16x!tile.ptr<f32>>
  %bq = tile.addptr %bp, %off : tensor<64x16x!tile.ptr<f32>>, tensor<64x16xi32>
  %nsplat = tile.splat %n : tensor<64x1xi32>
  %rowok = arith.cmpi slt, %row, %nsplat : tensor<64x1xi32>
  %ok = tile.broadcast %rowok : tensor<64x1xi1> -> tensor<64x16xi1>
  %other = tile.splat %zero : tensor<64x16xf32>
  %acc = scf.for %i = %c0 to %k step %c16 iter_args(%sum = %init) -> (tensor<64x64xf32>) : i32 {
    %x = tile.load %aq : tensor<64x16x!tile.ptr<f32>> -> tensor<64x16xf32>
    %y = tile.load %bq, %ok, %other : tensor<64x16x!tile.ptr<f32>> -> tensor<64x16xf32>, tensor<64x16xi1>, tensor<64x16xf32>
    %yt = tile.trans %y, [1, 0] : tensor<64x16xf32> -> tensor<16x64xf32>
    %d = tile.dot %x, %yt, %sum {input_precision = 1 : i32} : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
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

