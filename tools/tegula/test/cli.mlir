// The tegula command line: compile each stage of a library kernel, list targets, and
// report errors clearly.

// The tile IR parses back; softmax's first pass over a row carries the running max
// and sum.
// RUN: %tegula compile softmax --emit tile | tegula-opt | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @softmax_f32(
// TILE-SAME: !tile.ptr<f32>
// TILE-SAME: attributes {tile.kernel}
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{[^ ]+}} = %{{[^ ]+}}, %{{[^ ]+}} = %{{[^ ]+}}) -> (tensor<{{.*}}xf32>, tensor<{{.*}}xf32>)
// TILE: tile.reduce max
// TILE: tile.reduce sum
// TILE: scf.yield %{{[^ ]+}}, %{{[^ ]+}} : tensor<{{.*}}xf32>, tensor<{{.*}}xf32>

// RUN: %tegula compile gemm --emit linalg | FileCheck %s --check-prefix=LINALG
// LINALG: func.func @gemm_f32(%{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr)
// LINALG: func.func private @gemm_f32.body(
// LINALG: linalg.matmul
// LINALG-NOT: tile.desc_load

// RUN: %tegula compile gemm --emit llvm | FileCheck %s --check-prefix=LLVMIR
// LLVMIR-DAG: @__tegula_info_gemm_f32 = {{.*}}constant {{.*}}c"tegula-kernel 1\0Aname gemm_f32\0A
// LLVMIR-DAG: define void @gemm_f32(ptr {{.*}}, ptr {{.*}})
// The body has internal linkage: inlined into the entry, not exported.
// LLVMIR-NOT: define {{.*}}@gemm_f32.body

// RUN: %tegula compile gemm --emit asm | FileCheck %s --check-prefix=ASM
// ASM: {{^}}gemm_f32:

// RUN: %tegula targets | FileCheck %s --check-prefix=TARGETS
// TARGETS: target status
// TARGETS: {{^}}cpu {{.*}}executes
// TARGETS: {{^}}maia {{.*}}simulator; executes

// RUN: not %tegula compile nosuch 2>&1 | FileCheck %s --check-prefix=NOKERNEL
// NOKERNEL: tegula: invalid argument: unknown kernel 'nosuch' (known: vector_add, softmax, rms_norm, layer_norm, gemm, attention)

// RUN: not %tegula compile gemm --target opencl 2>&1 | FileCheck %s --check-prefix=NOTARGET
// NOTARGET: tegula: unsupported: target 'opencl' is not available in this build (available: cpu, maia, cuda, rocm, gpu-emu, toy)

// Each stage of the pipeline is dumped, in order, to stderr.
// RUN: %tegula compile gemm --dump-ir --emit llvm-dialect 2>&1 >/dev/null | FileCheck %s --check-prefix=DUMP
// DUMP: // ----- IR after stage 'tile' -----
// DUMP: tile.desc_load
// DUMP: // ----- IR after stage 'linalg' -----
// DUMP: linalg.matmul
// DUMP: // ----- IR after stage 'bufferized' -----
// DUMP: memref
// DUMP: // ----- IR after stage 'loops' -----
// DUMP: scf.for
// DUMP: // ----- IR after stage 'llvm' -----
// DUMP: llvm.func @gemm_f32(
