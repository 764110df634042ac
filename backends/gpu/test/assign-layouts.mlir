// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses --tegula-assign-gpu-layouts -verify-diagnostics | FileCheck %s

// Every tile of vector add takes the layout its accesses were given (16-byte vectors,
// four per thread): the index arithmetic that feeds the pointers and the mask is done
// in that layout, so nothing is converted.
// CHECK-LABEL: func.func @vadd
// CHECK-SAME: tgpu.num_warps = 4 : i64, tgpu.warp_size = 32 : i64
// CHECK: tile.range 0 to 1024 : tensor<1024xi32, #[[V4:.*]]>
// CHECK: tile.load {{.*}} -> tensor<1024xf32, #[[V4]]>
// CHECK: tile.store {{.*}}tensor<1024xf32, #[[V4]]>
// CHECK-NOT: tgpu.convert_layout
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
  %two = arith.constant dense<2.0> : tensor<1024xf32>
  %b = arith.mulf %a, %two : tensor<1024xf32>
  %op = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %oq = tile.addptr %op, %offs : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oq, %b, %m : tensor<1024x!tile.ptr<f32>>, tensor<1024xf32>, tensor<1024xi1>
  return
}

// -----

// A row reduction keeps the loaded layout: the maximum of each row is a slice of it,
// expand_dims gives the parent back, and the loop-carried running maximum (its initial
// value a constant) takes the slice too. Nothing is converted: the 4-element result
// is stored from the layout it is in (its pointers are computed in it), since a store
// of fewer elements than threads gains nothing from a coalesced layout of its own.
// CHECK-LABEL: func.func @rowmax
// CHECK-NOT: tgpu.convert_layout
// CHECK: scf.for {{.*}} -> (tensor<4xf32, #tgpu.slice<dim = 1, parent = #[[ROW:.*]]>>)
// CHECK: tile.load {{.*}} -> tensor<4x256xf32, #[[ROW]]>
// CHECK: tile.reduce max {{.*}} -> tensor<4xf32, #tgpu.slice<dim = 1, parent = #[[ROW]]>>
// CHECK: tile.expand_dims {{.*}} -> tensor<4x1xf32, #[[ROW]]>
// CHECK-NOT: tgpu.convert_layout
// CHECK: scf.yield
// CHECK: tile.store %{{.*}}, %{{.*}} : tensor<4x!tile.ptr<f32>, #tgpu.slice<dim = 1, parent = #[[ROW]]>>
// CHECK-NOT: tgpu.convert_layout
func.func @rowmax(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c256 = arith.constant 256 : i32
  %init = arith.constant dense<0xFF800000> : tensor<4xf32>
  %rows = tile.range 0 to 4 : tensor<4xi32>
  %rows2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %ns = tile.splat %n : tensor<4x1xi32>
  %rowoff = arith.muli %rows2, %ns : tensor<4x1xi32>
  %cols = tile.range 0 to 256 : tensor<256xi32>
  %m = scf.for %k = %c0 to %n step %c256 iter_args(%acc = %init) -> (tensor<4xf32>) : i32 {
    %ks = tile.splat %k : tensor<256xi32>
    %c = arith.addi %ks, %cols : tensor<256xi32>
    %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<256xi32> -> tensor<1x256xi32>
    %rb = tile.broadcast %rowoff : tensor<4x1xi32> -> tensor<4x256xi32>
    %cb = tile.broadcast %c2 : tensor<1x256xi32> -> tensor<4x256xi32>
    %off = arith.addi %rb, %cb : tensor<4x256xi32>
    %p = tile.splat %x : tensor<4x256x!tile.ptr<f32>>
    %q = tile.addptr %p, %off : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xi32>
    %v = tile.load %q : tensor<4x256x!tile.ptr<f32>> -> tensor<4x256xf32>
    %mx = tile.reduce max %v {axis = 1 : i32} : tensor<4x256xf32> -> tensor<4xf32>
    %e = tile.expand_dims %mx {axis = 1 : i32} : tensor<4xf32> -> tensor<4x1xf32>
    %eb = tile.broadcast %e : tensor<4x1xf32> -> tensor<4x256xf32>
    %d = arith.subf %v, %eb : tensor<4x256xf32>
    tile.store %q, %d : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xf32>
    %next = arith.maxnumf %acc, %mx : tensor<4xf32>
    scf.yield %next : tensor<4xf32>
  }
  %op = tile.splat %o : tensor<4x!tile.ptr<f32>>
  %oq = tile.addptr %op, %rows : tensor<4x!tile.ptr<f32>>, tensor<4xi32>
  tile.store %oq, %m : tensor<4x!tile.ptr<f32>>, tensor<4xf32>
  return
}

// -----

// A tile loaded along rows and stored along columns (a transpose through memory): the
// two accesses want different layouts; the stored tile is converted between them, the
// index arithmetic is computed in each.
// CHECK-LABEL: func.func @transpose
// CHECK: %[[V:.*]] = tile.load {{.*}} -> tensor<64x64xf32, #tgpu.blocked<sizePerThread = [1, 4], {{.*}}order = [1, 0]>>
// CHECK-NOT: tgpu.convert_layout
// CHECK: %[[T:.*]] = tgpu.convert_layout %[[V]] : {{.*}}order = [1, 0]>> -> tensor<64x64xf32, #tgpu.blocked<sizePerThread = [4, 1], {{.*}}order = [0, 1]>>
// CHECK-NOT: tgpu.convert_layout
// CHECK: tile.store {{.*}}, %[[T]] {
func.func @transpose(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.range 0 to 64 : tensor<64xi32>
  %c64 = arith.constant 64 : i32
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %s64 = tile.splat %c64 : tensor<64x1xi32>
  %rowoff = arith.muli %rows, %s64 : tensor<64x1xi32>
  %rb = tile.broadcast %rowoff : tensor<64x1xi32> -> tensor<64x64xi32>
  %cb = tile.broadcast %cols : tensor<1x64xi32> -> tensor<64x64xi32>
  %in = arith.addi %rb, %cb : tensor<64x64xi32>
  %p = tile.splat %x : tensor<64x64x!tile.ptr<f32>>
  %q = tile.addptr %p, %in : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  %v = tile.load %q : tensor<64x64x!tile.ptr<f32>> -> tensor<64x64xf32>
  %s64c = tile.splat %c64 : tensor<1x64xi32>
  %coloff = arith.muli %cols, %s64c : tensor<1x64xi32>
  %rb2 = tile.broadcast %rows : tensor<64x1xi32> -> tensor<64x64xi32>
  %cb2 = tile.broadcast %coloff : tensor<1x64xi32> -> tensor<64x64xi32>
  %out = arith.addi %rb2, %cb2 : tensor<64x64xi32>
  %op = tile.splat %o : tensor<64x64x!tile.ptr<f32>>
  %oq = tile.addptr %op, %out : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %oq, %v : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xf32>
  return
}

// -----

// A dot's accumulator takes the vector units' layout (lanes 4 x 8 and warps 2 x 2 over
// its rows and columns, registers repeating above them) from its initial value through
// the loop over k: nothing converts it inside the loop. The operands stay in their
// loads' layouts (the dot reads them through shared memory). The result is stored
// from the accumulator's layout: 8 lanes write 32 contiguous bytes, whole sectors, so
// moving it to the store's coalesced layout through shared memory would gain nothing.
// CHECK-LABEL: func.func @dot
// CHECK: arith.constant dense<0.000000e+00> : tensor<64x64xf32, #[[ACC:tgpu.blocked<sizePerThread = \[1, 1\], threadsPerWarp = \[4, 8\], warpsPerCTA = \[2, 2\], order = \[1, 0\]>]]>
// CHECK: scf.for
// CHECK-NOT: tgpu.convert_layout
// CHECK: tile.dot {{.*}} -> tensor<64x64xf32, #[[ACC]]>
// CHECK-NOT: tgpu.convert_layout
// CHECK: scf.yield
// CHECK-NOT: tgpu.convert_layout
// CHECK: tile.store {{.*}}tgpu.access_layout = #[[ACC]]
func.func @dot(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f32> {tile.divisibility = 16 : i32},
               %c: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %k: i32) attributes {tile.kernel} {
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
    %d = tile.dot %x, %y, %sum : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
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

// -----

// A transpose renames the dimensions of its operand's layout (nothing moves); join puts
// both elements of each pair in one thread's registers, its halves slices of that, and
// split takes them apart again.
// CHECK-LABEL: func.func @shapes
// CHECK: tile.trans %{{.*}}, [1, 0] : tensor<16x64xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [4, 1], order = [1, 0]>> -> tensor<64x16xf32, #tgpu.blocked<sizePerThread = [4, 1], threadsPerWarp = [16, 2], warpsPerCTA = [1, 4], order = [0, 1]>>
// CHECK: tile.join {{.*}} -> tensor<64x16x2xf32, #[[PAIRS:tgpu.blocked<sizePerThread = \[1, 1, 2\][^>]*>]]>
// CHECK: tile.split {{.*}} : tensor<64x16x2xf32, #[[PAIRS]]> -> tensor<64x16xf32, #tgpu.slice<dim = 2, parent = #[[PAIRS]]>>
func.func @shapes(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %c = tile.range 0 to 64 : tensor<64xi32>
  %c64 = arith.constant 64 : i32
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %c {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %s64 = tile.splat %c64 : tensor<16x1xi32>
  %ro = arith.muli %rows, %s64 : tensor<16x1xi32>
  %rb = tile.broadcast %ro : tensor<16x1xi32> -> tensor<16x64xi32>
  %cb = tile.broadcast %cols : tensor<1x64xi32> -> tensor<16x64xi32>
  %in = arith.addi %rb, %cb : tensor<16x64xi32>
  %p = tile.splat %x : tensor<16x64x!tile.ptr<f32>>
  %q = tile.addptr %p, %in : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  %v = tile.load %q : tensor<16x64x!tile.ptr<f32>> -> tensor<16x64xf32>
  %t = tile.trans %v, [1, 0] : tensor<16x64xf32> -> tensor<64x16xf32>
  %pairs = tile.join %t, %t : tensor<64x16xf32> -> tensor<64x16x2xf32>
  %a, %b = tile.split %pairs : tensor<64x16x2xf32> -> tensor<64x16xf32>
  %sum = arith.addf %a, %b : tensor<64x16xf32>
  %tt = tile.trans %sum, [1, 0] : tensor<64x16xf32> -> tensor<16x64xf32>
  %op = tile.splat %o : tensor<16x64x!tile.ptr<f32>>
  %oq = tile.addptr %op, %in : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xi32>
  tile.store %oq, %tt : tensor<16x64x!tile.ptr<f32>>, tensor<16x64xf32>
  return
}

// -----

// A reshape keeps each element in its thread: the result's layout is the source's bases
// under the new coordinates (row-major), here 128 elements over 4 warps of 32 lanes seen
// as 16 rows of 8. Reducing the rows then stays within a warp.
// CHECK-LABEL: func.func @reshape
// CHECK: tile.reshape %{{.*}} -> tensor<16x8xf32, #tgpu.linear<rank = 2, register = [], lane = {{\[\[}}0, 1], [0, 2], [0, 4], [1, 0], [2, 0]], warp = {{\[\[}}4, 0], [8, 0]]>>
// CHECK-NOT: tgpu.convert_layout
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

// Rows times a weight row (a norm's last step), 4 warps of 32 lanes. Alone, the
// 256-element weight gives each of the 128 threads two elements, an 8-byte vector; the
// rows want it as their layout's slice, which holds runs of 4 (16 bytes, half the
// threads holding copies). Its pointers are proven 16-byte aligned, so the weight is
// loaded in the slice directly: no conversion through shared memory.
// CHECK-LABEL: func.func @scale_rows
// CHECK: tile.load {{.*}} -> tensor<4x256xf32, #[[ROW:.*]]>{{$}}
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.slice<dim = 0, parent = #[[ROW]]>, tgpu.widest_vector = array<i64: 0, 4>}
// CHECK-NOT: tgpu.convert_layout
// CHECK: return
func.func @scale_rows(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %w: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                      %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %rows = tile.range 0 to 4 : tensor<4xi32>
  %rows2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %stride = arith.constant dense<256> : tensor<4x1xi32>
  %rowoff = arith.muli %rows2, %stride : tensor<4x1xi32>
  %cols = tile.range 0 to 256 : tensor<256xi32>
  %c2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<256xi32> -> tensor<1x256xi32>
  %rb = tile.broadcast %rowoff : tensor<4x1xi32> -> tensor<4x256xi32>
  %cb = tile.broadcast %c2 : tensor<1x256xi32> -> tensor<4x256xi32>
  %off = arith.addi %rb, %cb : tensor<4x256xi32>
  %xp = tile.splat %x : tensor<4x256x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %off : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xi32>
  %v = tile.load %xq : tensor<4x256x!tile.ptr<f32>> -> tensor<4x256xf32>
  %wp = tile.splat %w : tensor<256x!tile.ptr<f32>>
  %wq = tile.addptr %wp, %cols : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  %s = tile.load %wq : tensor<256x!tile.ptr<f32>> -> tensor<256xf32>
  %s2 = tile.expand_dims %s {axis = 0 : i32} : tensor<256xf32> -> tensor<1x256xf32>
  %sb = tile.broadcast %s2 : tensor<1x256xf32> -> tensor<4x256xf32>
  %y = arith.mulf %v, %sb : tensor<4x256xf32>
  %op = tile.splat %o : tensor<4x256x!tile.ptr<f32>>
  %oq = tile.addptr %op, %off : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xi32>
  tile.store %oq, %y : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xf32>
  return
}

// -----

// The same with nothing known of the weight's alignment: one element at a time is all
// the analysis allows, so the weight keeps its own layout and is converted.
// CHECK-LABEL: func.func @scale_rows_unaligned
// CHECK: tile.load {{.*}}tgpu.access_layout = #tgpu.blocked<sizePerThread = [1]{{.*}}tgpu.widest_vector = array<i64: 0, 1>}
// CHECK: tgpu.convert_layout
func.func @scale_rows_unaligned(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %w: !tile.ptr<f32>,
                      %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) attributes {tile.kernel} {
  %rows = tile.range 0 to 4 : tensor<4xi32>
  %rows2 = tile.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %stride = arith.constant dense<256> : tensor<4x1xi32>
  %rowoff = arith.muli %rows2, %stride : tensor<4x1xi32>
  %cols = tile.range 0 to 256 : tensor<256xi32>
  %c2 = tile.expand_dims %cols {axis = 0 : i32} : tensor<256xi32> -> tensor<1x256xi32>
  %rb = tile.broadcast %rowoff : tensor<4x1xi32> -> tensor<4x256xi32>
  %cb = tile.broadcast %c2 : tensor<1x256xi32> -> tensor<4x256xi32>
  %off = arith.addi %rb, %cb : tensor<4x256xi32>
  %xp = tile.splat %x : tensor<4x256x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %off : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xi32>
  %v = tile.load %xq : tensor<4x256x!tile.ptr<f32>> -> tensor<4x256xf32>
  %wp = tile.splat %w : tensor<256x!tile.ptr<f32>>
  %wq = tile.addptr %wp, %cols : tensor<256x!tile.ptr<f32>>, tensor<256xi32>
  %s = tile.load %wq : tensor<256x!tile.ptr<f32>> -> tensor<256xf32>
  %s2 = tile.expand_dims %s {axis = 0 : i32} : tensor<256xf32> -> tensor<1x256xf32>
  %sb = tile.broadcast %s2 : tensor<1x256xf32> -> tensor<4x256xf32>
  %y = arith.mulf %v, %sb : tensor<4x256xf32>
  %op = tile.splat %o : tensor<4x256x!tile.ptr<f32>>
  %oq = tile.addptr %op, %off : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xi32>
  tile.store %oq, %y : tensor<4x256x!tile.ptr<f32>>, tensor<4x256xf32>
  return
}

// -----

// A kernel's own tile.num_warps (a meta-parameter) decides its block; the pass option
// is the default for kernels that do not choose.
// CHECK-LABEL: func.func @eight_warps
// CHECK-SAME: tgpu.num_warps = 8 : i64, tgpu.warp_size = 32 : i64
// CHECK: tile.load {{.*}}warpsPerCTA = [8]
func.func @eight_warps(%x: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32})
    attributes {tile.kernel, tile.num_warps = 8 : i64} {
  %r = tile.range 0 to 1024 : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %a = tile.load %xq : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>
  %op = tile.splat %o : tensor<1024x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  tile.store %oq, %a : tensor<1024x!tile.ptr<f32>>, tensor<1024xf32>
  return
}
