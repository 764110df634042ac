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

// --config sets fields of the default configuration: GEMM at 128 x 128 x 64 in 3 stages
// on 8 warps (the tile IR carries the stages and warps; the blocks are the loads'
// shapes); a field the kernel does not have, or a malformed item, is refused by name.
// RUN: %tegula compile gemm --target cuda:sm_80 --dtype bf16 --shape 1024,1024,1024 --config BK=64,num_stages=3,num_warps=8 --emit tile | FileCheck %s --check-prefix=CONFIG
// CONFIG: tile.num_stages = 3 : i64, tile.num_warps = 8 : i64
// CONFIG: tensor<128x64xbf16>
// RUN: not %tegula compile gemm --config BQ=3 2>&1 | FileCheck %s --check-prefix=NOFIELD
// NOFIELD: tegula: invalid argument: gemm has no configuration field 'BQ' (it has BM, BN, BK, num_warps, num_stages, kn_multiple, tf32)
// RUN: not %tegula compile softmax --config BM=3 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: tegula: invalid argument: softmax has no configuration field 'BM' (it takes none)
// tf32=1 lets an f32 GEMM's dot round its inputs to tf32; it is 0 or 1.
// RUN: %tegula compile gemm --target cuda:sm_80 --config tf32=1 --emit tile | FileCheck %s --check-prefix=TF32
// TF32: tile.dot {{.*}} {input_precision = 1 : i32}
// RUN: not %tegula compile gemm --config tf32=2 2>&1 | FileCheck %s --check-prefix=TF32RANGE
// TF32RANGE: tegula: invalid argument: gemm: tf32 = 2 (it is 0 or 1)
// RUN: not %tegula compile gemm --config BK=sixty 2>&1 | FileCheck %s --check-prefix=BADITEM
// BADITEM: tegula: invalid argument: bad --config item 'BK=sixty': expected FIELD=INTEGER

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
