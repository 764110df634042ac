// RUN: tegula-opt %s -split-input-file -tegula-convert-tile-to-linalg | FileCheck %s
// RUN: tegula-opt %s -split-input-file -tegula-convert-tile-to-linalg=bounds-check=1 | FileCheck %s --check-prefix=BC

// Lowering of tile kernels to linalg/tensor/scf on tensors, one case per tile op.
// Pointers become i64 addresses and every kernel gains six trailing i32 arguments
// (program id x, y, z, then the grid size x, y, z).

// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @range
// CHECK-SAME: (%{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32) -> tensor<16xi32>
// CHECK-SAME: attributes {tile.kernel}
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<16xi32>
// CHECK: %[[GEN:.*]] = linalg.generic {indexing_maps = [#[[$ID1]]], iterator_types = ["parallel"]} outs(%[[INIT]] : tensor<16xi32>)
// CHECK: %[[IDX:.*]] = linalg.index 0 : index
// CHECK: %[[I:.*]] = arith.index_cast %[[IDX]] : index to i32
// CHECK: %[[START:.*]] = arith.constant 4 : i32
// CHECK: %[[V:.*]] = arith.addi %[[I]], %[[START]] : i32
// CHECK: linalg.yield %[[V]] : i32
// CHECK: return %[[GEN]]
// CHECK-NOT: tile.range
func.func @range() -> tensor<16xi32> attributes {tile.kernel} {
  %0 = tile.range 4 to 20 : tensor<16xi32>
  return %0 : tensor<16xi32>
}

// -----

// CHECK-LABEL: func.func @splat
// CHECK-SAME: (%[[X:[^:]+]]: f32,
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<8x4xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[X]] : f32) outs(%[[INIT]] : tensor<8x4xf32>) -> tensor<8x4xf32>
// CHECK: return %[[FILL]]
func.func @splat(%x: f32) -> tensor<8x4xf32> attributes {tile.kernel} {
  %0 = tile.splat %x : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// The size-1 dimension is read at index 0; the other keeps its iterator.
// CHECK-DAG: #[[$BCAST:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: (%[[T:[^:]+]]: tensor<1x32xf32>,
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<16x32xf32>
// CHECK: %[[GEN:.*]] = linalg.generic {indexing_maps = [#[[$BCAST]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[T]] : tensor<1x32xf32>) outs(%[[INIT]] : tensor<16x32xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: return %[[GEN]]
func.func @broadcast(%t: tensor<1x32xf32>) -> tensor<16x32xf32> attributes {tile.kernel} {
  %0 = tile.broadcast %t : tensor<1x32xf32> -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// CHECK-LABEL: func.func @expand_dims
// CHECK-SAME: (%[[V:[^:]+]]: tensor<32xi32>, %[[M:[^:]+]]: tensor<4x8xi32>,
// CHECK: %[[A:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [1, 32] : tensor<32xi32> into tensor<1x32xi32>
// CHECK: %[[B:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [32, 1] : tensor<32xi32> into tensor<32x1xi32>
// CHECK: %[[C:.*]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [1, 4, 8] : tensor<4x8xi32> into tensor<1x4x8xi32>
// CHECK: %[[D:.*]] = tensor.expand_shape %[[M]] {{\[}}[0], [1, 2]] output_shape [4, 1, 8] : tensor<4x8xi32> into tensor<4x1x8xi32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[M]] {{\[}}[0], [1, 2]] output_shape [4, 8, 1] : tensor<4x8xi32> into tensor<4x8x1xi32>
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @expand_dims(%v: tensor<32xi32>, %m: tensor<4x8xi32>)
    -> (tensor<1x32xi32>, tensor<32x1xi32>, tensor<1x4x8xi32>, tensor<4x1x8xi32>, tensor<4x8x1xi32>)
    attributes {tile.kernel} {
  %0 = tile.expand_dims %v {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %1 = tile.expand_dims %v {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %2 = tile.expand_dims %m {axis = 0 : i32} : tensor<4x8xi32> -> tensor<1x4x8xi32>
  %3 = tile.expand_dims %m {axis = 1 : i32} : tensor<4x8xi32> -> tensor<4x1x8xi32>
  %4 = tile.expand_dims %m {axis = 2 : i32} : tensor<4x8xi32> -> tensor<4x8x1xi32>
  return %0, %1, %2, %3, %4
      : tensor<1x32xi32>, tensor<32x1xi32>, tensor<1x4x8xi32>, tensor<4x1x8xi32>, tensor<4x8x1xi32>
}

// -----

// A reshape goes through the flat tile: collapse to rank 1, then expand.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[T:[^:]+]]: tensor<16x32xf16>,
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0, 1]] : tensor<16x32xf16> into tensor<512xf16>
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1, 2]] output_shape [4, 8, 16] : tensor<512xf16> into tensor<4x8x16xf16>
// CHECK: %[[FLAT2:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0, 1]] : tensor<16x32xf16> into tensor<512xf16>
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[OUT]], %[[FLAT2]]
func.func @reshape(%t: tensor<16x32xf16>) -> (tensor<4x8x16xf16>, tensor<512xf16>)
    attributes {tile.kernel} {
  %0 = tile.reshape %t : tensor<16x32xf16> -> tensor<4x8x16xf16>
  %1 = tile.reshape %t : tensor<16x32xf16> -> tensor<512xf16>
  return %0, %1 : tensor<4x8x16xf16>, tensor<512xf16>
}

// -----

// CHECK-LABEL: func.func @trans
// CHECK-SAME: (%[[T:[^:]+]]: tensor<2x4x8xbf16>,
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<8x2x4xbf16>
// CHECK: %[[TR:.*]] = linalg.transpose ins(%[[T]] : tensor<2x4x8xbf16>) outs(%[[INIT]] : tensor<8x2x4xbf16>) permutation = [2, 0, 1]
// CHECK: return %[[TR]]
func.func @trans(%t: tensor<2x4x8xbf16>) -> tensor<8x2x4xbf16> attributes {tile.kernel} {
  %0 = tile.trans %t, [2, 0, 1] : tensor<2x4x8xbf16> -> tensor<8x2x4xbf16>
  return %0 : tensor<8x2x4xbf16>
}

// -----

// Pointers become i64 byte addresses: an offset is sign-extended and scaled by the
// element size. Program ids and grid sizes are read from the appended arguments.
// CHECK-LABEL: func.func @addptr
// CHECK-SAME: (%[[P:[^:]+]]: i64, %[[OFF:[^:]+]]: i32,
// CHECK-SAME: %[[PIDX:[^:]+]]: i32, %[[PIDY:[^:]+]]: i32, %[[PIDZ:[^:]+]]: i32,
// CHECK-SAME: %[[NX:[^:]+]]: i32, %[[NY:[^:]+]]: i32, %[[NZ:[^:]+]]: i32) -> tensor<64xi64>
// CHECK-DAG: %[[FOUR:.*]] = arith.constant 4 : i64
// CHECK: %[[WIDE:.*]] = arith.extsi %[[PIDY]] : i32 to i64
// CHECK: %[[BYTES:.*]] = arith.muli %[[WIDE]], %[[FOUR]] : i64
// CHECK: %[[Q:.*]] = arith.addi %[[P]], %[[BYTES]] : i64
// CHECK: %[[RANGE:.*]] = linalg.generic
// CHECK: %[[SPLAT:.*]] = linalg.fill ins(%[[Q]] : i64) outs(%{{.*}} : tensor<64xi64>) -> tensor<64xi64>
// CHECK: %[[PTRS:.*]] = linalg.generic
// CHECK-SAME: ins(%[[SPLAT]], %[[RANGE]] : tensor<64xi64>, tensor<64xi32>) outs(%{{.*}} : tensor<64xi64>)
// CHECK-NEXT: ^bb0(%[[BASE:.*]]: i64, %[[O:.*]]: i32, %{{.*}}: i64):
// CHECK: %[[OW:.*]] = arith.extsi %[[O]] : i32 to i64
// CHECK: %[[OB:.*]] = arith.muli %[[OW]], %{{.*}} : i64
// CHECK: %[[A:.*]] = arith.addi %[[BASE]], %[[OB]] : i64
// CHECK: linalg.yield %[[A]] : i64
// A scalar offset is used directly inside the body.
// CHECK: %[[LAST:.*]] = linalg.generic
// CHECK-SAME: ins(%[[PTRS]] : tensor<64xi64>)
// CHECK: arith.extsi %[[NZ]] : i32 to i64
// CHECK: return %[[LAST]] : tensor<64xi64>
// CHECK-NOT: {{(= |^ *)tile\.}}
func.func @addptr(%p: !tile.ptr<f32>, %off: i32) -> tensor<64x!tile.ptr<f32>>
    attributes {tile.kernel} {
  %pid = tile.program_id 1 : i32
  %n = tile.num_programs 2 : i32
  %q = tile.addptr %p, %pid : !tile.ptr<f32>, i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %ps = tile.splat %q : tensor<64x!tile.ptr<f32>>
  %x = tile.addptr %ps, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %y = tile.addptr %x, %n : tensor<64x!tile.ptr<f32>>, i32
  return %y : tensor<64x!tile.ptr<f32>>
}

// -----

// A masked load reads each lane behind its mask and yields `other` elsewhere.
// CHECK-LABEL: func.func @load
// CHECK-SAME: (%[[PTRS:[^:]+]]: tensor<16xi64>, %[[MASK:[^:]+]]: tensor<16xi1>, %[[OTHER:[^:]+]]: tensor<16xf32>, %[[P:[^:]+]]: i64, %[[M:[^:]+]]: i1,
// CHECK: %[[GEN:.*]] = linalg.generic
// CHECK-SAME: ins(%[[PTRS]], %[[MASK]], %[[OTHER]] : tensor<16xi64>, tensor<16xi1>, tensor<16xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK-NEXT: ^bb0(%[[ADDR:.*]]: i64, %[[EN:.*]]: i1, %[[ELSE:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = scf.if %[[EN]] -> (f32) {
// CHECK-NEXT: %[[PTR:.*]] = llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: %[[LD:.*]] = llvm.load %[[PTR]] : !llvm.ptr -> f32
// CHECK-NEXT: scf.yield %[[LD]] : f32
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[ELSE]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: linalg.yield %[[R]] : f32
// Scalar loads: unmasked is a plain load, masked without `other` yields zero.
// CHECK: %[[SP:.*]] = llvm.inttoptr %[[P]] : i64 to !llvm.ptr
// CHECK: %[[S:.*]] = llvm.load %[[SP]] : !llvm.ptr -> i32
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[SM:.*]] = scf.if %[[M]] -> (i32) {
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i32
// CHECK: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : i32
// CHECK: return %[[GEN]], %[[S]], %[[SM]]
// CHECK-NOT: tegula_cpu_check_access
func.func @load(%ptrs: tensor<16x!tile.ptr<f32>>, %mask: tensor<16xi1>, %other: tensor<16xf32>,
                %p: !tile.ptr<i32>, %m: i1) -> (tensor<16xf32>, i32, i32) attributes {tile.kernel} {
  %0 = tile.load %ptrs, %mask, %other
      : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>, tensor<16xf32>
  %1 = tile.load %p : !tile.ptr<i32> -> i32
  %2 = tile.load %p, %m : !tile.ptr<i32> -> i32, i1
  return %0, %1, %2 : tensor<16xf32>, i32, i32
}

// -----

// A tile store is a row-major loop nest of guarded element stores.
// CHECK-LABEL: func.func @store
// CHECK-SAME: (%[[PTRS:[^:]+]]: tensor<4x8xi64>, %[[V:[^:]+]]: tensor<4x8xf16>, %[[MASK:[^:]+]]: tensor<4x8xi1>, %[[P:[^:]+]]: i64, %[[S:[^:]+]]: i64,
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK-NEXT: scf.for %[[J:.*]] = %[[C0]] to %[[C8]] step %[[C1]] {
// CHECK-DAG: %[[EN:.*]] = tensor.extract %[[MASK]][%[[I]], %[[J]]] : tensor<4x8xi1>
// CHECK-DAG: %[[ADDR:.*]] = tensor.extract %[[PTRS]][%[[I]], %[[J]]] : tensor<4x8xi64>
// CHECK-DAG: %[[X:.*]] = tensor.extract %[[V]][%[[I]], %[[J]]] : tensor<4x8xf16>
// CHECK: scf.if %[[EN]] {
// CHECK-NEXT: %[[PTR:.*]] = llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.store %[[X]], %[[PTR]] : f16, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// An unmasked scalar store is not guarded.
// CHECK-NEXT: %[[SP:.*]] = llvm.inttoptr %[[P]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.store %[[S]], %[[SP]] : i64, !llvm.ptr
// CHECK-NEXT: return
func.func @store(%ptrs: tensor<4x8x!tile.ptr<f16>>, %v: tensor<4x8xf16>, %mask: tensor<4x8xi1>,
                 %p: !tile.ptr<i64>, %s: i64) attributes {tile.kernel} {
  tile.store %ptrs, %v, %mask : tensor<4x8x!tile.ptr<f16>>, tensor<4x8xf16>, tensor<4x8xi1>
  tile.store %p, %s : !tile.ptr<i64>, i64
  return
}

// -----

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[BASE:[^:]+]]: i64, %[[IDX:[^:]+]]: tensor<8x16xi32>, %[[MASK:[^:]+]]: tensor<8x16xi1>,
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[IDX]], %[[MASK]] : tensor<8x16xi32>, tensor<8x16xi1>) outs(%{{.*}} : tensor<8x16xf16>)
// CHECK-NEXT: ^bb0(%[[I:.*]]: i32, %[[EN:.*]]: i1, %{{.*}}: f16):
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[IW:.*]] = arith.extsi %[[I]] : i32 to i64
// CHECK: %[[OFF:.*]] = arith.muli %[[IW]], %[[TWO]] : i64
// CHECK: %[[ADDR:.*]] = arith.addi %[[BASE]], %[[OFF]] : i64
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[R:.*]] = scf.if %[[EN]] -> (f16) {
// CHECK-NEXT: %[[PTR:.*]] = llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: %[[LD:.*]] = llvm.load %[[PTR]] : !llvm.ptr -> f16
// CHECK-NEXT: scf.yield %[[LD]] : f16
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : f16
// CHECK: linalg.yield %[[R]] : f16
func.func @gather(%base: !tile.ptr<f16>, %idx: tensor<8x16xi32>, %mask: tensor<8x16xi1>)
    -> tensor<8x16xf16> attributes {tile.kernel} {
  %0 = tile.gather %base[%idx], %mask
      : !tile.ptr<f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>
  return %0 : tensor<8x16xf16>
}

// -----

// Descriptor accesses compute each element's address and in-bounds flag from the
// make_desc operands; out-of-bounds elements read as zero and are not written. The
// descriptor itself disappears.
// CHECK-LABEL: func.func @descriptors
// CHECK-SAME: (%[[BASE:[^:]+]]: i64, %[[M:[^:]+]]: i32, %[[N:[^:]+]]: i32, %[[LD:[^:]+]]: i32, %[[X:[^:]+]]: i32, %[[Y:[^:]+]]: i32,
// CHECK-NOT: tile.make_desc
// CHECK: %[[BLOCK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<4x8xf32>)
// CHECK-DAG: %[[I0:.*]] = linalg.index 0 : index
// CHECK-DAG: %[[I1:.*]] = linalg.index 1 : index
// Row: coordinate x + i, bounded by M, strided by LD.
// CHECK-DAG: %[[I0W:.*]] = arith.index_cast %[[I0]] : index to i64
// CHECK-DAG: %[[XW:.*]] = arith.extsi %[[X]] : i32 to i64
// CHECK: %[[ROW:.*]] = arith.addi %[[XW]], %[[I0W]] : i64
// CHECK-DAG: %[[MW:.*]] = arith.extsi %[[M]] : i32 to i64
// CHECK-DAG: %[[LDW:.*]] = arith.extsi %[[LD]] : i32 to i64
// CHECK-DAG: arith.cmpi sge, %[[ROW]], %{{.*}} : i64
// CHECK-DAG: arith.cmpi slt, %[[ROW]], %[[MW]] : i64
// CHECK: %[[ROWOK:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: %[[INB0:.*]] = arith.andi %{{.*}}, %[[ROWOK]] : i1
// CHECK: arith.muli %[[ROW]], %[[LDW]] : i64
// Column: coordinate y + j, bounded by N.
// CHECK: %[[YW:.*]] = arith.extsi %[[Y]] : i32 to i64
// CHECK: %[[COL:.*]] = arith.addi %[[YW]], %{{.*}} : i64
// CHECK: %[[NW:.*]] = arith.extsi %[[N]] : i32 to i64
// CHECK: arith.cmpi slt, %[[COL]], %[[NW]] : i64
// CHECK: %[[COLOK:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: %[[INB:.*]] = arith.andi %[[INB0]], %[[COLOK]] : i1
// CHECK: %[[LIN:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: %[[FOUR:.*]] = arith.constant 4 : i64
// CHECK: %[[BYTES:.*]] = arith.muli %[[LIN]], %[[FOUR]] : i64
// CHECK: %[[ADDR:.*]] = arith.addi %[[BASE]], %[[BYTES]] : i64
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[R:.*]] = scf.if %[[INB]] -> (f32) {
// CHECK-NEXT: %[[PTR:.*]] = llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.load %[[PTR]] : !llvm.ptr -> f32
// CHECK: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : f32
// CHECK: linalg.yield %[[R]] : f32
// The store is a loop nest; its offsets are swapped (y, x).
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[SYW:.*]] = arith.extsi %[[Y]] : i32 to i64
// CHECK: arith.addi %[[SYW]], %{{.*}} : i64
// CHECK: %[[SADDR:.*]] = arith.addi %[[BASE]], %{{.*}} : i64
// CHECK: %[[VAL:.*]] = tensor.extract %[[BLOCK]][%[[I]], %[[J]]] : tensor<4x8xf32>
// CHECK: scf.if %{{.*}} {
// CHECK-NEXT: %[[SPTR:.*]] = llvm.inttoptr %[[SADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.store %[[VAL]], %[[SPTR]] : f32, !llvm.ptr
// CHECK-NOT: {{(= |^ *)tile\.}}
// CHECK-NOT: unrealized_conversion_cast
// CHECK: return
func.func @descriptors(%base: !tile.ptr<f32>, %m: i32, %n: i32, %ld: i32, %x: i32, %y: i32)
    attributes {tile.kernel} {
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %base, shape [%m, %n], strides [%ld, %c1]
      : !tile.ptr<f32> -> !tile.desc<4x8xf32>
  %b = tile.desc_load %d[%x, %y] : !tile.desc<4x8xf32> -> tensor<4x8xf32>
  tile.desc_store %d[%y, %x], %b : !tile.desc<4x8xf32>, tensor<4x8xf32>
  return
}

// -----

// CHECK-LABEL: func.func @dot
// CHECK-SAME: (%[[A:[^:]+]]: tensor<16x8xf16>, %[[B:[^:]+]]: tensor<8x32xf16>, %[[C:[^:]+]]: tensor<16x32xf32>,
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<16x8xf16>, tensor<8x32xf16>) outs(%[[C]] : tensor<16x32xf32>) -> tensor<16x32xf32>
// CHECK: %[[MI:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<16x8xi8>, tensor<8x32xi8>) outs(%{{.*}} : tensor<16x32xi32>) -> tensor<16x32xi32>
// CHECK: return %[[MM]], %[[MI]]
func.func @dot(%a: tensor<16x8xf16>, %b: tensor<8x32xf16>, %c: tensor<16x32xf32>,
               %ai: tensor<16x8xi8>, %bi: tensor<8x32xi8>, %ci: tensor<16x32xi32>)
    -> (tensor<16x32xf32>, tensor<16x32xi32>) attributes {tile.kernel} {
  %0 = tile.dot %a, %b, %c : tensor<16x8xf16>, tensor<8x32xf16> -> tensor<16x32xf32>
  %1 = tile.dot %ai, %bi, %ci : tensor<16x8xi8>, tensor<8x32xi8> -> tensor<16x32xi32>
  return %0, %1 : tensor<16x32xf32>, tensor<16x32xi32>
}

// -----

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[T:[^:]+]]: tensor<16x32xf32>, %[[V:[^:]+]]: tensor<64xi32>,
// Sum starts from zero.
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[SINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<32xf32>)
// CHECK: %[[SUM:.*]] = linalg.reduce ins(%[[T]] : tensor<16x32xf32>) outs(%[[SINIT]] : tensor<32xf32>) dimensions = [0]
// CHECK: arith.addf
// Float max starts from -inf.
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<16xf32>)
// CHECK: %[[MAX:.*]] = linalg.reduce ins(%[[T]] : tensor<16x32xf32>) outs(%[[MINIT]] : tensor<16xf32>) dimensions = [1]
// CHECK: arith.maxnumf
// A rank-1 reduction yields a scalar through a rank-0 tensor.
// CHECK: %[[IMIN:.*]] = arith.constant -2147483648 : i32
// CHECK: %[[IINIT:.*]] = linalg.fill ins(%[[IMIN]] : i32) outs(%{{.*}} : tensor<i32>)
// CHECK: %[[IMAX:.*]] = linalg.reduce ins(%[[V]] : tensor<64xi32>) outs(%[[IINIT]] : tensor<i32>) dimensions = [0]
// CHECK: arith.maxsi
// CHECK: %[[SCALAR:.*]] = tensor.extract %[[IMAX]][] : tensor<i32>
// argmax carries the best value and its index, starting from -1.
// CHECK: %[[VINIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<16xf32>)
// CHECK: %[[NONE:.*]] = arith.constant -1 : i32
// CHECK: %[[XINIT:.*]] = linalg.fill ins(%[[NONE]] : i32) outs(%{{.*}} : tensor<16xi32>)
// CHECK: %[[ARG:.*]]:2 = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]], #[[$OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[T]] : tensor<16x32xf32>) outs(%[[VINIT]], %[[XINIT]] : tensor<16xf32>, tensor<16xi32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[BEST:.*]]: f32, %[[BESTI:.*]]: i32):
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[BEST]] : f32
// CHECK: %[[TAKE:.*]] = arith.ori %[[GT]], %{{.*}} : i1
// CHECK: %[[K:.*]] = linalg.index 1 : index
// CHECK: %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK: %[[NV:.*]] = arith.select %[[TAKE]], %[[X]], %[[BEST]] : f32
// CHECK: %[[NI:.*]] = arith.select %[[TAKE]], %[[KI]], %[[BESTI]] : i32
// CHECK: linalg.yield %[[NV]], %[[NI]] : f32, i32
// CHECK: return %[[SUM]], %[[MAX]], %[[SCALAR]], %[[ARG]]#1
func.func @reduce(%t: tensor<16x32xf32>, %v: tensor<64xi32>)
    -> (tensor<32xf32>, tensor<16xf32>, i32, tensor<16xi32>) attributes {tile.kernel} {
  %0 = tile.reduce sum %t {axis = 0 : i32} : tensor<16x32xf32> -> tensor<32xf32>
  %1 = tile.reduce max %t {axis = 1 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  %2 = tile.reduce max %v {axis = 0 : i32} : tensor<64xi32> -> i32
  %3 = tile.reduce argmax %t {axis = 1 : i32} : tensor<16x32xf32> -> tensor<16xi32>
  return %0, %1, %2, %3 : tensor<32xf32>, tensor<16xf32>, i32, tensor<16xi32>
}

// -----

// A scan threads the tile through a loop nest; each element combines with its
// predecessor along the axis (the next one when reversed).
// CHECK-LABEL: func.func @scan
// CHECK-SAME: (%[[T:[^:]+]]: tensor<4x8xi32>, %[[V:[^:]+]]: tensor<16xf32>,
// CHECK: %[[S0:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[OUTER:.*]] = %[[T]]) -> (tensor<4x8xi32>) {
// CHECK-NEXT: %[[INNER:.*]] = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[OUTER]]) -> (tensor<4x8xi32>) {
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[J]], %{{.*}} : index
// CHECK: %[[PREV:.*]] = arith.subi %[[J]], %{{.*}} : index
// CHECK: %[[CUR:.*]] = tensor.extract %[[ACC]][%[[I]], %[[J]]] : tensor<4x8xi32>
// CHECK: %[[NEW:.*]] = scf.if %[[FIRST]] -> (i32) {
// CHECK-NEXT: scf.yield %[[CUR]] : i32
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[P:.*]] = tensor.extract %[[ACC]][%[[I]], %[[PREV]]] : tensor<4x8xi32>
// CHECK-NEXT: %[[ADD:.*]] = arith.addi %[[P]], %[[CUR]] : i32
// CHECK-NEXT: scf.yield %[[ADD]] : i32
// CHECK: %[[INS:.*]] = tensor.insert %[[NEW]] into %[[ACC]][%[[I]], %[[J]]] : tensor<4x8xi32>
// CHECK-NEXT: scf.yield %[[INS]] : tensor<4x8xi32>
// CHECK: scf.yield %[[INNER]] : tensor<4x8xi32>
// Reverse: position n-1-i, combined with position n-i.
// CHECK: %[[S1:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC1:.*]] = %[[V]]) -> (tensor<16xf32>) {
// CHECK: %[[LAST:.*]] = arith.constant 15 : index
// CHECK: %[[AT:.*]] = arith.subi %[[LAST]], %[[K]] : index
// CHECK: %[[NEXT:.*]] = arith.addi %[[AT]], %{{.*}} : index
// CHECK: %[[CUR1:.*]] = tensor.extract %[[ACC1]][%[[AT]]] : tensor<16xf32>
// CHECK: scf.if
// CHECK: %[[P1:.*]] = tensor.extract %[[ACC1]][%[[NEXT]]] : tensor<16xf32>
// CHECK-NEXT: arith.maxnumf %[[P1]], %[[CUR1]] : f32
// CHECK: tensor.insert %{{.*}} into %[[ACC1]][%[[AT]]] : tensor<16xf32>
// CHECK: return %[[S0]], %[[S1]]
func.func @scan(%t: tensor<4x8xi32>, %v: tensor<16xf32>) -> (tensor<4x8xi32>, tensor<16xf32>)
    attributes {tile.kernel} {
  %0 = tile.scan sum %t {axis = 1 : i32} : tensor<4x8xi32>
  %1 = tile.scan max %v {axis = 0 : i32, reverse = true} : tensor<16xf32>
  return %0, %1 : tensor<4x8xi32>, tensor<16xf32>
}

// -----

// Atomics call the runtime (one declared function per kind and element type), one
// lane at a time behind its mask, and the old values are collected.
// CHECK-DAG: func.func private @tegula_cpu_atomic_add_f32(i64, f32) -> f32
// CHECK-DAG: func.func private @tegula_cpu_atomic_max_i32(i64, i32) -> i32
// CHECK-DAG: func.func private @tegula_cpu_atomic_xchg_i32(i64, i32) -> i32
// CHECK-LABEL: func.func @atomic_rmw
// CHECK-SAME: (%[[PTRS:[^:]+]]: tensor<8xi64>, %[[V:[^:]+]]: tensor<8xf32>, %[[MASK:[^:]+]]: tensor<8xi1>, %[[P:[^:]+]]: i64, %[[S:[^:]+]]: i32,
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<8xf32>
// CHECK: %[[OLD:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<8xf32>) {
// CHECK-DAG: %[[ADDR:.*]] = tensor.extract %[[PTRS]][%[[I]]] : tensor<8xi64>
// CHECK-DAG: %[[X:.*]] = tensor.extract %[[V]][%[[I]]] : tensor<8xf32>
// CHECK-DAG: %[[EN:.*]] = tensor.extract %[[MASK]][%[[I]]] : tensor<8xi1>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[R:.*]] = scf.if %[[EN]] -> (f32) {
// CHECK-NEXT: %[[A:.*]] = func.call @tegula_cpu_atomic_add_f32(%[[ADDR]], %[[X]]) : (i64, f32) -> f32
// CHECK-NEXT: scf.yield %[[A]] : f32
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[ZERO]] : f32
// CHECK: %[[INS:.*]] = tensor.insert %[[R]] into %[[ACC]][%[[I]]] : tensor<8xf32>
// CHECK-NEXT: scf.yield %[[INS]] : tensor<8xf32>
// Unmasked scalar atomics are plain calls.
// CHECK: %[[SA:.*]] = call @tegula_cpu_atomic_max_i32(%[[P]], %[[S]]) : (i64, i32) -> i32
// CHECK: %[[XA:.*]] = call @tegula_cpu_atomic_xchg_i32(%[[P]], %[[S]]) : (i64, i32) -> i32
// CHECK: return %[[OLD]], %[[SA]], %[[XA]]
// CHECK-NOT: tile.atomic_rmw
func.func @atomic_rmw(%ptrs: tensor<8x!tile.ptr<f32>>, %v: tensor<8xf32>, %mask: tensor<8xi1>,
                      %p: !tile.ptr<i32>, %s: i32) -> (tensor<8xf32>, i32, i32)
    attributes {tile.kernel} {
  %0 = tile.atomic_rmw add %ptrs, %v, %mask : tensor<8x!tile.ptr<f32>>, tensor<8xf32>, tensor<8xi1>
  %1 = tile.atomic_rmw max %p, %s : !tile.ptr<i32>, i32
  %2 = tile.atomic_rmw xchg %p, %s : !tile.ptr<i32>, i32
  return %0, %1, %2 : tensor<8xf32>, i32, i32
}

// -----

// CHECK-DAG: func.func private @tegula_cpu_atomic_cas_i32(i64, i32, i32) -> i32
// CHECK-DAG: func.func private @tegula_cpu_atomic_cas_i64(i64, i64, i64) -> i64
// CHECK-LABEL: func.func @atomic_cas
// CHECK-SAME: (%[[PTRS:[^:]+]]: tensor<8xi64>, %[[CMP:[^:]+]]: tensor<8xi32>, %[[V:[^:]+]]: tensor<8xi32>, %[[P:[^:]+]]: i64, %[[C:[^:]+]]: i64, %[[S:[^:]+]]: i64,
// CHECK: %[[OLD:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<8xi32>) {
// CHECK-DAG: %[[ADDR:.*]] = tensor.extract %[[PTRS]][%[[I]]] : tensor<8xi64>
// CHECK-DAG: %[[EXP:.*]] = tensor.extract %[[CMP]][%[[I]]] : tensor<8xi32>
// CHECK-DAG: %[[NEW:.*]] = tensor.extract %[[V]][%[[I]]] : tensor<8xi32>
// CHECK: %[[R:.*]] = func.call @tegula_cpu_atomic_cas_i32(%[[ADDR]], %[[EXP]], %[[NEW]]) : (i64, i32, i32) -> i32
// CHECK-NEXT: tensor.insert %[[R]] into %[[ACC]][%[[I]]] : tensor<8xi32>
// CHECK: %[[SR:.*]] = call @tegula_cpu_atomic_cas_i64(%[[P]], %[[C]], %[[S]]) : (i64, i64, i64) -> i64
// CHECK: return %[[OLD]], %[[SR]]
func.func @atomic_cas(%ptrs: tensor<8x!tile.ptr<i32>>, %cmp: tensor<8xi32>, %v: tensor<8xi32>,
                      %p: !tile.ptr<i64>, %c: i64, %s: i64) -> (tensor<8xi32>, i64)
    attributes {tile.kernel} {
  %0 = tile.atomic_cas %ptrs, %cmp, %v : tensor<8x!tile.ptr<i32>>, tensor<8xi32>
  %1 = tile.atomic_cas %p, %c, %s : !tile.ptr<i64>, i64
  return %0, %1 : tensor<8xi32>, i64
}

// -----

// A loop carrying a tile of pointers carries a tile of i64 addresses.
// CHECK-LABEL: func.func @loop_carried_pointers
// CHECK-SAME: (%[[P:[^:]+]]: i64, %[[N:[^:]+]]: i32,
// CHECK: %[[PTRS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<16xi64>)
// CHECK: %[[RES:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[Q:.*]] = %[[PTRS]]) -> (tensor<16xf32>, tensor<16xi64>) : i32 {
// CHECK: %[[X:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<16xi64>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: llvm.load
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[X]] : tensor<16xf32>
// CHECK: %[[NEXT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<16xi64>) outs(%{{.*}} : tensor<16xi64>)
// CHECK: scf.yield %[[SUM]], %[[NEXT]] : tensor<16xf32>, tensor<16xi64>
// CHECK: return %[[RES]]#0
// CHECK-NOT: unrealized_conversion_cast
func.func @loop_carried_pointers(%p: !tile.ptr<f32>, %n: i32) -> tensor<16xf32>
    attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant dense<0.0> : tensor<16xf32>
  %r = tile.range 0 to 16 : tensor<16xi32>
  %ps = tile.splat %p : tensor<16x!tile.ptr<f32>>
  %ptrs = tile.addptr %ps, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %res:2 = scf.for %i = %c0 to %n step %c16 iter_args(%acc = %zero, %q = %ptrs)
      -> (tensor<16xf32>, tensor<16x!tile.ptr<f32>>) : i32 {
    %x = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
    %a = arith.addf %acc, %x : tensor<16xf32>
    %next = tile.addptr %q, %c16 : tensor<16x!tile.ptr<f32>>, i32
    scf.yield %a, %next : tensor<16xf32>, tensor<16x!tile.ptr<f32>>
  }
  return %res#0 : tensor<16xf32>
}

// -----

// arith.select over pointer tiles selects addresses.
// CHECK-LABEL: func.func @select_pointers
// CHECK-SAME: (%[[A:[^:]+]]: tensor<4xi64>, %[[B:[^:]+]]: tensor<4xi64>, %[[C:[^:]+]]: tensor<4xi1>,
// CHECK: %[[SEL:.*]] = arith.select %[[C]], %[[A]], %[[B]] : tensor<4xi1>, tensor<4xi64>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[SEL]] : tensor<4xi64>)
func.func @select_pointers(%a: tensor<4x!tile.ptr<f32>>, %b: tensor<4x!tile.ptr<f32>>,
                           %c: tensor<4xi1>) -> tensor<4xf32> attributes {tile.kernel} {
  %p = arith.select %c, %a, %b : tensor<4xi1>, tensor<4x!tile.ptr<f32>>
  %v = tile.load %p : tensor<4x!tile.ptr<f32>> -> tensor<4xf32>
  return %v : tensor<4xf32>
}

// -----

// Functions without `tile.kernel` have their pointer types converted but gain no
// grid arguments; calls follow the new signature.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%[[P:[^:]+]]: i64) -> f32 {
// CHECK: llvm.inttoptr %[[P]] : i64 to !llvm.ptr
// CHECK-LABEL: func.func @calls_helper
// CHECK-SAME: (%[[Q:[^:]+]]: i64, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32) -> f32
// CHECK: call @helper(%[[Q]]) : (i64) -> f32
func.func private @helper(%p: !tile.ptr<f32>) -> f32 {
  %v = tile.load %p : !tile.ptr<f32> -> f32
  return %v : f32
}
func.func @calls_helper(%p: !tile.ptr<f32>) -> f32 attributes {tile.kernel} {
  %v = func.call @helper(%p) : (!tile.ptr<f32>) -> f32
  return %v : f32
}

// -----

// Every access is registered as a site named by its source location. With
// bounds-check, each access first asks the runtime about its bytes: masked lanes only
// when enabled, unmasked accesses always, and the access is skipped when the runtime
// says no.
// CHECK: module attributes {tegula.access_sites = ["tile.load at {{.*}}tile-to-linalg.mlir:[[# @LINE + 35]]:8", "tile.store at kernel.py:42:7"]}
// CHECK-LABEL: func.func @bounds_checked
// CHECK-NOT: tegula_cpu_check_access
// CHECK: return

// BC: module attributes {tegula.access_sites = ["tile.load at {{.*}}tile-to-linalg.mlir:[[# @LINE + 30]]:8", "tile.store at kernel.py:42:7"]}
// BC: func.func private @tegula_cpu_check_access(i64, i64, i32) -> i1
// BC-LABEL: func.func @bounds_checked
// BC-SAME: (%[[PTRS:[^:]+]]: tensor<16xi64>, %[[MASK:[^:]+]]: tensor<16xi1>, %[[P:[^:]+]]: i64, %[[V:[^:]+]]: f16,
// BC: linalg.generic
// BC-SAME: ins(%[[PTRS]], %[[MASK]] : tensor<16xi64>, tensor<16xi1>)
// BC-NEXT: ^bb0(%[[ADDR:.*]]: i64, %[[EN:.*]]: i1, %{{.*}}: f32):
// BC: %[[OK:.*]] = scf.if %[[EN]] -> (i1) {
// BC-DAG: %[[BYTES:.*]] = arith.constant 4 : i64
// BC-DAG: %[[SITE:.*]] = arith.constant 0 : i32
// BC: %[[CHK:.*]] = func.call @tegula_cpu_check_access(%[[ADDR]], %[[BYTES]], %[[SITE]]) : (i64, i64, i32) -> i1
// BC-NEXT: scf.yield %[[CHK]] : i1
// BC-NEXT: } else {
// BC-NEXT: %[[FALSE:.*]] = arith.constant false
// BC-NEXT: scf.yield %[[FALSE]] : i1
// BC: %[[R:.*]] = scf.if %[[OK]] -> (f32) {
// BC-NEXT: llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr
// BC-NEXT: llvm.load
// BC: linalg.yield %[[R]] : f32
// The store is site 1: two bytes of f16.
// BC-DAG: %[[SBYTES:.*]] = arith.constant 2 : i64
// BC-DAG: %[[SSITE:.*]] = arith.constant 1 : i32
// BC: %[[SOK:.*]] = call @tegula_cpu_check_access(%[[P]], %[[SBYTES]], %[[SSITE]]) : (i64, i64, i32) -> i1
// BC-NEXT: scf.if %[[SOK]] {
// BC-NEXT: %[[SP:.*]] = llvm.inttoptr %[[P]] : i64 to !llvm.ptr
// BC-NEXT: llvm.store %[[V]], %[[SP]] : f16, !llvm.ptr
// BC-NEXT: }
// BC-NEXT: return
func.func @bounds_checked(%ptrs: tensor<16x!tile.ptr<f32>>, %mask: tensor<16xi1>,
                          %p: !tile.ptr<f16>, %v: f16) -> tensor<16xf32> attributes {tile.kernel} {
  %0 = tile.load %ptrs, %mask : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>
  tile.store %p, %v : !tile.ptr<f16>, f16 loc("kernel.py":42:7)
  return %0 : tensor<16xf32>
}
