// RUN: tegula-opt %s | tegula-opt | FileCheck %s
// RUN: tegula-opt %s -mlir-print-op-generic | tegula-opt | FileCheck %s

// Round trip of every tile op through the custom assembly format.

// CHECK-LABEL: func.func @program_instance
func.func @program_instance() -> (i32, i32, i32, i32, i32, i32) {
  // CHECK: tile.program_id 0 : i32
  // CHECK: tile.program_id 1 : i32
  // CHECK: tile.program_id 2 : i32
  %0 = tile.program_id 0 : i32
  %1 = tile.program_id 1 : i32
  %2 = tile.program_id 2 : i32
  // CHECK: tile.num_programs 0 : i32
  // CHECK: tile.num_programs 1 : i32
  // CHECK: tile.num_programs 2 : i32
  %3 = tile.num_programs 0 : i32
  %4 = tile.num_programs 1 : i32
  %5 = tile.num_programs 2 : i32
  return %0, %1, %2, %3, %4, %5 : i32, i32, i32, i32, i32, i32
}

// CHECK-LABEL: func.func @range
func.func @range() -> (tensor<128xi32>, tensor<8xi32>, tensor<1xi32>) {
  // CHECK: tile.range 0 to 128 : tensor<128xi32>
  // CHECK: tile.range 16 to 24 : tensor<8xi32>
  // CHECK: tile.range 7 to 8 : tensor<1xi32>
  %0 = tile.range 0 to 128 : tensor<128xi32>
  %1 = tile.range 16 to 24 : tensor<8xi32>
  %2 = tile.range 7 to 8 : tensor<1xi32>
  return %0, %1, %2 : tensor<128xi32>, tensor<8xi32>, tensor<1xi32>
}

// CHECK-LABEL: func.func @splat
// CHECK-SAME: (%[[F:[a-zA-Z0-9_]+]]: f32, %[[I:[a-zA-Z0-9_]+]]: i32, %[[P:[a-zA-Z0-9_]+]]: !tile.ptr<f16>)
func.func @splat(%f: f32, %i: i32, %p: !tile.ptr<f16>)
    -> (tensor<32x64xf32>, tensor<16xi32>, tensor<4x8x!tile.ptr<f16>>) {
  // CHECK: tile.splat %[[F]] : tensor<32x64xf32>
  // CHECK: tile.splat %[[I]] : tensor<16xi32>
  // CHECK: tile.splat %[[P]] : tensor<4x8x!tile.ptr<f16>>
  %0 = tile.splat %f : tensor<32x64xf32>
  %1 = tile.splat %i : tensor<16xi32>
  %2 = tile.splat %p : tensor<4x8x!tile.ptr<f16>>
  return %0, %1, %2 : tensor<32x64xf32>, tensor<16xi32>, tensor<4x8x!tile.ptr<f16>>
}

// CHECK-LABEL: func.func @shape_ops
func.func @shape_ops(%row: tensor<1x64xf32>, %v: tensor<32xi32>, %m: tensor<16x32xf16>)
    -> (tensor<16x64xf32>, tensor<32x64xf32>, tensor<1x32xi32>, tensor<32x1xi32>,
        tensor<512xf16>, tensor<4x8x16xf16>, tensor<32x16xf16>, tensor<16x32xf16>) {
  // CHECK: tile.broadcast %{{.*}} : tensor<1x64xf32> -> tensor<16x64xf32>
  // CHECK: tile.broadcast %{{.*}} : tensor<1x64xf32> -> tensor<1x64xf32>
  // CHECK: tile.broadcast %{{.*}} : tensor<1x64xf32> -> tensor<32x64xf32>
  %0 = tile.broadcast %row : tensor<1x64xf32> -> tensor<16x64xf32>
  %same = tile.broadcast %row : tensor<1x64xf32> -> tensor<1x64xf32>
  %1 = tile.broadcast %same : tensor<1x64xf32> -> tensor<32x64xf32>
  // CHECK: tile.expand_dims %{{.*}} {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  // CHECK: tile.expand_dims %{{.*}} {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %2 = tile.expand_dims %v {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %3 = tile.expand_dims %v {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  // CHECK: tile.reshape %{{.*}} : tensor<16x32xf16> -> tensor<512xf16>
  // CHECK: tile.reshape %{{.*}} : tensor<512xf16> -> tensor<4x8x16xf16>
  %4 = tile.reshape %m : tensor<16x32xf16> -> tensor<512xf16>
  %5 = tile.reshape %4 : tensor<512xf16> -> tensor<4x8x16xf16>
  // CHECK: tile.trans %{{.*}}, [1, 0] : tensor<16x32xf16> -> tensor<32x16xf16>
  // CHECK: tile.trans %{{.*}}, [0, 1] : tensor<16x32xf16> -> tensor<16x32xf16>
  %6 = tile.trans %m, [1, 0] : tensor<16x32xf16> -> tensor<32x16xf16>
  %7 = tile.trans %m, [0, 1] : tensor<16x32xf16> -> tensor<16x32xf16>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<16x64xf32>, tensor<32x64xf32>, tensor<1x32xi32>, tensor<32x1xi32>,
        tensor<512xf16>, tensor<4x8x16xf16>, tensor<32x16xf16>, tensor<16x32xf16>
}

// CHECK-LABEL: func.func @trans_rank3
func.func @trans_rank3(%t: tensor<2x4x8xbf16>) -> tensor<8x2x4xbf16> {
  // CHECK: tile.trans %{{.*}}, [2, 0, 1] : tensor<2x4x8xbf16> -> tensor<8x2x4xbf16>
  %0 = tile.trans %t, [2, 0, 1] : tensor<2x4x8xbf16> -> tensor<8x2x4xbf16>
  return %0 : tensor<8x2x4xbf16>
}

// CHECK-LABEL: func.func @addptr
// CHECK-SAME: (%[[P:[a-zA-Z0-9_]+]]: !tile.ptr<f32>, %[[OFF:[a-zA-Z0-9_]+]]: i32, %[[OFF64:[a-zA-Z0-9_]+]]: i64, %[[OFFS:[a-zA-Z0-9_]+]]: tensor<64xi32>)
func.func @addptr(%p: !tile.ptr<f32>, %off: i32, %off64: i64, %offs: tensor<64xi32>)
    -> (!tile.ptr<f32>, !tile.ptr<f32>, tensor<64x!tile.ptr<f32>>, tensor<64x!tile.ptr<f32>>) {
  // Scalar pointer, scalar offset.
  // CHECK: tile.addptr %[[P]], %[[OFF]] : !tile.ptr<f32>, i32
  // CHECK: tile.addptr %{{.*}}, %[[OFF64]] : !tile.ptr<f32>, i64
  %0 = tile.addptr %p, %off : !tile.ptr<f32>, i32
  %1 = tile.addptr %0, %off64 : !tile.ptr<f32>, i64
  // Tile of pointers, tile of offsets.
  // CHECK: %[[PS:[a-zA-Z0-9_]+]] = tile.splat %[[P]] : tensor<64x!tile.ptr<f32>>
  // CHECK: tile.addptr %[[PS]], %[[OFFS]] : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %ps = tile.splat %p : tensor<64x!tile.ptr<f32>>
  %2 = tile.addptr %ps, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  // Tile of pointers, scalar offset.
  // CHECK: tile.addptr %{{.*}}, %[[OFF]] : tensor<64x!tile.ptr<f32>>, i32
  %3 = tile.addptr %2, %off : tensor<64x!tile.ptr<f32>>, i32
  return %0, %1, %2, %3
      : !tile.ptr<f32>, !tile.ptr<f32>, tensor<64x!tile.ptr<f32>>, tensor<64x!tile.ptr<f32>>
}

// CHECK-LABEL: func.func @load
// CHECK-SAME: (%[[PTRS:[a-zA-Z0-9_]+]]: tensor<16x32x!tile.ptr<bf16>>, %[[MASK:[a-zA-Z0-9_]+]]: tensor<16x32xi1>, %[[OTHER:[a-zA-Z0-9_]+]]: tensor<16x32xbf16>, %[[P:[a-zA-Z0-9_]+]]: !tile.ptr<i32>, %[[M:[a-zA-Z0-9_]+]]: i1, %[[O:[a-zA-Z0-9_]+]]: i32)
func.func @load(%ptrs: tensor<16x32x!tile.ptr<bf16>>, %mask: tensor<16x32xi1>,
                %other: tensor<16x32xbf16>, %p: !tile.ptr<i32>, %m: i1, %o: i32)
    -> (tensor<16x32xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>, i32, i32, i32) {
  // CHECK: tile.load %[[PTRS]] : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>
  // CHECK-NEXT: tile.load %[[PTRS]], %[[MASK]] : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>, tensor<16x32xi1>
  // CHECK-NEXT: tile.load %[[PTRS]], %[[MASK]], %[[OTHER]] : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>, tensor<16x32xi1>, tensor<16x32xbf16>
  %0 = tile.load %ptrs : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>
  %1 = tile.load %ptrs, %mask : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>, tensor<16x32xi1>
  %2 = tile.load %ptrs, %mask, %other
      : tensor<16x32x!tile.ptr<bf16>> -> tensor<16x32xbf16>, tensor<16x32xi1>, tensor<16x32xbf16>
  // Scalar pointer.
  // CHECK-NEXT: tile.load %[[P]] : !tile.ptr<i32> -> i32
  // CHECK-NEXT: tile.load %[[P]], %[[M]] : !tile.ptr<i32> -> i32, i1
  // CHECK-NEXT: tile.load %[[P]], %[[M]], %[[O]] : !tile.ptr<i32> -> i32, i1, i32
  %3 = tile.load %p : !tile.ptr<i32> -> i32
  %4 = tile.load %p, %m : !tile.ptr<i32> -> i32, i1
  %5 = tile.load %p, %m, %o : !tile.ptr<i32> -> i32, i1, i32
  return %0, %1, %2, %3, %4, %5
      : tensor<16x32xbf16>, tensor<16x32xbf16>, tensor<16x32xbf16>, i32, i32, i32
}

// CHECK-LABEL: func.func @store
// CHECK-SAME: (%[[PTRS:[a-zA-Z0-9_]+]]: tensor<128x!tile.ptr<f32>>, %[[V:[a-zA-Z0-9_]+]]: tensor<128xf32>, %[[MASK:[a-zA-Z0-9_]+]]: tensor<128xi1>, %[[P:[a-zA-Z0-9_]+]]: !tile.ptr<i64>, %[[S:[a-zA-Z0-9_]+]]: i64, %[[M:[a-zA-Z0-9_]+]]: i1)
func.func @store(%ptrs: tensor<128x!tile.ptr<f32>>, %v: tensor<128xf32>, %mask: tensor<128xi1>,
                 %p: !tile.ptr<i64>, %s: i64, %m: i1) {
  // CHECK: tile.store %[[PTRS]], %[[V]] : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  // CHECK-NEXT: tile.store %[[PTRS]], %[[V]], %[[MASK]] : tensor<128x!tile.ptr<f32>>, tensor<128xf32>, tensor<128xi1>
  // CHECK-NEXT: tile.store %[[P]], %[[S]] : !tile.ptr<i64>, i64
  // CHECK-NEXT: tile.store %[[P]], %[[S]], %[[M]] : !tile.ptr<i64>, i64, i1
  tile.store %ptrs, %v : tensor<128x!tile.ptr<f32>>, tensor<128xf32>
  tile.store %ptrs, %v, %mask : tensor<128x!tile.ptr<f32>>, tensor<128xf32>, tensor<128xi1>
  tile.store %p, %s : !tile.ptr<i64>, i64
  tile.store %p, %s, %m : !tile.ptr<i64>, i64, i1
  return
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[BASE:[a-zA-Z0-9_]+]]: !tile.ptr<f16>, %[[IDX:[a-zA-Z0-9_]+]]: tensor<8x16xi32>, %[[MASK:[a-zA-Z0-9_]+]]: tensor<8x16xi1>, %[[OTHER:[a-zA-Z0-9_]+]]: tensor<8x16xf16>, %[[IDX64:[a-zA-Z0-9_]+]]: tensor<32xi64>)
func.func @gather(%base: !tile.ptr<f16>, %idx: tensor<8x16xi32>, %mask: tensor<8x16xi1>,
                  %other: tensor<8x16xf16>, %idx64: tensor<32xi64>)
    -> (tensor<8x16xf16>, tensor<8x16xf16>, tensor<8x16xf16>, tensor<32xf16>) {
  // CHECK: tile.gather %[[BASE]][%[[IDX]]] : <f16>, tensor<8x16xi32> -> tensor<8x16xf16>
  // CHECK-NEXT: tile.gather %[[BASE]][%[[IDX]]], %[[MASK]] : <f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>
  // CHECK-NEXT: tile.gather %[[BASE]][%[[IDX]]], %[[MASK]], %[[OTHER]] : <f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>, tensor<8x16xf16>
  // CHECK-NEXT: tile.gather %[[BASE]][%[[IDX64]]] : <f16>, tensor<32xi64> -> tensor<32xf16>
  %0 = tile.gather %base[%idx] : !tile.ptr<f16>, tensor<8x16xi32> -> tensor<8x16xf16>
  %1 = tile.gather %base[%idx], %mask
      : !tile.ptr<f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>
  %2 = tile.gather %base[%idx], %mask, %other
      : !tile.ptr<f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>, tensor<8x16xf16>
  %3 = tile.gather %base[%idx64] : !tile.ptr<f16>, tensor<32xi64> -> tensor<32xf16>
  return %0, %1, %2, %3 : tensor<8x16xf16>, tensor<8x16xf16>, tensor<8x16xf16>, tensor<32xf16>
}

// CHECK-LABEL: func.func @descriptors
// CHECK-SAME: (%[[BASE:[a-zA-Z0-9_]+]]: !tile.ptr<f32>, %[[M:[a-zA-Z0-9_]+]]: i32, %[[N:[a-zA-Z0-9_]+]]: i32, %[[LD:[a-zA-Z0-9_]+]]: i32, %[[ONE:[a-zA-Z0-9_]+]]: i32, %[[X:[a-zA-Z0-9_]+]]: i32, %[[Y:[a-zA-Z0-9_]+]]: i32, %[[B1:[a-zA-Z0-9_]+]]: !tile.ptr<i8>)
func.func @descriptors(%base: !tile.ptr<f32>, %m: i32, %n: i32, %ld: i32, %one: i32,
                       %x: i32, %y: i32, %b1: !tile.ptr<i8>) {
  // CHECK: %[[D:[a-zA-Z0-9_]+]] = tile.make_desc %[[BASE]], shape[%[[M]], %[[N]]], strides[%[[LD]], %[[ONE]]] : <f32> -> <64x32xf32>
  %d = tile.make_desc %base, shape [%m, %n], strides [%ld, %one]
      : !tile.ptr<f32> -> !tile.desc<64x32xf32>
  // CHECK-NEXT: %[[BLOCK:[a-zA-Z0-9_]+]] = tile.desc_load %[[D]][%[[X]], %[[Y]]] : <64x32xf32> -> tensor<64x32xf32>
  %block = tile.desc_load %d[%x, %y] : !tile.desc<64x32xf32> -> tensor<64x32xf32>
  // CHECK-NEXT: tile.desc_store %[[D]][%[[Y]], %[[X]]], %[[BLOCK]] : <64x32xf32>, tensor<64x32xf32>
  tile.desc_store %d[%y, %x], %block : !tile.desc<64x32xf32>, tensor<64x32xf32>
  // Rank-1 and rank-3 descriptors.
  // CHECK-NEXT: %[[D1:[a-zA-Z0-9_]+]] = tile.make_desc %[[B1]], shape[%[[M]]], strides[%[[ONE]]] : <i8> -> <256xi8>
  // CHECK-NEXT: %[[V1:[a-zA-Z0-9_]+]] = tile.desc_load %[[D1]][%[[X]]] : <256xi8> -> tensor<256xi8>
  // CHECK-NEXT: tile.desc_store %[[D1]][%[[X]]], %[[V1]] : <256xi8>, tensor<256xi8>
  %d1 = tile.make_desc %b1, shape [%m], strides [%one] : !tile.ptr<i8> -> !tile.desc<256xi8>
  %v1 = tile.desc_load %d1[%x] : !tile.desc<256xi8> -> tensor<256xi8>
  tile.desc_store %d1[%x], %v1 : !tile.desc<256xi8>, tensor<256xi8>
  // CHECK-NEXT: %[[D3:[a-zA-Z0-9_]+]] = tile.make_desc %[[BASE]], shape[%[[M]], %[[N]], %[[LD]]], strides[%[[LD]], %[[N]], %[[ONE]]] : <f32> -> <2x16x8xf32>
  // CHECK-NEXT: tile.desc_load %[[D3]][%[[X]], %[[Y]], %[[X]]] : <2x16x8xf32> -> tensor<2x16x8xf32>
  %d3 = tile.make_desc %base, shape [%m, %n, %ld], strides [%ld, %n, %one]
      : !tile.ptr<f32> -> !tile.desc<2x16x8xf32>
  %v3 = tile.desc_load %d3[%x, %y, %x] : !tile.desc<2x16x8xf32> -> tensor<2x16x8xf32>
  return
}

// CHECK-LABEL: func.func @desc_argument
// CHECK-SAME: %{{.*}}: !tile.desc<128x64xbf16>
func.func @desc_argument(%d: !tile.desc<128x64xbf16>, %x: i32) -> tensor<128x64xbf16> {
  // CHECK: tile.desc_load %{{.*}}[%{{.*}}, %{{.*}}] : <128x64xbf16> -> tensor<128x64xbf16>
  %0 = tile.desc_load %d[%x, %x] : !tile.desc<128x64xbf16> -> tensor<128x64xbf16>
  return %0 : tensor<128x64xbf16>
}

// CHECK-LABEL: func.func @atomic_rmw
// CHECK-SAME: (%[[PTRS:[a-zA-Z0-9_]+]]: tensor<64x!tile.ptr<f32>>, %[[V:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[MASK:[a-zA-Z0-9_]+]]: tensor<64xi1>, %[[P:[a-zA-Z0-9_]+]]: !tile.ptr<i32>, %[[S:[a-zA-Z0-9_]+]]: i32, %[[P64:[a-zA-Z0-9_]+]]: !tile.ptr<i64>, %[[S64:[a-zA-Z0-9_]+]]: i64, %[[PF64:[a-zA-Z0-9_]+]]: !tile.ptr<f64>, %[[SF64:[a-zA-Z0-9_]+]]: f64, %[[M:[a-zA-Z0-9_]+]]: i1)
func.func @atomic_rmw(%ptrs: tensor<64x!tile.ptr<f32>>, %v: tensor<64xf32>, %mask: tensor<64xi1>,
                      %p: !tile.ptr<i32>, %s: i32, %p64: !tile.ptr<i64>, %s64: i64,
                      %pf64: !tile.ptr<f64>, %sf64: f64, %m: i1) {
  // CHECK: tile.atomic_rmw add %[[PTRS]], %[[V]] : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  // CHECK-NEXT: tile.atomic_rmw add %[[PTRS]], %[[V]], %[[MASK]] : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  // CHECK-NEXT: tile.atomic_rmw max %[[PTRS]], %[[V]], %[[MASK]] : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  // CHECK-NEXT: tile.atomic_rmw min %[[PTRS]], %[[V]] : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  // CHECK-NEXT: tile.atomic_rmw xchg %[[PTRS]], %[[V]] : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  %0 = tile.atomic_rmw add %ptrs, %v : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  %1 = tile.atomic_rmw add %ptrs, %v, %mask : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  %2 = tile.atomic_rmw max %ptrs, %v, %mask : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  %3 = tile.atomic_rmw min %ptrs, %v : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  %4 = tile.atomic_rmw xchg %ptrs, %v : tensor<64x!tile.ptr<f32>>, tensor<64xf32>
  // Scalar pointers, each supported element type.
  // CHECK-NEXT: tile.atomic_rmw add %[[P]], %[[S]] : !tile.ptr<i32>, i32
  // CHECK-NEXT: tile.atomic_rmw max %[[P]], %[[S]], %[[M]] : !tile.ptr<i32>, i32, i1
  // CHECK-NEXT: tile.atomic_rmw min %[[P64]], %[[S64]] : !tile.ptr<i64>, i64
  // CHECK-NEXT: tile.atomic_rmw xchg %[[P64]], %[[S64]], %[[M]] : !tile.ptr<i64>, i64, i1
  // CHECK-NEXT: tile.atomic_rmw add %[[PF64]], %[[SF64]] : !tile.ptr<f64>, f64
  %5 = tile.atomic_rmw add %p, %s : !tile.ptr<i32>, i32
  %6 = tile.atomic_rmw max %p, %s, %m : !tile.ptr<i32>, i32, i1
  %7 = tile.atomic_rmw min %p64, %s64 : !tile.ptr<i64>, i64
  %8 = tile.atomic_rmw xchg %p64, %s64, %m : !tile.ptr<i64>, i64, i1
  %9 = tile.atomic_rmw add %pf64, %sf64 : !tile.ptr<f64>, f64
  return
}

// CHECK-LABEL: func.func @atomic_cas
// CHECK-SAME: (%[[PTRS:[a-zA-Z0-9_]+]]: tensor<32x!tile.ptr<i32>>, %[[CMP:[a-zA-Z0-9_]+]]: tensor<32xi32>, %[[V:[a-zA-Z0-9_]+]]: tensor<32xi32>, %[[P:[a-zA-Z0-9_]+]]: !tile.ptr<i64>, %[[C:[a-zA-Z0-9_]+]]: i64, %[[S:[a-zA-Z0-9_]+]]: i64)
func.func @atomic_cas(%ptrs: tensor<32x!tile.ptr<i32>>, %cmp: tensor<32xi32>, %v: tensor<32xi32>,
                      %p: !tile.ptr<i64>, %c: i64, %s: i64) -> (tensor<32xi32>, i64) {
  // CHECK: tile.atomic_cas %[[PTRS]], %[[CMP]], %[[V]] : tensor<32x!tile.ptr<i32>>, tensor<32xi32>
  // CHECK-NEXT: tile.atomic_cas %[[P]], %[[C]], %[[S]] : !tile.ptr<i64>, i64
  %0 = tile.atomic_cas %ptrs, %cmp, %v : tensor<32x!tile.ptr<i32>>, tensor<32xi32>
  %1 = tile.atomic_cas %p, %c, %s : !tile.ptr<i64>, i64
  return %0, %1 : tensor<32xi32>, i64
}

// CHECK-LABEL: func.func @dot
func.func @dot(%a32: tensor<64x32xf32>, %b32: tensor<32x16xf32>, %c32: tensor<64x16xf32>,
               %abf: tensor<64x32xbf16>, %bbf: tensor<32x16xbf16>,
               %ah: tensor<64x32xf16>, %bh: tensor<32x16xf16>,
               %ai8: tensor<64x32xi8>, %bi8: tensor<32x16xi8>, %ci32: tensor<64x16xi32>)
    -> (tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xi32>) {
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x16xf32>
  // CHECK-NEXT: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x32xbf16>, tensor<32x16xbf16> -> tensor<64x16xf32>
  // CHECK-NEXT: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x32xf16>, tensor<32x16xf16> -> tensor<64x16xf32>
  // CHECK-NEXT: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x32xi8>, tensor<32x16xi8> -> tensor<64x16xi32>
  %0 = tile.dot %a32, %b32, %c32 : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x16xf32>
  %1 = tile.dot %abf, %bbf, %0 : tensor<64x32xbf16>, tensor<32x16xbf16> -> tensor<64x16xf32>
  %2 = tile.dot %ah, %bh, %1 : tensor<64x32xf16>, tensor<32x16xf16> -> tensor<64x16xf32>
  %3 = tile.dot %ai8, %bi8, %ci32 : tensor<64x32xi8>, tensor<32x16xi8> -> tensor<64x16xi32>
  return %0, %1, %2, %3 : tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xi32>
}

// CHECK-LABEL: func.func @reduce_rank1
func.func @reduce_rank1(%v: tensor<128xf32>, %w: tensor<64xi32>) -> (f32, f32, f32, i32, i32, i32) {
  // CHECK: tile.reduce sum %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> f32
  // CHECK-NEXT: tile.reduce max %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> f32
  // CHECK-NEXT: tile.reduce min %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> f32
  // CHECK-NEXT: tile.reduce argmax %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> i32
  // CHECK-NEXT: tile.reduce argmin %{{.*}} {axis = 0 : i32} : tensor<128xf32> -> i32
  // CHECK-NEXT: tile.reduce sum %{{.*}} {axis = 0 : i32} : tensor<64xi32> -> i32
  %0 = tile.reduce sum %v {axis = 0 : i32} : tensor<128xf32> -> f32
  %1 = tile.reduce max %v {axis = 0 : i32} : tensor<128xf32> -> f32
  %2 = tile.reduce min %v {axis = 0 : i32} : tensor<128xf32> -> f32
  %3 = tile.reduce argmax %v {axis = 0 : i32} : tensor<128xf32> -> i32
  %4 = tile.reduce argmin %v {axis = 0 : i32} : tensor<128xf32> -> i32
  %5 = tile.reduce sum %w {axis = 0 : i32} : tensor<64xi32> -> i32
  return %0, %1, %2, %3, %4, %5 : f32, f32, f32, i32, i32, i32
}

// CHECK-LABEL: func.func @reduce_rank2
func.func @reduce_rank2(%t: tensor<16x32xf16>)
    -> (tensor<32xf16>, tensor<16xf16>, tensor<16xf16>, tensor<32xi32>, tensor<16xi32>) {
  // CHECK: tile.reduce sum %{{.*}} {axis = 0 : i32} : tensor<16x32xf16> -> tensor<32xf16>
  // CHECK-NEXT: tile.reduce max %{{.*}} {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  // CHECK-NEXT: tile.reduce min %{{.*}} {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  // CHECK-NEXT: tile.reduce argmax %{{.*}} {axis = 0 : i32} : tensor<16x32xf16> -> tensor<32xi32>
  // CHECK-NEXT: tile.reduce argmin %{{.*}} {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xi32>
  %0 = tile.reduce sum %t {axis = 0 : i32} : tensor<16x32xf16> -> tensor<32xf16>
  %1 = tile.reduce max %t {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  %2 = tile.reduce min %t {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  %3 = tile.reduce argmax %t {axis = 0 : i32} : tensor<16x32xf16> -> tensor<32xi32>
  %4 = tile.reduce argmin %t {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xi32>
  return %0, %1, %2, %3, %4
      : tensor<32xf16>, tensor<16xf16>, tensor<16xf16>, tensor<32xi32>, tensor<16xi32>
}

// CHECK-LABEL: func.func @scan
func.func @scan(%v: tensor<128xf32>, %t: tensor<8x64xi32>)
    -> (tensor<128xf32>, tensor<128xf32>, tensor<8x64xi32>, tensor<8x64xi32>, tensor<8x64xi32>) {
  // The default `reverse = false` is elided.
  // CHECK: tile.scan sum %{{.*}} {axis = 0 : i32} : tensor<128xf32>
  // CHECK-NEXT: tile.scan sum %{{.*}} {axis = 0 : i32, reverse = true} : tensor<128xf32>
  // CHECK-NEXT: tile.scan max %{{.*}} {axis = 1 : i32} : tensor<8x64xi32>
  // CHECK-NEXT: tile.scan min %{{.*}} {axis = 0 : i32, reverse = true} : tensor<8x64xi32>
  // CHECK-NEXT: tile.scan min %{{.*}} {axis = 1 : i32} : tensor<8x64xi32>
  %0 = tile.scan sum %v {axis = 0 : i32} : tensor<128xf32>
  %1 = tile.scan sum %v {axis = 0 : i32, reverse = true} : tensor<128xf32>
  %2 = tile.scan max %t {axis = 1 : i32} : tensor<8x64xi32>
  %3 = tile.scan min %t {axis = 0 : i32, reverse = true} : tensor<8x64xi32>
  %4 = tile.scan min %t {axis = 1 : i32, reverse = false} : tensor<8x64xi32>
  return %0, %1, %2, %3, %4
      : tensor<128xf32>, tensor<128xf32>, tensor<8x64xi32>, tensor<8x64xi32>, tensor<8x64xi32>
}

// CHECK-LABEL: func.func @dot_precision
func.func @dot_precision(%a: tensor<16x8xf32>, %b: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // The default `ieee` is elided; others print.
  // CHECK: tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  // CHECK-NEXT: tile.dot %{{.*}}, %{{.*}}, %{{.*}} {input_precision = 1 : i32}
  %0 = tile.dot %a, %b, %c {input_precision = 0 : i32} : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  %1 = tile.dot %a, %b, %0 {input_precision = 1 : i32} : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  return %1 : tensor<16x4xf32>
}

// CHECK-LABEL: func.func @join_split
func.func @join_split(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[J:.*]] = tile.join %{{.*}}, %{{.*}} : tensor<4x8xf32> -> tensor<4x8x2xf32>
  // CHECK-NEXT: tile.split %[[J]] : tensor<4x8x2xf32> -> tensor<4x8xf32>
  %j = tile.join %a, %b : tensor<4x8xf32> -> tensor<4x8x2xf32>
  %l, %r = tile.split %j : tensor<4x8x2xf32> -> tensor<4x8xf32>
  return %l, %r : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @reduce_with
func.func @reduce_with(%t: tensor<4x8xi32>) -> tensor<4xi32> {
  // CHECK: tile.reduce_with %{{.*}} {axis = 1 : i32} : tensor<4x8xi32> -> tensor<4xi32> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32):
  // CHECK-NEXT:   %[[M:.*]] = arith.maxsi %[[X]], %[[Y]] : i32
  // CHECK-NEXT:   tile.yield %[[M]] : i32
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xi32> -> tensor<4xi32> {
  ^bb0(%x: i32, %y: i32):
    %m = arith.maxsi %x, %y : i32
    tile.yield %m : i32
  }
  return %r : tensor<4xi32>
}

// CHECK-LABEL: func.func @debug
func.func @debug(%t: tensor<8xf32>, %n: i32, %c: tensor<8xi1>) {
  // CHECK: tile.print "values", %{{.*}}, %{{.*}} : tensor<8xf32>, i32
  // CHECK-NEXT: tile.print "here"
  // CHECK-NEXT: tile.assert %{{.*}}, "must hold" : tensor<8xi1>
  tile.print "values", %t, %n : tensor<8xf32>, i32
  tile.print "here"
  tile.assert %c, "must hold" : tensor<8xi1>
  return
}
