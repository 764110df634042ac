// RUN: tegula-opt %s -split-input-file --tegula-insert-gpu-barriers -verify-diagnostics | FileCheck %s

// A read after a write of the same bytes waits for it; reads after reads do not; a
// write after reads waits for them. Views at constant offsets that do not overlap are
// independent.
// CHECK-LABEL: gpu.func @straight
// CHECK: memref.store
// CHECK-NEXT: memref.store
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.load %[[A:.*]][
// CHECK-NEXT: memref.load %[[A]][
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.store {{.*}} %[[A]][
// CHECK-NOT: gpu.barrier
// CHECK: memref.store {{.*}} %[[B:.*]][
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
gpu.module @m {
  gpu.func @straight(%v: f32, %i: index, %j: index) workgroup(%all : memref<1024xi8, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c512 = arith.constant 512 : index
    %a = memref.view %all[%c0][] : memref<1024xi8, #gpu.address_space<workgroup>> to memref<128xf32, #gpu.address_space<workgroup>>
    %b = memref.view %all[%c512][] : memref<1024xi8, #gpu.address_space<workgroup>> to memref<128xf32, #gpu.address_space<workgroup>>
    memref.store %v, %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    memref.store %v, %a[%j] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    %x = memref.load %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    %y = memref.load %a[%j] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    memref.store %x, %a[%j] {tgpu.exchange = 1 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    memref.store %y, %b[%j] {tgpu.exchange = 2 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    gpu.return
  }
}

// -----

// In a loop, the next iteration's write must wait for this iteration's reads: the
// barrier goes before the write, inside the loop, besides the one between write and
// read. The exchange numbers are gone afterwards.
// CHECK-LABEL: gpu.func @loop
// CHECK: scf.for
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.store
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.load
// CHECK-NOT: tgpu.exchange
gpu.module @m {
  gpu.func @loop(%v: f32, %i: index, %n: index) workgroup(%a : memref<128xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %k = %c0 to %n step %c1 {
      memref.store %v, %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
      %x = memref.load %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    }
    gpu.return
  }
}

// -----

// Writes under a branch (only some threads write) followed by reads: the barrier goes
// after the branch, never inside it; a hazard reaching into a branch gets its barrier
// before the branch.
// CHECK-LABEL: gpu.func @branch
// CHECK: scf.if
// CHECK-NOT: gpu.barrier
// CHECK: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.load
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if
gpu.module @m {
  gpu.func @branch(%v: f32, %i: index, %c: i1) workgroup(%a : memref<128xf32, #gpu.address_space<workgroup>>) kernel {
    scf.if %c {
      memref.store %v, %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
      memref.store %v, %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    }
    %x = memref.load %a[%i] {tgpu.exchange = 0 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    scf.if %c {
      memref.store %x, %a[%i] {tgpu.exchange = 1 : i64} : memref<128xf32, #gpu.address_space<workgroup>>
    }
    gpu.return
  }
}

// -----

// A write then a read inside one branch would need a barrier that part of the block
// never reaches: an error rather than a hang on the GPU.
gpu.module @m {
  gpu.func @inside(%v: f32, %i: index, %c: i1) workgroup(%a : memref<128xf32, #gpu.address_space<workgroup>>) kernel {
    scf.if %c {
      memref.store %v, %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
      // expected-error @+1 {{shared-memory accesses that need a barrier between them inside a branch that only part of the block may take}}
      %x = memref.load %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
    }
    gpu.return
  }
}
