// RUN: tegula-opt %s --tegula-convert-tile-to-maia --canonicalize | FileCheck %s

// The vector unit beyond add and multiply. A [1,16] weight broadcast along the rows is a
// column op; sqrt and erf are unary ops; an integer argument converted to f32 goes
// through cvtf into a fill; a float argument arrives as its bit pattern and fills
// directly; where(cols < n, x, -inf) copies x and fills each row's tail from column n.
// CHECK-LABEL: func.func @vector_ops() attributes {maia.kernel}
// CHECK-DAG: %[[N:.*]] = maia.arg 3
// CHECK-DAG: %[[S:.*]] = maia.arg 4
// CHECK: maia.vcol add %[[SUM:c[0-9]+_i64]], %c0_i64, %c256_i64, %c16_i64, %c4_i64
// CHECK: maia.vunary sqrt %[[ROOT:c[0-9]+_i64]], %[[SUM]], %c64_i64
// CHECK: %[[NF:.*]] = maia.cvtf %[[N]]
// CHECK: maia.vfill %[[NS:c[0-9]+_i64]], %[[NF]], %c64_i64
// CHECK: maia.vbinary div %[[Q:c[0-9]+_i64]], %[[ROOT]], %[[NS]], %c64_i64
// CHECK: maia.vunary erf %[[E:c[0-9]+_i64]], %[[Q]], %c64_i64
// CHECK: maia.vfill %[[SS:c[0-9]+_i64]], %[[S]], %c64_i64
// CHECK: maia.vbinary mul %[[SCALED:c[0-9]+_i64]], %[[E]], %[[SS]], %c64_i64
// CHECK: maia.vunary copy %[[SEL:c[0-9]+_i64]], %[[SCALED]], %c64_i64
// CHECK: maia.vfilltail %[[SEL]], %[[N]], %c4286578688_i64, %c16_i64, %c4_i64 step 0
// CHECK: maia.dma_out %{{.*}}, %[[SEL]]
func.func @vector_ops(%x: !tile.ptr<f32>, %w: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32, %s: f32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c4 = arith.constant 4 : i32
  %dx = tile.make_desc %x, shape [%c4, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<4x16xf32>
  %do = tile.make_desc %o, shape [%c4, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<4x16xf32>
  %t = tile.desc_load %dx[%c0, %c0] : !tile.desc<4x16xf32> -> tensor<4x16xf32>
  %r = tile.range 0 to 16 : tensor<16xi32>
  %wp = tile.splat %w : tensor<16x!tile.ptr<f32>>
  %wq = tile.addptr %wp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %wv = tile.load %wq : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  %wr = tile.expand_dims %wv {axis = 0 : i32} : tensor<16xf32> -> tensor<1x16xf32>
  %wb = tile.broadcast %wr : tensor<1x16xf32> -> tensor<4x16xf32>
  %sum = arith.addf %t, %wb : tensor<4x16xf32>
  %root = math.sqrt %sum : tensor<4x16xf32>
  %nf = arith.sitofp %n : i32 to f32
  %ns = tile.splat %nf : tensor<4x16xf32>
  %q = arith.divf %root, %ns : tensor<4x16xf32>
  %ss = tile.splat %s : tensor<4x16xf32>
  %e = math.erf %q : tensor<4x16xf32>
  %scaled = arith.mulf %e, %ss : tensor<4x16xf32>
  %rc = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rcb = tile.broadcast %rc : tensor<1x16xi32> -> tensor<4x16xi32>
  %nb = tile.splat %n : tensor<4x16xi32>
  %m = arith.cmpi slt, %rcb, %nb : tensor<4x16xi32>
  %ninf = arith.constant 0xFF800000 : f32
  %ni = tile.splat %ninf : tensor<4x16xf32>
  %sel = arith.select %m, %scaled, %ni : tensor<4x16xi1>, tensor<4x16xf32>
  tile.desc_store %do[%c0, %c0], %sel : !tile.desc<4x16xf32>, tensor<4x16xf32>
  return
}
