// Proof rung: emulated. Every library kernel runs on gpu-emu from the code cuda:sm_80
// (32-lane warps) and rocm:gfx942 (64-lane wavefronts) compile, on sizes that are no
// multiple of the block, against the fp64 reference (f16 and bf16 dots on sm_80's
// ldmatrix and mma.sync and on gfx942's MFMA, the others on the vector units); and
// each planted compiler bug makes xcheck fail on softmax, the norms and GEMM, and the
// swapped accumulator fragment and the dropped cp.async wait on GEMM and attention. GEMM with K and N multiples of 8
// runs its loop over K in two cp.async stages on sm_80: 7 steps of 32 (at least
// num_stages + 2) and 1 (fewer than num_stages), the steps past the end zero-filled.
// Attention's loop over keys takes K and V the same way: 5 steps of 64 and 1 at D = 64,
// 7 steps of 32 and 1 at D = 128, 4 and 1 at D = 80 and 96.
// RUN: %tegula xcheck vector_add --backend gpu-emu:sm_80,gpu-emu:gfx942 | FileCheck %s --check-prefix=VADD
// RUN: %tegula xcheck softmax --backend gpu-emu:sm_80,gpu-emu:gfx942 | FileCheck %s --check-prefix=SOFTMAX
// RUN: %tegula xcheck rms_norm --backend gpu-emu:sm_80,gpu-emu:gfx942 | FileCheck %s --check-prefix=NORM
// RUN: %tegula xcheck layer_norm --backend gpu-emu:sm_80,gpu-emu:gfx942 | FileCheck %s --check-prefix=NORM
// RUN: for k in gemm gemm_relu gemm_bias_gelu gemm_bias_silu; do %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 || exit 1; done | FileCheck %s --check-prefix=GEMM
// RUN: for k in attention attention_causal lora_sgmv lora_bgmv lora_linear; do %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 || exit 1; done | FileCheck %s --check-prefix=DOTS
// RUN: for k in softmax rms_norm layer_norm gemm; do not %tegula xcheck $k --backend cpu,gpu-emu:sm_80,gpu-emu:gfx942 --mutate gpu-drop-barrier; done | FileCheck %s --check-prefix=DROP
// RUN: for k in softmax rms_norm layer_norm gemm; do not %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --mutate gpu-shift-exchange; done | FileCheck %s --check-prefix=SHIFT
// RUN: for s in 45,264,136,6 45,40,136,6; do for k in lora_sgmv lora_bgmv lora_linear; do %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --shape $s || exit 1; done; done | FileCheck %s --check-prefix=LORASTAGES
// RUN: for k in gemm attention; do not %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --dtype bf16 --mutate gpu-swap-fragment; done | FileCheck %s --check-prefix=SWAP
// RUN: for s in 130,104,200 130,104,24; do for k in gemm gemm_bias_gelu; do %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --shape $s || exit 1; done; done | FileCheck %s --check-prefix=STAGES
// RUN: for s in 2,70,300,2,1,64 2,40,50,2,1,64 2,45,200,2,1,128 1,33,20,2,2,128 2,45,100,2,1,80 1,33,20,2,2,96; do for k in attention attention_causal; do %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --shape $s || exit 1; done; done | FileCheck %s --check-prefix=ATTSTAGES
// RUN: for k in gemm attention; do not %tegula xcheck $k --backend gpu-emu:sm_80,gpu-emu:gfx942 --dtype bf16 --shape $(test $k = gemm && echo 130,104,200 || echo 2,70,300,2,1,64) --mutate gpu-drop-async-wait; done | FileCheck %s --check-prefix=NOWAIT
// RUN: not %tegula xcheck softmax --backend cpu --mutate gpu-drop-barrier 2>&1 | FileCheck %s --check-prefix=NOWHERE

// VADD: vector_add gpu-emu:sm_80 f32 4099 PASS
// VADD: vector_add gpu-emu:gfx942 bf16 4099 PASS
// VADD: 6 cases: 6 passed, 0 failed

// SOFTMAX-COUNT-6: softmax {{.*}} 37x1031 PASS
// SOFTMAX: 6 cases: 6 passed, 0 failed

// NORM-COUNT-6: {{rms|layer}}_norm {{.*}} 9x1031 PASS
// NORM: 6 cases: 6 passed, 0 failed

// GEMM-COUNT-6: gemm gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}130x97x200 {{ *}}PASS
// GEMM: 6 cases: 6 passed, 0 failed
// GEMM-COUNT-4: gemm_relu {{.*}} PASS
// GEMM: 4 cases: 4 passed, 0 failed
// GEMM-COUNT-4: gemm_bias_gelu {{.*}} PASS
// GEMM: 4 cases: 4 passed, 0 failed
// GEMM-COUNT-4: gemm_bias_silu {{.*}} PASS
// GEMM: 4 cases: 4 passed, 0 failed

// DOTS-COUNT-6: attention {{.*}} 2x70x131x4x2x64 {{ *}}PASS
// DOTS: 6 cases: 6 passed, 0 failed
// DOTS-COUNT-4: attention_causal {{.*}} PASS
// DOTS: 4 cases: 4 passed, 0 failed
// DOTS-COUNT-4: lora_sgmv {{.*}} PASS
// DOTS: 4 cases: 4 passed, 0 failed
// DOTS-COUNT-4: lora_bgmv {{.*}} PASS
// DOTS: 4 cases: 4 passed, 0 failed
// DOTS-COUNT-4: lora_linear {{.*}} PASS
// DOTS: 4 cases: 4 passed, 0 failed

// Without its barriers, the cross-warp reduction races, and the emulator names the
// kernel's line; the CPU cannot plant the bug and is left out.
// DROP: xcheck: cpu plants no 'gpu-drop-barrier'; left out
// DROP: softmax gpu-emu:sm_80,plant-bug=gpu-drop-barrier f32 {{.*}} ERROR
// DROP-NEXT: device fault: gpu-emu: kernel 'softmax_f32', block (0,0,0): a shared-memory race: {{.*}} at {{.*}}softmax.cpp:{{[0-9]+}} (memref.load)
// DROP: 6 cases: 0 passed, 6 failed
// DROP: rms_norm gpu-emu:gfx942,plant-bug=gpu-drop-barrier bf16 {{.*}} ERROR
// DROP: 6 cases: 0 passed, 6 failed
// DROP: layer_norm gpu-emu:sm_80,plant-bug=gpu-drop-barrier f16 {{.*}} ERROR
// DROP: 6 cases: 0 passed, 6 failed
// DROP: gemm gpu-emu:sm_80,plant-bug=gpu-drop-barrier bf16 {{.*}} ERROR
// DROP: 6 cases: 0 passed, 6 failed

// When the two sides of an exchange disagree on its layout, the answers are wrong.
// SHIFT: softmax gpu-emu:sm_80,plant-bug=gpu-shift-exchange f32 {{.*}} FAIL
// SHIFT: 6 cases: 0 passed, 6 failed
// SHIFT: rms_norm gpu-emu:gfx942,plant-bug=gpu-shift-exchange f32 {{.*}} FAIL
// SHIFT: 6 cases: 0 passed, 6 failed
// SHIFT: layer_norm gpu-emu:gfx942,plant-bug=gpu-shift-exchange bf16 {{.*}} FAIL
// SHIFT: 6 cases: 0 passed, 6 failed
// GEMM's shifted reads land on the padding of A's rows, which nothing wrote (on
// gfx942 the f16 dot's MFMA fragments, read 8 bytes at a time).
// SHIFT: gemm gpu-emu:gfx942,plant-bug=gpu-shift-exchange f16 {{.*}} ERROR
// SHIFT-NEXT: device fault: gpu-emu: kernel 'gemm_f16', block (0,0,0): thread 32 reads byte 64 of shared memory that nothing wrote at {{.*}}gemm.cpp:{{[0-9]+}} (vector.load)
// SHIFT: 6 cases: 0 passed, 6 failed

// With two rows of the accumulator's fragment traded in the compiler's table (mma.sync
// or MFMA), the accumulator's registers are stored where the hardware's table (the
// emulator's) did not put them.
// SWAP: gemm gpu-emu:sm_80,plant-bug=gpu-swap-fragment bf16 {{.*}} FAIL
// SWAP: gemm gpu-emu:gfx942,plant-bug=gpu-swap-fragment bf16 {{.*}} FAIL
// SWAP: 2 cases: 0 passed, 2 failed
// SWAP: attention gpu-emu:sm_80,plant-bug=gpu-swap-fragment bf16 {{.*}} FAIL
// SWAP: attention gpu-emu:gfx942,plant-bug=gpu-swap-fragment bf16 {{.*}} FAIL
// SWAP: 2 cases: 0 passed, 2 failed

// K and N multiples of 8: sm_80 pipelines the loop over K (gfx942, without
// asynchronous copies, loads each step as it runs).
// STAGES-COUNT-6: gemm gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}130x104x200 {{ *}}PASS
// STAGES: 6 cases: 6 passed, 0 failed
// STAGES-COUNT-4: gemm_bias_gelu gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}130x104x200 {{ *}}PASS
// STAGES: 4 cases: 4 passed, 0 failed
// STAGES-COUNT-6: gemm gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}130x104x24 {{ *}}PASS
// STAGES: 6 cases: 6 passed, 0 failed
// STAGES-COUNT-4: gemm_bias_gelu gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}130x104x24 {{ *}}PASS
// STAGES: 4 cases: 4 passed, 0 failed

// Attention's pipelined key steps: K and V of 16-bit types in two stages on sm_80.
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}2x70x300x2x1x64 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}2x70x300x2x1x64 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}2x40x50x2x1x64 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}2x40x50x2x1x64 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}2x45x200x2x1x128 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}2x45x200x2x1x128 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}1x33x20x2x2x128 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}1x33x20x2x2x128 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed
// D = 80 and 96 run as 128 columns, those past D masked off: 4 steps and 1.
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}2x45x100x2x1x80 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}2x45x100x2x1x80 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed
// ATTSTAGES-COUNT-6: attention gpu-emu:{{sm_80|gfx942}} {{f32|f16|bf16}} {{ *}}1x33x20x2x2x96 {{ *}}PASS
// ATTSTAGES: 6 cases: 6 passed, 0 failed
// ATTSTAGES-COUNT-4: attention_causal gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}1x33x20x2x2x96 {{ *}}PASS
// ATTSTAGES: 4 cases: 4 passed, 0 failed

// Multi-LoRA with H and H_out multiples of 8: the shrink's loop over H (and the linear
// layer's over K) runs 5 steps of 64 and 1, pipelined on sm_80 in 16-bit types.
// LORASTAGES-COUNT-4: lora_sgmv gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x264x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed
// LORASTAGES-COUNT-4: lora_bgmv gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x264x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed
// LORASTAGES-COUNT-4: lora_linear gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x264x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed
// LORASTAGES-COUNT-4: lora_sgmv gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x40x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed
// LORASTAGES-COUNT-4: lora_bgmv gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x40x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed
// LORASTAGES-COUNT-4: lora_linear gpu-emu:{{sm_80|gfx942}} {{f32|bf16}} {{ *}}45x40x136x6 {{ *}}PASS
// LORASTAGES: 4 cases: 4 passed, 0 failed

// A pipelined loop that does not wait for its copies reads its buffers before anything
// landed in them; gfx942 has nothing to plant the bug in.
// NOWAIT: gemm gpu-emu:sm_80,plant-bug=gpu-drop-async-wait bf16 {{ *}}130x104x200 {{ *}}ERROR
// NOWAIT-NEXT: device fault: gpu-emu: kernel 'gemm_bf16', block (0,0,0): thread {{[0-9]+}} reads byte {{[0-9]+}} of shared memory that nothing wrote at {{.*}}gemm.cpp:{{[0-9]+}} (nvgpu.ldmatrix)
// NOWAIT: gemm gpu-emu:gfx942,plant-bug=gpu-drop-async-wait bf16 {{ *}}130x104x200 {{ *}}PASS
// NOWAIT: 2 cases: 1 passed, 1 failed
// NOWAIT: attention gpu-emu:sm_80,plant-bug=gpu-drop-async-wait bf16 {{ *}}2x70x300x2x1x64 {{ *}}ERROR
// NOWAIT-NEXT: device fault: gpu-emu: kernel 'attention_d64_bf16_lse', block (0,0,0): thread {{[0-9]+}} reads byte {{[0-9]+}} of shared memory that nothing wrote at {{.*}}attention.cpp:{{[0-9]+}} (nvgpu.ldmatrix)
// NOWAIT: attention gpu-emu:gfx942,plant-bug=gpu-drop-async-wait bf16 {{ *}}2x70x300x2x1x64 {{ *}}PASS
// NOWAIT: 2 cases: 1 passed, 1 failed

// NOWHERE: unknown mutation 'gpu-drop-barrier': not a kernel mutation (transposed-operand, mask-off-by-one, dropped-scale) and no backend plants it
