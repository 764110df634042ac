// The CPU pipeline as the driver runs it (tile, linalg, bufferized, loops, llvm; one
// definition in backends/cpu/Pipeline.cpp) ends with nothing but the LLVM dialect.
//
// RUN: tegula-opt %s -split-input-file --tegula-cpu-pipeline \
// RUN:   | tee %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=LLVM-ONLY < %t

// No operation of another dialect is left anywhere in the output.
// LLVM-ONLY-NOT: {{^ *(%[^ ]+ = )?"?(func|arith|math|scf|cf|linalg|tensor|memref|bufferization|affine|tile)\.}}
// LLVM-ONLY-NOT: unrealized_conversion_cast
// LLVM-ONLY-NOT: memrefCopy

// Masked vector add.
// CHECK: module attributes {tegula.access_sites = ["tile.load at {{.*}}pipeline.mlir:{{[0-9]+}}:8", "tile.load at {{.*}}pipeline.mlir:{{[0-9]+}}:8", "tile.store at {{.*}}pipeline.mlir:{{[0-9]+}}:3"]}
// CHECK-LABEL: llvm.func @vadd(
// CHECK-SAME: %[[ARGS:[^:]+]]: !llvm.ptr, %[[GRID:[^:]+]]: !llvm.ptr) attributes {tile.kernel} {
// CHECK-NEXT: %[[SLOT0:.*]] = llvm.load %[[ARGS]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.load %[[SLOT0]] : !llvm.ptr -> i64
// CHECK: llvm.load %[[GRID]] : !llvm.ptr -> i32
// CHECK: llvm.call @vadd.body({{.*}}) : (i64, i64, i64, i32, i32, i32, i32, i32, i32, i32) -> ()
// CHECK-NEXT: llvm.return
// CHECK: llvm.func internal @vadd.body(%[[X:[^:]+]]: i64, %[[Y:[^:]+]]: i64, %[[OUT:[^:]+]]: i64, %[[N:[^:]+]]: i32, %[[PID:[^:]+]]: i32,
// The block's first index and the mask.
// CHECK: llvm.mul %[[PID]], %{{.*}} : i32
// CHECK: %[[MASK:.*]] = llvm.icmp "slt" %{{.*}}, %[[N]] : i32
// Masked loads of x and y, summed.
// CHECK: %[[XA:.*]] = llvm.add %[[X]], %{{.*}} : i64
// CHECK-NEXT: llvm.cond_br %{{.*}}, ^[[XLOAD:.*]], ^{{.*}}
// CHECK-NEXT: ^[[XLOAD]]:
// CHECK-NEXT: %[[XP:.*]] = llvm.inttoptr %[[XA]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.load %[[XP]] : !llvm.ptr -> f32
// CHECK: %[[YA:.*]] = llvm.add %[[Y]], %{{.*}} : i64
// CHECK-NEXT: llvm.cond_br %{{.*}}, ^[[YLOAD:.*]], ^{{.*}}
// CHECK-NEXT: ^[[YLOAD]]:
// CHECK-NEXT: %[[YP:.*]] = llvm.inttoptr %[[YA]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.load %[[YP]] : !llvm.ptr -> f32
// CHECK: llvm.fadd %{{.*}}, %{{.*}} : f32
// The masked store.
// CHECK: %[[OA:.*]] = llvm.add %[[OUT]], %{{.*}} : i64
// CHECK: %[[EN:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i1
// CHECK: %[[SA:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[SV:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK-NEXT: llvm.cond_br %[[EN]], ^[[STORE:bb[0-9]+]], ^{{.*}}
// CHECK-NEXT: ^[[STORE]]:
// CHECK-NEXT: %[[SP:.*]] = llvm.inttoptr %[[SA]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.store %[[SV]], %[[SP]] : f32, !llvm.ptr
// CHECK: llvm.return
func.func @vadd(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %out: !tile.ptr<f32>, %n: i32)
    attributes {tile.kernel} {
  %c64 = arith.constant 64 : i32
  %zero = arith.constant 0.0 : f32
  %pid = tile.program_id 0 : i32
  %start = arith.muli %pid, %c64 : i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %s = tile.splat %start : tensor<64xi32>
  %offs = arith.addi %s, %r : tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<64xi32>
  %other = tile.splat %zero : tensor<64xf32>
  %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %a = tile.load %xp, %mask, %other
      : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %ys = tile.splat %y : tensor<64x!tile.ptr<f32>>
  %yp = tile.addptr %ys, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %b = tile.load %yp, %mask, %other
      : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %sum = arith.addf %a, %b : tensor<64xf32>
  %os = tile.splat %out : tensor<64x!tile.ptr<f32>>
  %op = tile.addptr %os, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %op, %sum, %mask : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  return
}

// -----

// A K loop carrying the accumulator tile through descriptor loads and dot.
// CHECK-LABEL: llvm.func @dot_loop(
// CHECK: llvm.call @dot_loop.body({{.*}}) : (i64, i64, i64, i32, i32, i32, i32, i32, i32, i32) -> ()
// CHECK: llvm.func internal @dot_loop.body(%[[A:[^:]+]]: i64, %[[B:[^:]+]]: i64, %[[C:[^:]+]]: i64, %[[K:[^:]+]]: i32,
// The zero accumulator is copied into the loop's buffer by compiled code: no call to
// the C runner library's memrefCopy (checked for the whole file below).
// The K loop: an i32 induction variable compared with K; the accumulator lives in
// that buffer, updated in place.
// CHECK: ^[[HEAD:bb[0-9]+]](%[[KV:.*]]: i32):
// CHECK-NEXT: %[[MORE:.*]] = llvm.icmp "slt" %[[KV]], %[[K]] : i32
// CHECK-NEXT: llvm.cond_br %[[MORE]], ^{{.*}}, ^[[EXIT:bb[0-9]+]]
// Guarded element loads of the A and B blocks.
// CHECK: %[[AADDR:.*]] = llvm.add %[[A]], %{{.*}} : i64
// CHECK-NEXT: llvm.cond_br %{{.*}}, ^[[ALOAD:bb[0-9]+]], ^{{.*}}
// CHECK-NEXT: ^[[ALOAD]]:
// CHECK-NEXT: %[[AP:.*]] = llvm.inttoptr %[[AADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.load %[[AP]] : !llvm.ptr -> f32
// CHECK: %[[BADDR:.*]] = llvm.add %[[B]], %{{.*}} : i64
// CHECK-NEXT: llvm.cond_br %{{.*}}, ^[[BLOAD:bb[0-9]+]], ^{{.*}}
// CHECK-NEXT: ^[[BLOAD]]:
// CHECK-NEXT: %[[BP:.*]] = llvm.inttoptr %[[BADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.load %[[BP]] : !llvm.ptr -> f32
// The matmul's register microkernel (16 columns: one vector per row of C), then the
// back edge.
// CHECK: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// CHECK: llvm.br ^[[HEAD]](%{{.*}} : i32)
// The guarded store of the C block after the loop.
// CHECK: ^[[EXIT]]:
// CHECK: %[[CADDR:.*]] = llvm.add %[[C]], %{{.*}} : i64
// CHECK: llvm.cond_br %{{.*}}, ^[[CSTORE:bb[0-9]+]], ^{{.*}}
// CHECK-NEXT: ^[[CSTORE]]:
// CHECK-NEXT: %[[CP:.*]] = llvm.inttoptr %[[CADDR]] : i64 to !llvm.ptr
// CHECK-NEXT: llvm.store %{{.*}}, %[[CP]] : f32, !llvm.ptr
// CHECK: llvm.return
func.func @dot_loop(%a: !tile.ptr<f32>, %b: !tile.ptr<f32>, %c: !tile.ptr<f32>, %k: i32)
    attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c8 = arith.constant 8 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %da = tile.make_desc %a, shape [%c16, %k], strides [%k, %c1]
      : !tile.ptr<f32> -> !tile.desc<16x8xf32>
  %db = tile.make_desc %b, shape [%k, %c16], strides [%c16, %c1]
      : !tile.ptr<f32> -> !tile.desc<8x16xf32>
  %dc = tile.make_desc %c, shape [%c16, %c16], strides [%c16, %c1]
      : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %acc = scf.for %i = %c0 to %k step %c8 iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    %ta = tile.desc_load %da[%c0, %i] : !tile.desc<16x8xf32> -> tensor<16x8xf32>
    %tb = tile.desc_load %db[%i, %c0] : !tile.desc<8x16xf32> -> tensor<8x16xf32>
    %next = tile.dot %ta, %tb, %acc : tensor<16x8xf32>, tensor<8x16xf32> -> tensor<16x16xf32>
    scf.yield %next : tensor<16x16xf32>
  }
  tile.desc_store %dc[%c0, %c0], %acc : !tile.desc<16x16xf32>, tensor<16x16xf32>
  return
}
