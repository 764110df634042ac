// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses="warp-size=64" -verify-diagnostics
// RUN: tegula-opt %s -split-input-file --tegula-coalesce-gpu-accesses | FileCheck %s

// A kernel that chose 32 warps: 1024 threads of NVIDIA's 32 lanes, but 2048 of AMD's
// 64, more than a block may have; refused with the figures.
// CHECK-LABEL: func.func @thirty_two_warps
// CHECK-SAME: tgpu.num_warps = 32 : i64
// expected-error @+1 {{kernel 'thirty_two_warps' runs as 32 warps of 64 lanes, 2048 threads; this target runs at most 1024 threads in a block (16 warps)}}
func.func @thirty_two_warps(%x: !tile.ptr<f32>) attributes {tile.kernel, tile.num_warps = 32 : i64} {
  %r = tile.range 0 to 1024 : tensor<1024xi32>
  %xp = tile.splat %x : tensor<1024x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<1024x!tile.ptr<f32>>, tensor<1024xi32>
  %a = tile.load %xq : tensor<1024x!tile.ptr<f32>> -> tensor<1024xf32>
  tile.store %xq, %a : tensor<1024x!tile.ptr<f32>>, tensor<1024xf32>
  return
}
