// RUN: tegula-opt %s -split-input-file -tegula-convert-tile-to-linalg -tegula-emit-cpu-entry | FileCheck %s

// The CPU calling convention: kernel @k becomes the private @k.body and a new @k takes
// (args, grid). args[i] points to argument i's value; grid holds six i32 (program id
// x, y, z, then the grid size x, y, z), passed to the body after the arguments.

// CHECK-LABEL: func.func @vector_add
// CHECK-SAME: (%[[ARGS:[^:]+]]: !llvm.ptr, %[[GRID:[^:]+]]: !llvm.ptr) attributes {tile.kernel} {
// Argument 0, a pointer: an i64 address.
// CHECK-NEXT: %[[S0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[P0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> i64
// Argument 1, an i32 scalar.
// CHECK-NEXT: %[[S1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[P1:.*]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> i32
// Argument 2, an f32 scalar.
// CHECK-NEXT: %[[S2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[P2:.*]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> f32
// The six grid values.
// CHECK-NEXT: %[[G0:.*]] = llvm.getelementptr %[[GRID]][0] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[PIDX:.*]] = llvm.load %[[G0]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[G1:.*]] = llvm.getelementptr %[[GRID]][1] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[PIDY:.*]] = llvm.load %[[G1]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[G2:.*]] = llvm.getelementptr %[[GRID]][2] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[PIDZ:.*]] = llvm.load %[[G2]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[G3:.*]] = llvm.getelementptr %[[GRID]][3] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[NX:.*]] = llvm.load %[[G3]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[G4:.*]] = llvm.getelementptr %[[GRID]][4] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[NY:.*]] = llvm.load %[[G4]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[G5:.*]] = llvm.getelementptr %[[GRID]][5] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT: %[[NZ:.*]] = llvm.load %[[G5]] : !llvm.ptr -> i32
// CHECK-NEXT: call @vector_add.body(%[[A0]], %[[A1]], %[[A2]], %[[PIDX]], %[[PIDY]], %[[PIDZ]], %[[NX]], %[[NY]], %[[NZ]])
// CHECK-SAME: : (i64, i32, f32, i32, i32, i32, i32, i32, i32) -> ()
// CHECK-NEXT: return
// The body keeps the lowered code, loses the kernel attribute and reads program id y
// from its fifth argument.
// CHECK-LABEL: func.func private @vector_add.body
// CHECK-SAME: (%[[X:[^:]+]]: i64, %{{[^:]+}}: i32, %[[V:[^:]+]]: f32, %{{[^:]+}}: i32, %[[Y:[^:]+]]: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32, %{{[^:]+}}: i32) attributes {llvm.linkage = #llvm.linkage<internal>} {
// CHECK: arith.extsi %[[Y]] : i32 to i64
// CHECK: llvm.store %[[V]], %{{.*}} : f32, !llvm.ptr
// Functions that are not kernels are left alone.
// CHECK-LABEL: func.func @not_a_kernel()
// CHECK-NOT: .body
func.func @vector_add(%x: !tile.ptr<f32>, %n: i32, %v: f32) attributes {tile.kernel} {
  %pid = tile.program_id 1 : i32
  %q = tile.addptr %x, %pid : !tile.ptr<f32>, i32
  tile.store %q, %v : !tile.ptr<f32>, f32
  return
}
func.func @not_a_kernel() {
  return
}

// -----

// Each kernel of a module is wrapped; one without arguments reads only the grid.
// CHECK-LABEL: func.func @first
// CHECK-SAME: (%{{[^:]+}}: !llvm.ptr, %[[GRID:[^:]+]]: !llvm.ptr) attributes {tile.kernel} {
// CHECK-NOT: llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK-COUNT-6: llvm.load %{{.*}} : !llvm.ptr -> i32
// CHECK-NEXT: call @first.body(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i32, i32, i32, i32, i32, i32) -> ()
// CHECK-LABEL: func.func private @first.body
// CHECK-NOT: tile.kernel
// CHECK-LABEL: func.func @second
// CHECK-SAME: (%{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr) attributes {tile.kernel} {
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: call @second.body({{.*}}) : (i64, i64, i32, i32, i32, i32, i32, i32) -> ()
// CHECK-LABEL: func.func private @second.body
func.func @first() attributes {tile.kernel} {
  return
}
func.func @second(%x: !tile.ptr<bf16>, %n: i64) attributes {tile.kernel} {
  return
}
