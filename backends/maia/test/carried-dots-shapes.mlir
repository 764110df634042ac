// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia --canonicalize | FileCheck %s

// A tile of pointers advanced through a K loop: the loop carries its offset (a register
// iter arg, advanced by an addi), not a tile. The f32 dot runs on the vector unit: A is
// transposed once, then one vt.ger per step along K (4 here).
// CHECK-LABEL: func.func @pointer_loop_f32_dot() attributes {maia.kernel}
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[OFF:.*]] = %{{.*}}) -> (i64)
// CHECK: maia.dma_in
// CHECK: maia.vt.row trans f32
// CHECK-COUNT-4: maia.vt.ger f32
// CHECK-NOT: maia.vt.ger
// CHECK: %[[NEXT:.*]] = arith.addi %[[OFF]], %c4_i64
// CHECK: scf.yield %[[NEXT]] : i64
func.func @pointer_loop_f32_dot(%a: !tile.ptr<f32>, %b: !tile.ptr<f32>, %c: !tile.ptr<f32>, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c4 = arith.constant 4 : i32
  %r8 = tile.range 0 to 8 : tensor<8xi32>
  %r4 = tile.range 0 to 4 : tensor<4xi32>
  %rows = tile.expand_dims %r8 {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %kcols = tile.expand_dims %r4 {axis = 0 : i32} : tensor<4xi32> -> tensor<1x4xi32>
  %Ks = tile.splat %K : tensor<8x1xi32>
  %rowoff = arith.muli %rows, %Ks : tensor<8x1xi32>
  %rb = tile.broadcast %rowoff : tensor<8x1xi32> -> tensor<8x4xi32>
  %cb = tile.broadcast %kcols : tensor<1x4xi32> -> tensor<8x4xi32>
  %aoff = arith.addi %rb, %cb : tensor<8x4xi32>
  %ap = tile.splat %a : tensor<8x4x!tile.ptr<f32>>
  %aptrs = tile.addptr %ap, %aoff : tensor<8x4x!tile.ptr<f32>>, tensor<8x4xi32>
  %bk = tile.expand_dims %r4 {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c8 = arith.constant dense<8> : tensor<4x1xi32>
  %bkoff = arith.muli %bk, %c8 : tensor<4x1xi32>
  %bcols = tile.expand_dims %r8 {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %bkb = tile.broadcast %bkoff : tensor<4x1xi32> -> tensor<4x8xi32>
  %bcb = tile.broadcast %bcols : tensor<1x8xi32> -> tensor<4x8xi32>
  %boff = arith.addi %bkb, %bcb : tensor<4x8xi32>
  %bp = tile.splat %b : tensor<4x8x!tile.ptr<f32>>
  %bptrs = tile.addptr %bp, %boff : tensor<4x8x!tile.ptr<f32>>, tensor<4x8xi32>
  %acc0 = arith.constant dense<0.0> : tensor<8x8xf32>
  %step = arith.constant dense<4> : tensor<8x4xi32>
  %acc, %pa = scf.for %k = %c0 to %K step %c4 iter_args(%acc1 = %acc0, %p = %aptrs) -> (tensor<8x8xf32>, tensor<8x4x!tile.ptr<f32>>) : i32 {
    %x = tile.load %p : tensor<8x4x!tile.ptr<f32>> -> tensor<8x4xf32>
    %y = tile.load %bptrs : tensor<4x8x!tile.ptr<f32>> -> tensor<4x8xf32>
    %next = tile.dot %x, %y, %acc1 : tensor<8x4xf32>, tensor<4x8xf32> -> tensor<8x8xf32>
    %p2 = tile.addptr %p, %step : tensor<8x4x!tile.ptr<f32>>, tensor<8x4xi32>
    scf.yield %next, %p2 : tensor<8x8xf32>, tensor<8x4x!tile.ptr<f32>>
  }
  %cr = tile.expand_dims %r8 {axis = 1 : i32} : tensor<8xi32> -> tensor<8x1xi32>
  %c8b = arith.constant dense<8> : tensor<8x1xi32>
  %crow = arith.muli %cr, %c8b : tensor<8x1xi32>
  %crb = tile.broadcast %crow : tensor<8x1xi32> -> tensor<8x8xi32>
  %ccb = tile.broadcast %bcols : tensor<1x8xi32> -> tensor<8x8xi32>
  %coff = arith.addi %crb, %ccb : tensor<8x8xi32>
  %cp = tile.splat %c : tensor<8x8x!tile.ptr<f32>>
  %cptrs = tile.addptr %cp, %coff : tensor<8x8x!tile.ptr<f32>>, tensor<8x8xi32>
  tile.store %cptrs, %acc : tensor<8x8x!tile.ptr<f32>>, tensor<8x8xf32>
  return
}

// -----

// argmax along the columns is one row operation yielding i32; a `reduce` whose combine
// function is one maxsi is a row max, in the tile's own dtype.
// CHECK-LABEL: func.func @argmax_and_combiner() attributes {maia.kernel}
// CHECK: maia.vt.row argmax i64 %[[IDX:.*]], %c0_i64, %c16_i64, %c4_i64 sem
// CHECK: maia.vt.row max i64 %[[MAX:.*]], %c0_i64, %c16_i64, %c4_i64 sem
// CHECK: maia.dma_out %{{.*}}, %[[IDX]]
// CHECK: maia.dma_out %{{.*}}, %[[MAX]]
func.func @argmax_and_combiner(%x: !tile.ptr<i64>, %i: !tile.ptr<i32>, %m: !tile.ptr<i64>) attributes {tile.kernel} {
  %r4 = tile.range 0 to 4 : tensor<4xi32>
  %r16 = tile.range 0 to 16 : tensor<16xi32>
  %rows = tile.expand_dims %r4 {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %c16 = arith.constant dense<16> : tensor<4x1xi32>
  %rowoff = arith.muli %rows, %c16 : tensor<4x1xi32>
  %cols = tile.expand_dims %r16 {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %rowoff : tensor<4x1xi32> -> tensor<4x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<4x16xi32>
  %off = arith.addi %rb, %cb : tensor<4x16xi32>
  %xp = tile.splat %x : tensor<4x16x!tile.ptr<i64>>
  %xq = tile.addptr %xp, %off : tensor<4x16x!tile.ptr<i64>>, tensor<4x16xi32>
  %t = tile.load %xq : tensor<4x16x!tile.ptr<i64>> -> tensor<4x16xi64>
  %idx = tile.reduce argmax %t {axis = 1 : i32} : tensor<4x16xi64> -> tensor<4xi32>
  %max = tile.reduce_with %t {axis = 1 : i32} : tensor<4x16xi64> -> tensor<4xi64> {
  ^bb0(%a: i64, %b: i64):
    %c = arith.maxsi %a, %b : i64
    tile.yield %c : i64
  }
  %ip = tile.splat %i : tensor<4x!tile.ptr<i32>>
  %iq = tile.addptr %ip, %r4 : tensor<4x!tile.ptr<i32>>, tensor<4xi32>
  tile.store %iq, %idx : tensor<4x!tile.ptr<i32>>, tensor<4xi32>
  %mp = tile.splat %m : tensor<4x!tile.ptr<i64>>
  %mq = tile.addptr %mp, %r4 : tensor<4x!tile.ptr<i64>>, tensor<4xi32>
  tile.store %mq, %max : tensor<4x!tile.ptr<i64>>, tensor<4xi64>
  return
}

// -----

// join stacks its operands as two rows and transposes them; reshape moves nothing (the
// store after it reads the join's buffer).
// CHECK-LABEL: func.func @join_reshape() attributes {maia.kernel}
// CHECK: maia.vt.convert f32 to f32 %[[STACK:c[0-9]+_i64]], %c0_i64, %c32_i64 sem
// CHECK: maia.vt.convert f32 to f32 %{{.*}}, %{{.*}}, %c32_i64 sem
// CHECK: maia.vt.row trans f32 %[[OUT:.*]], %[[STACK]], %c32_i64, %c2_i64 sem
// CHECK-NOT: maia.vt
// CHECK: maia.dma_out %{{.*}}, %[[OUT]]
func.func @join_reshape(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 32 : tensor<32xi32>
  %xp = tile.splat %x : tensor<32x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %yp = tile.splat %y : tensor<32x!tile.ptr<f32>>
  %yq = tile.addptr %yp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %a = tile.load %xq : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>
  %b = tile.load %yq : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>
  %j = tile.join %a, %b : tensor<32xf32> -> tensor<32x2xf32>
  %flat = tile.reshape %j : tensor<32x2xf32> -> tensor<64xf32>
  %r64 = tile.range 0 to 64 : tensor<64xi32>
  %op = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r64 : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %oq, %flat : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  return
}

// -----

// A branch yielding a tile: its buffer is allocated before the branch, and each side
// copies its own tile into it (an exact copy of the elements).
// CHECK-LABEL: func.func @if_else_tile() attributes {maia.kernel}
// CHECK: scf.if
// CHECK: maia.vt.convert i32 to i32 %[[R:c[0-9]+_i64]]
// CHECK: } else {
// CHECK: maia.vt.convert i32 to i32 %[[R]]
// CHECK: maia.dma_out %{{.*}}, %[[R]]
func.func @if_else_tile(%x: !tile.ptr<i32>, %o: !tile.ptr<i32>, %flag: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %r = tile.range 0 to 16 : tensor<16xi32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<i32>>
  %xq = tile.addptr %xp, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %t = tile.load %xq : tensor<16x!tile.ptr<i32>> -> tensor<16xi32>
  %cond = arith.cmpi sgt, %flag, %c0 : i32
  %v = scf.if %cond -> (tensor<16xi32>) {
    %d = arith.addi %t, %t : tensor<16xi32>
    scf.yield %d : tensor<16xi32>
  } else {
    %n = arith.subi %r, %t : tensor<16xi32>
    scf.yield %n : tensor<16xi32>
  }
  %op = tile.splat %o : tensor<16x!tile.ptr<i32>>
  %oq = tile.addptr %op, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  tile.store %oq, %v : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  return
}

// -----

// A load whose innermost stride arrives at run time: one DMA per block row, each of
// one-element rows `stride` elements apart (4 bytes each in TSRAM).
// CHECK-LABEL: func.func @runtime_inner_stride() attributes {maia.kernel}
// CHECK-COUNT-2: maia.dma_in {{.*}} {tsram_stride = 4 : i32}
// CHECK-NOT: maia.dma_in
func.func @runtime_inner_stride(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>, %s: i32) attributes {tile.kernel} {
  %r2 = tile.range 0 to 2 : tensor<2xi32>
  %r8 = tile.range 0 to 8 : tensor<8xi32>
  %rows = tile.expand_dims %r2 {axis = 1 : i32} : tensor<2xi32> -> tensor<2x1xi32>
  %c64 = arith.constant dense<64> : tensor<2x1xi32>
  %rowoff = arith.muli %rows, %c64 : tensor<2x1xi32>
  %cols = tile.expand_dims %r8 {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %ss = tile.splat %s : tensor<1x8xi32>
  %coloff = arith.muli %cols, %ss : tensor<1x8xi32>
  %rb = tile.broadcast %rowoff : tensor<2x1xi32> -> tensor<2x8xi32>
  %cb = tile.broadcast %coloff : tensor<1x8xi32> -> tensor<2x8xi32>
  %off = arith.addi %rb, %cb : tensor<2x8xi32>
  %xp = tile.splat %x : tensor<2x8x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %off : tensor<2x8x!tile.ptr<f32>>, tensor<2x8xi32>
  %t = tile.load %xq : tensor<2x8x!tile.ptr<f32>> -> tensor<2x8xf32>
  %c8 = arith.constant dense<8> : tensor<2x1xi32>
  %orow = arith.muli %rows, %c8 : tensor<2x1xi32>
  %orb = tile.broadcast %orow : tensor<2x1xi32> -> tensor<2x8xi32>
  %ocb = tile.broadcast %cols : tensor<1x8xi32> -> tensor<2x8xi32>
  %ooff = arith.addi %orb, %ocb : tensor<2x8xi32>
  %op = tile.splat %o : tensor<2x8x!tile.ptr<f32>>
  %oq = tile.addptr %op, %ooff : tensor<2x8x!tile.ptr<f32>>, tensor<2x8xi32>
  tile.store %oq, %t : tensor<2x8x!tile.ptr<f32>>, tensor<2x8xf32>
  return
}

// -----

// A load under a mask of data (`offs % 3 != 0`) is one dma.gather over the block's
// offsets (an iota made i64) with the mask's bytes; its masked-off lanes hold `other`.
// CHECK-LABEL: func.func @data_masked_load() attributes {maia.kernel}
// CHECK: maia.vt.binary ne i32 %[[MASK:c[0-9]+_i64]]
// CHECK: maia.vt.iota i64 %[[OFFS:c[0-9]+_i64]], %c0_i64, %c16_i64
// CHECK: maia.vfill %[[OUT:c[0-9]+_i64]], %c3235905536_i64, %c16_i64
// CHECK: maia.dma_indexed gather f32 %{{.*}}, %[[OUT]], %[[OFFS]], %c16_i64 mask %[[MASK]] sem
func.func @data_masked_load(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %c3 = arith.constant dense<3> : tensor<16xi32>
  %c0 = arith.constant dense<0> : tensor<16xi32>
  %rem = arith.remsi %r, %c3 : tensor<16xi32>
  %m = arith.cmpi ne, %rem, %c0 : tensor<16xi32>
  %other = arith.constant dense<-7.0> : tensor<16xf32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %xq, %m, %other : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>, tensor<16xf32>
  %op = tile.splat %o : tensor<16x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  tile.store %oq, %v : tensor<16x!tile.ptr<f32>>, tensor<16xf32>
  return
}

// -----

// An atomic through pointers offset by data (`slots + offs % n`): the offsets become
// i64 data and one dma.add.x updates the slots in index order; its old values come back
// into the copy of the added values.
// CHECK-LABEL: func.func @atomic_data_pointers() attributes {maia.kernel}
// CHECK: maia.vt.binary rem i32
// CHECK: maia.vt.convert i32 to i64
// CHECK: maia.vt.binary add i64 %[[OFFS:c[0-9]+_i64]]
// CHECK: maia.vt.convert i32 to i32 %[[VALS:c[0-9]+_i64]]
// CHECK: maia.dma_indexed add i32 %{{.*}}, %[[VALS]], %[[OFFS]], %c16_i64 sem
func.func @atomic_data_pointers(%x: !tile.ptr<i32>, %slots: !tile.ptr<i32>, %n: i32) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<i32>>
  %xq = tile.addptr %xp, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %v = tile.load %xq : tensor<16x!tile.ptr<i32>> -> tensor<16xi32>
  %ns = tile.splat %n : tensor<16xi32>
  %slot = arith.remsi %r, %ns : tensor<16xi32>
  %sp = tile.splat %slots : tensor<16x!tile.ptr<i32>>
  %sq = tile.addptr %sp, %slot : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %old = tile.atomic_rmw add %sq, %v : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  return
}

// -----

// A permutation of three axes: [4, 4, 8] by [2, 0, 1] is one transpose of the [16, 8]
// matrix its elements form; by [0, 2, 1], a batch of 4 transposes of [4, 8] matrices.
// CHECK-LABEL: func.func @permute() attributes {maia.kernel}
// CHECK: maia.vt.row trans f32 %{{.*}}, %c0_i64, %c8_i64, %c16_i64 sem
// CHECK-COUNT-4: maia.vt.row trans f32 %{{.*}}, %{{.*}}, %c8_i64, %c4_i64 sem
// CHECK-NOT: maia.vt.row trans
func.func @permute(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 128 : tensor<128xi32>
  %xp = tile.splat %x : tensor<128x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  %v = tile.load %xq : tensor<128x!tile.ptr<f32>> -> tensor<128xf32>
  %t = tile.reshape %v : tensor<128xf32> -> tensor<4x4x8xf32>
  %p = tile.trans %t, [2, 0, 1] : tensor<4x4x8xf32> -> tensor<8x4x4xf32>
  %q = tile.trans %t, [0, 2, 1] : tensor<4x4x8xf32> -> tensor<4x8x4xf32>
  %pf = tile.reshape %p : tensor<8x4x4xf32> -> tensor<128xf32>
  %qf = tile.reshape %q : tensor<4x8x4xf32> -> tensor<128xf32>
  %s = arith.addf %pf, %qf : tensor<128xf32>
  %op = tile.splat %o : tensor<128x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %oq, %s : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  return
}

// -----

// An index tile advanced by a uniform step is carried as its start, in a register; one
// the body rebuilds otherwise (a difference, which makes data) is carried in TSRAM.
// CHECK-LABEL: func.func @index_carries() attributes {maia.kernel}
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[X:.*]] = %c0_i64) -> (i64)
// CHECK: %[[NEXT:.*]] = arith.addi %[[X]], %c1_i64
// CHECK: maia.vt.binary sub i32
// CHECK: scf.yield %[[NEXT]] : i64
func.func @index_carries(%o: !tile.ptr<i32>, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = tile.range 0 to 16 : tensor<16xi32>
  %one = arith.constant dense<1> : tensor<16xi32>
  %a, %b = scf.for %k = %c0 to %K step %c1 iter_args(%x = %r, %y = %r) -> (tensor<16xi32>, tensor<16xi32>) : i32 {
    %x2 = arith.addi %x, %one : tensor<16xi32>
    %y2 = arith.subi %y, %one : tensor<16xi32>
    scf.yield %x2, %y2 : tensor<16xi32>, tensor<16xi32>
  }
  %s = arith.addi %a, %b : tensor<16xi32>
  %op = tile.splat %o : tensor<16x!tile.ptr<i32>>
  %oq = tile.addptr %op, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  tile.store %oq, %s : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  return
}
