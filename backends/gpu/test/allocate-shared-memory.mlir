// RUN: tegula-opt %s -split-input-file --tegula-allocate-shared-memory="bytes=1024" -verify-diagnostics | FileCheck %s
// RUN: tegula-opt %s -split-input-file --tegula-allocate-shared-memory="bytes=1024 dynamic-bytes=2048" | FileCheck %s --check-prefix=DYNAMIC

// Two exchanges one after the other share their bytes; one living across both gets
// bytes of its own. Each buffer becomes a view of one block of bytes.
// CHECK-LABEL: gpu.func @reuse
// CHECK-SAME: workgroup(%[[ALL:.*]] : memref<528xi8, #gpu.address_space<workgroup>>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C512:.*]] = arith.constant 512 : index
// CHECK-DAG: memref.view %[[ALL]][%[[C0]]][] : memref<528xi8, #gpu.address_space<workgroup>> to memref<128xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: memref.view %[[ALL]][%[[C0]]][] : memref<528xi8, #gpu.address_space<workgroup>> to memref<64xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: memref.view %[[ALL]][%[[C512]]][] : memref<528xi8, #gpu.address_space<workgroup>> to memref<4xi8, #gpu.address_space<workgroup>>
gpu.module @m {
  gpu.func @reuse(%v: f32, %i: index) workgroup(%a : memref<128xf32, #gpu.address_space<workgroup>>,
                                                 %b : memref<64xf32, #gpu.address_space<workgroup>>,
                                                 %c : memref<4xi8, #gpu.address_space<workgroup>>) kernel {
    %k = arith.constant 1 : i8
    memref.store %k, %c[%i] : memref<4xi8, #gpu.address_space<workgroup>>
    memref.store %v, %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
    %x = memref.load %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
    memref.store %x, %b[%i] : memref<64xf32, #gpu.address_space<workgroup>>
    %y = memref.load %b[%i] : memref<64xf32, #gpu.address_space<workgroup>>
    %z = memref.load %c[%i] : memref<4xi8, #gpu.address_space<workgroup>>
    gpu.return
  }
}

// -----

// A buffer used inside a loop and after it lives through the whole loop: the one used
// only inside the loop's body, before it, cannot share its bytes.
// CHECK-LABEL: gpu.func @loop
// CHECK-SAME: memref<768xi8
// CHECK-DAG: memref.view %{{.*}}[%c0][] {{.*}} to memref<128xf32
// CHECK-DAG: memref.view %{{.*}}[%c512][] {{.*}} to memref<64xf32
gpu.module @m {
  gpu.func @loop(%v: f32, %i: index, %n: index) workgroup(%a : memref<128xf32, #gpu.address_space<workgroup>>,
                                                           %b : memref<64xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %k = %c0 to %n step %c1 {
      memref.store %v, %b[%i] : memref<64xf32, #gpu.address_space<workgroup>>
      %y = memref.load %b[%i] : memref<64xf32, #gpu.address_space<workgroup>>
      memref.store %y, %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
    }
    %x = memref.load %a[%i] : memref<128xf32, #gpu.address_space<workgroup>>
    gpu.return
  }
}

// -----

// More than the target has: refused with the figures, at compile time. Where a block
// may take more as dynamic shared memory, the bytes are that instead of an attribution,
// and the kernel states how many its launch must provide.
// DYNAMIC-LABEL: gpu.func @big
// DYNAMIC-NOT: workgroup(
// DYNAMIC-SAME: tgpu.dynamic_shared_bytes = 1040 : i64
// DYNAMIC: %[[ALL:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// DYNAMIC-DAG: memref.view %[[ALL]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<256xf32, #gpu.address_space<workgroup>>
// DYNAMIC-DAG: memref.view %[[ALL]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4xf32, #gpu.address_space<workgroup>>
gpu.module @m {
  // expected-error @+1 {{kernel 'big' needs 1040 bytes of shared memory in 2 buffers, and a block of the target has 1024: use smaller blocks, fewer stages or fewer warps}}
  gpu.func @big(%v: f32, %i: index) workgroup(%a : memref<256xf32, #gpu.address_space<workgroup>>,
                                               %b : memref<4xf32, #gpu.address_space<workgroup>>) kernel {
    memref.store %v, %a[%i] : memref<256xf32, #gpu.address_space<workgroup>>
    memref.store %v, %b[%i] : memref<4xf32, #gpu.address_space<workgroup>>
    %x = memref.load %a[%i] : memref<256xf32, #gpu.address_space<workgroup>>
    %y = memref.load %b[%i] : memref<4xf32, #gpu.address_space<workgroup>>
    gpu.return
  }
}
