// Proof rung: assembled. Every library kernel without `dot`, in every dtype, compiled
// through NVPTX and accepted by ptxas for sm_80 and sm_90, with no spills. Nothing here
// runs on a GPU.
// RUN: for a in sm_80 sm_90; do for k in vector_add softmax rms_norm layer_norm; do for d in f32 f16 bf16; do echo "== $a $k $d"; %tegula compile $k --dtype $d --target cuda:$a --emit ptxas-info || exit 1; done; done; done > %t.info
// RUN: FileCheck %s --input-file %t.info
// RUN: grep -c "0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads" %t.info | FileCheck %s --check-prefix=NOSPILL
// RUN: %tegula compile softmax --target cuda:sm_90 --emit ptx | FileCheck %s --check-prefix=PTX
// RUN: %tegula compile vector_add --target cuda --emit cubin -o %t.cubin && od -A n -t x1 -N 4 %t.cubin | FileCheck %s --check-prefix=ELF
// RUN: %tegula compile gemm --target cuda --emit ptx 2>&1 | FileCheck %s --check-prefix=DOT
// RUN: %tegula compile softmax --target cuda:sm_80 --emit resources | FileCheck %s --check-prefix=RES
// RUN: not %tegula compile softmax --target cuda:sm_70 --emit ptx 2>&1 | FileCheck %s --check-prefix=ARCH

// The norms and softmax reduce across their warps (8, the default configuration's
// choice for 4 x 1024 tiles) through shared memory, with a barrier; vector add needs
// neither.
// CHECK-LABEL: == sm_80 vector_add f32
// CHECK: used 0 barriers
// CHECK-LABEL: == sm_80 softmax f32
// CHECK: used 1 barriers, 128 bytes smem
// CHECK-LABEL: == sm_80 rms_norm bf16
// CHECK: used 1 barriers
// CHECK-LABEL: == sm_90 layer_norm f16
// CHECK: used 1 barriers
// NOSPILL: 24

// PTX: .target sm_90
// PTX: .entry softmax_f32(
// PTX: shfl.sync.bfly.b32
// PTX: bar.sync
// ELF: 7f 45 4c 46
// What ptxas -v reports of softmax f32 on sm_80, in the targets' shared form.
// RES: registers: {{[1-9][0-9]*}}
// RES-NEXT: spills: 0
// RES-NEXT: scratch_bytes: 0
// RES-NEXT: shared_bytes: 128
// GEMM on the vector units until the matrix path: f32 FMAs fed from shared memory.
// DOT: .entry gemm_f32(
// DOT: bar.sync
// DOT: fma.rn.f32
// ARCH: the cuda target has no architecture 'sm_70' (sm_80, sm_90)
