// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia --canonicalize | FileCheck %s

// An i32 tile loaded with `other` 7 (the masked-off lanes filled by vt.fill, one
// element of the type each, not words), its remainder by the index tile (made data by
// vt.iota), and the result stored.
// CHECK-LABEL: func.func @int_rem() attributes {maia.kernel}
// CHECK: maia.vt.fill i32 %c0_i64, %c7_i64, %c40_i64 sem
// CHECK: maia.dma_in %c0_i64
// CHECK: maia.vt.iota i32 %c256_i64, %{{.*}}, %c40_i64 sem
// CHECK: maia.vt.binary rem i32 %c512_i64, %c0_i64, %c256_i64, %c40_i64 sem
// CHECK: maia.dma_out %{{.*}}, %c512_i64
func.func @int_rem(%x: !tile.ptr<i32>, %o: !tile.ptr<i32>, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id 0 : i32
  %c40 = arith.constant 40 : i32
  %start = arith.muli %pid, %c40 : i32
  %r = tile.range 0 to 40 : tensor<40xi32>
  %s = tile.splat %start : tensor<40xi32>
  %offs = arith.addi %s, %r : tensor<40xi32>
  %ns = tile.splat %n : tensor<40xi32>
  %m = arith.cmpi slt, %offs, %ns : tensor<40xi32>
  %seven = arith.constant dense<7> : tensor<40xi32>
  %xp = tile.splat %x : tensor<40x!tile.ptr<i32>>
  %xq = tile.addptr %xp, %offs : tensor<40x!tile.ptr<i32>>, tensor<40xi32>
  %a = tile.load %xq, %m, %seven : tensor<40x!tile.ptr<i32>> -> tensor<40xi32>, tensor<40xi1>, tensor<40xi32>
  %q = arith.remsi %a, %offs : tensor<40xi32>
  %op = tile.splat %o : tensor<40x!tile.ptr<i32>>
  %oq = tile.addptr %op, %offs : tensor<40x!tile.ptr<i32>>, tensor<40xi32>
  tile.store %oq, %q, %m : tensor<40x!tile.ptr<i32>>, tensor<40xi32>, tensor<40xi1>
  return
}

// -----

// A mask from a float comparison (one byte per element) chooses between two tiles;
// the select and the comparison run on the typed unit, in f32.
// CHECK-LABEL: func.func @float_where() attributes {maia.kernel}
// CHECK: maia.vt.binary lt f32 %[[MASK:c[0-9]+_i64]], %c0_i64, %c256_i64, %c32_i64 sem
// CHECK: maia.vt.select f32 %{{.*}}, %[[MASK]], %c256_i64, %c0_i64, %c32_i64 sem
func.func @float_where(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 32 : tensor<32xi32>
  %xp = tile.splat %x : tensor<32x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %yp = tile.splat %y : tensor<32x!tile.ptr<f32>>
  %yq = tile.addptr %yp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %a = tile.load %xq : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>
  %b = tile.load %yq : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>
  %lt = arith.cmpf olt, %a, %b : tensor<32xf32>
  %w = arith.select %lt, %b, %a : tensor<32xi1>, tensor<32xf32>
  %op = tile.splat %o : tensor<32x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  tile.store %oq, %w : tensor<32x!tile.ptr<f32>>, tensor<32xf32>
  return
}

// -----

// Casts between integers and floats are one vt.convert each; f16 arithmetic runs in
// f16 on the typed unit.
// CHECK-LABEL: func.func @casts() attributes {maia.kernel}
// CHECK: maia.vt.convert i32 to f16
// CHECK: maia.vt.binary mul f16
// CHECK: maia.vt.convert f16 to i8
func.func @casts(%x: !tile.ptr<i32>, %o: !tile.ptr<i8>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<i32>>
  %xq = tile.addptr %xp, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %a = tile.load %xq : tensor<16x!tile.ptr<i32>> -> tensor<16xi32>
  %f = arith.sitofp %a : tensor<16xi32> to tensor<16xf16>
  %g = arith.mulf %f, %f : tensor<16xf16>
  %i = arith.fptosi %g : tensor<16xf16> to tensor<16xi8>
  %op = tile.splat %o : tensor<16x!tile.ptr<i8>>
  %oq = tile.addptr %op, %r : tensor<16x!tile.ptr<i8>>, tensor<16xi32>
  tile.store %oq, %i : tensor<16x!tile.ptr<i8>>, tensor<16xi8>
  return
}

// -----

// An index tile used as data (`i & 1`, stored) is made data by one vt.iota; tanh, which
// the f32 unit lacks, runs on the typed unit in f32.
// CHECK-LABEL: func.func @index_as_data() attributes {maia.kernel}
// CHECK: maia.vt.iota i32 %[[I:c[0-9]+_i64]], %c0_i64, %c16_i64 sem
// CHECK: maia.vt.fill i32 %[[ONE:c[0-9]+_i64]], %c1_i64, %c16_i64 sem
// CHECK: maia.vt.binary and i32 %{{.*}}, %[[I]], %[[ONE]], %c16_i64 sem
// CHECK: maia.vt.unary tanh f32
func.func @index_as_data(%a: !tile.ptr<i32>, %f: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %one = arith.constant dense<1> : tensor<16xi32>
  %b = arith.andi %r, %one : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<i32>>
  %q = tile.addptr %p, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  tile.store %q, %b : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %fp = tile.splat %f : tensor<16x!tile.ptr<f32>>
  %fq = tile.addptr %fp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %fq : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  %t = math.tanh %v : tensor<16xf32>
  tile.store %fq, %t : tensor<16x!tile.ptr<f32>>, tensor<16xf32>
  return
}

// -----

// An i32 reduction down the columns (axis 0) is a transpose and a row sum; a reverse
// cumulative maximum along axis 0 is transpose, reverse, scan, reverse, transpose, each
// waiting for the one before.
// CHECK-LABEL: func.func @rows() attributes {maia.kernel}
// CHECK: maia.vt.row trans i32 %[[T:c[0-9]+_i64]], %c0_i64, %c8_i64, %c4_i64 sem
// CHECK: maia.vt.row sum i32 %{{.*}}, %[[T]], %c4_i64, %c8_i64 sem
// CHECK: maia.vt.row trans i32
// CHECK-NEXT: maia.wait
// CHECK-NEXT: maia.vt.row rev i32
// CHECK-NEXT: maia.wait
// CHECK-NEXT: maia.vt.row scanmax i32
// CHECK-NEXT: maia.wait
// CHECK-NEXT: maia.vt.row rev i32
// CHECK-NEXT: maia.wait
// CHECK-NEXT: maia.vt.row trans i32
func.func @rows(%a: !tile.ptr<i32>, %o: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 4 : tensor<4xi32>
  %c = tile.range 0 to 8 : tensor<8xi32>
  %eight = arith.constant dense<8> : tensor<4x1xi32>
  %rc = tile.expand_dims %r {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %rs = arith.muli %rc, %eight : tensor<4x1xi32>
  %rb = tile.broadcast %rs : tensor<4x1xi32> -> tensor<4x8xi32>
  %cr = tile.expand_dims %c {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %cb = tile.broadcast %cr : tensor<1x8xi32> -> tensor<4x8xi32>
  %offs = arith.addi %rb, %cb : tensor<4x8xi32>
  %p = tile.splat %a : tensor<4x8x!tile.ptr<i32>>
  %q = tile.addptr %p, %offs : tensor<4x8x!tile.ptr<i32>>, tensor<4x8xi32>
  %v = tile.load %q : tensor<4x8x!tile.ptr<i32>> -> tensor<4x8xi32>
  %s = tile.reduce sum %v {axis = 0 : i32} : tensor<4x8xi32> -> tensor<8xi32>
  %op = tile.splat %o : tensor<8x!tile.ptr<i32>>
  %oq = tile.addptr %op, %c : tensor<8x!tile.ptr<i32>>, tensor<8xi32>
  tile.store %oq, %s : tensor<8x!tile.ptr<i32>>, tensor<8xi32>
  %m = tile.scan max %v {axis = 0 : i32, reverse = true} : tensor<4x8xi32>
  tile.store %q, %m : tensor<4x8x!tile.ptr<i32>>, tensor<4x8xi32>
  return
}

// -----

// A sum to a scalar is a one-row reduction into a one-element buffer; dividing it by a
// number is a one-element vector command, a splat of it a row broadcast, and storing it
// through one pointer a DMA of one element.
// CHECK-LABEL: func.func @scalar_sum() attributes {maia.kernel}
// CHECK: maia.vt.row sum f32 %[[S:c[0-9]+_i64]], %c0_i64, %c32_i64, %c1_i64 sem
// CHECK: maia.vt.binary div f32 %[[MEAN:c[0-9]+_i64]], %[[S]], %{{.*}}, %c1_i64 sem
// CHECK: maia.vt.row bcast f32 %{{.*}}, %[[MEAN]], %c32_i64, %c1_i64 sem
// CHECK: maia.dma_out %{{.*}}, %[[MEAN]], %c1_i64, %c4_i64, %c4_i64 sem
func.func @scalar_sum(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>, %m: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 32 : tensor<32xi32>
  %xp = tile.splat %x : tensor<32x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  %v = tile.load %xq : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>
  %s = tile.reduce sum %v {axis = 0 : i32} : tensor<32xf32> -> f32
  %n = arith.constant 32.0 : f32
  %mean = arith.divf %s, %n : f32
  %ms = tile.splat %mean : tensor<32xf32>
  %c = arith.subf %v, %ms : tensor<32xf32>
  %op = tile.splat %o : tensor<32x!tile.ptr<f32>>
  %oq = tile.addptr %op, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  tile.store %oq, %c : tensor<32x!tile.ptr<f32>>, tensor<32xf32>
  tile.store %m, %mean : !tile.ptr<f32>, f32
  return
}
