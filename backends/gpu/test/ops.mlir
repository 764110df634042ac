// RUN: tegula-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// A blocked layout is a tensor encoding; convert_layout moves a tile between two
// layouts of one block (here rows to columns, four warps of 32 lanes).
// CHECK-LABEL: func.func @convert
// CHECK: tgpu.convert_layout %{{.*}} : tensor<64x64xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>> -> tensor<64x64xf32, #tgpu.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>>
func.func @convert(%x: tensor<64x64xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>>)
    -> tensor<64x64xf32, #tgpu.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>> {
  %y = tgpu.convert_layout %x : tensor<64x64xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>>
                             -> tensor<64x64xf32, #tgpu.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>>
  return %y : tensor<64x64xf32, #tgpu.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>>
}

// -----

// expected-error @+1 {{a blocked layout's order must be a permutation of its 2 dimensions}}
func.func @order(%x: tensor<64x64xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 1]>>) {
  return
}

// -----

// expected-error @+1 {{a blocked layout's sizes are powers of two up to 65536, got 3}}
func.func @sizes(%x: tensor<64xf32, #tgpu.blocked<sizePerThread = [3], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>) {
  return
}

// -----

func.func @extent(%x: tensor<48xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>) {
  // expected-error @+1 {{source: a blocked layout holds tiles whose extents are powers of two, got 48}}
  %y = tgpu.convert_layout %x : tensor<48xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>
                             -> tensor<48xf32, #tgpu.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>
  return
}

// -----

func.func @blocks(%x: tensor<64xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>) {
  // expected-error @+1 {{both layouts must be of one block: 4 warps of 32 lanes against 2 of 32}}
  %y = tgpu.convert_layout %x : tensor<64xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>
                             -> tensor<64xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [2], order = [0]>>
  return
}

// -----

func.func @plain(%x: tensor<64xf32>) {
  // expected-error @+1 {{the source needs a layout encoding, got 'tensor<64xf32>'}}
  %y = tgpu.convert_layout %x : tensor<64xf32> -> tensor<64xf32, #tgpu.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>>
  return
}

// -----

func.func @huge(%x: tensor<4294967296x4294967296xf32, #tgpu.blocked<sizePerThread = [1, 1], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]>>) {
  // expected-error @+1 {{a tile of 2^64 elements over 2^64 registers, lanes and warps is past what a layout holds (2^48)}}
  %y = tgpu.convert_layout %x : tensor<4294967296x4294967296xf32, #tgpu.blocked<sizePerThread = [1, 1], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]>>
                             -> tensor<4294967296x4294967296xf32, #tgpu.blocked<sizePerThread = [1, 1], threadsPerWarp = [1, 32], warpsPerCTA = [4, 1], order = [1, 0]>>
  return
}

// -----

// A linear layout is its bases, printed as parsed: here 8x4 over two registers, 8 lanes
// and 2 warps, converted to the blocked layout that holds the same elements elsewhere.
// CHECK-LABEL: func.func @linear
// CHECK: tensor<8x4xf32, #tgpu.linear<rank = 2, register = {{\[\[}}0, 1], [0, 2]], lane = {{\[\[}}1, 0], [2, 0], [0, 0]], warp = {{\[\[}}4, 0]]>>
func.func @linear(%x: tensor<8x4xf32, #tgpu.linear<rank = 2, register = [[0, 1], [0, 2]], lane = [[1, 0], [2, 0], [0, 0]], warp = [[4, 0]]>>) {
  %y = tgpu.convert_layout %x : tensor<8x4xf32, #tgpu.linear<rank = 2, register = [[0, 1], [0, 2]], lane = [[1, 0], [2, 0], [0, 0]], warp = [[4, 0]]>>
                             -> tensor<8x4xf32, #tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [8, 1], warpsPerCTA = [2, 1], order = [1, 0]>>
  return
}

// -----

// expected-error @+1 {{each lane basis of a rank-2 linear layout has 2 coordinates}}
func.func @short_basis(%x: tensor<8x4xf32, #tgpu.linear<rank = 2, register = [], lane = [[1]], warp = []>>) {
  return
}

// -----

func.func @unreached(%x: tensor<8x4xf32, #tgpu.linear<rank = 2, register = [[0, 1]], lane = [[1, 0]], warp = []>>) {
  // expected-error @+1 {{source: this linear layout leaves elements of the tile in no register, lane or warp}}
  %y = tgpu.convert_layout %x : tensor<8x4xf32, #tgpu.linear<rank = 2, register = [[0, 1]], lane = [[1, 0]], warp = []>>
                             -> tensor<8x4xf32, #tgpu.linear<rank = 2, register = [[0, 1]], lane = [[1, 0]], warp = []>>
  return
}
