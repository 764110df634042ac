// Proof rung: linked. Every library kernel without `dot`, in every dtype, compiled by
// LLVM's AMDGPU backend for wave64 and linked by ld.lld into a code object for gfx90a
// and gfx942. No AMD GPU exists here: nothing runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for a in gfx90a gfx942; do for k in vector_add softmax rms_norm layer_norm; do for d in f32 f16 bf16; do %tegula compile $k --dtype $d --target rocm:$a --emit hsaco -o %t/$k-$d-$a.hsaco || exit 1; done; done; done
// RUN: ls %t | grep -c hsaco | FileCheck %s --check-prefix=COUNT
// RUN: llvm-readelf -h %t/softmax-f32-gfx942.hsaco | FileCheck %s --check-prefix=GFX942
// RUN: llvm-readelf -h %t/layer_norm-bf16-gfx90a.hsaco | FileCheck %s --check-prefix=GFX90A
// RUN: %tegula compile softmax --target rocm --emit asm | FileCheck %s --check-prefix=ASM
// RUN: %tegula compile softmax --target rocm --emit emu-tap | FileCheck %s --check-prefix=WAVE64
// RUN: %tegula compile layer_norm --target rocm:gfx90a --emit resources | FileCheck %s --check-prefix=RES

// What the code object's metadata says the kernel takes (linked first): LayerNorm's
// cross-warp partials in LDS, nothing spilled.
// RES: registers: {{[1-9][0-9]*}}
// RES-NEXT: spills: 0
// RES-NEXT: scratch_bytes: 0
// RES-NEXT: shared_bytes: {{[1-9][0-9]*}}

// COUNT: 24
// GFX942: Type: DYN
// GFX942: Flags: {{.*}}gfx942
// GFX90A: Flags: {{.*}}gfx90a
// A wave of 64 lanes: 512 threads for the 8 warps softmax's default configuration
// chooses, butterflies up to lane distance 32.
// ASM: .amdhsa_kernel softmax_f32
// WAVE64: known_block_size = array<i32: 512, 1, 1>
// WAVE64: gpu.shuffle xor %{{.*}}, %c32_i32, %c64_i32
