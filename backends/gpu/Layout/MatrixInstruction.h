// The GPU matrix instructions as data: for each, its shape and which elements of its
// operands and accumulator each lane holds in which register (the vendors' fragment
// tables, as layouts), and how a dot's accumulator is tiled over a block's warps from
// it. The lowering's addressing and the accumulator's layout both come from here, so a
// wrong entry in a table is one wrong answer the emulator (which keeps its own copy of
// the vendors' tables) catches, not two that agree.
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_MATRIXINSTRUCTION_H
#define TEGULA_BACKENDS_GPU_LAYOUT_MATRIXINSTRUCTION_H

#include "backends/gpu/Layout/LinearLayout.h"

#include <optional>
#include <string>
#include <vector>

namespace tegula::gpu {

/// NVIDIA's warp-wide mma.sync (operands in 32-bit registers of two 16-bit elements) or
/// AMD's wavefront-wide MFMA (operands in vectors of four).
enum class MatrixUnit { MmaSync, Mfma };

/// The element type of a matrix instruction's multiplicands. TF32 takes f32 values,
/// which the instruction reads to 10 mantissa bits: only a dot whose input precision
/// allows tf32 may use it.
enum class MatrixInput { F16, BF16, TF32 };

struct MatrixInstruction {
  std::string name; ///< as targets list it: "mma.m16n8k16", "mma.m16n8k8.tf32", "mfma.32x32x8"
  MatrixUnit unit = MatrixUnit::MmaSync;
  int64_t m = 0, n = 0, k = 0;
  int64_t lanes = 32;
  std::vector<MatrixInput> inputs; ///< what A and B may hold (both the same); f32 accumulators
  /// (register, lane) -> (row, col) of one instruction's A (m x k), B (k x n) and
  /// accumulator (m x n). A register here is one element: 16-bit inputs go two to a
  /// 32-bit register, so register bit 0 picks the half; a tf32 element fills one.
  LinearLayout a, b, c;

  /// Whether A and B are f32 values read as tf32.
  bool tf32() const { return inputs.size() == 1 && inputs[0] == MatrixInput::TF32; }
};

/// The instruction `name` (nullopt if there is none of that name). With `swap_fragment`
/// the accumulator's table has two bits that step along its rows swapped (mma.sync: two
/// lane bits; MFMA: two register bits): a planted bug.
std::optional<MatrixInstruction> find_matrix_instruction(const std::string &name, bool swap_fragment = false);

/// An M x N accumulator tiled by `instr` over a block's warps: each warp computes a
/// (warp_rows x warp_cols) sub-tile as tiles_m x tiles_n instruction tiles, the warps
/// split over rows and columns (the longer side first) as far as whole instruction
/// tiles allow; warps beyond that hold copies.
struct MatrixTiling {
  int64_t warp_rows = 0, warp_cols = 0; ///< each warp's sub-tile
  int64_t tiles_m = 0, tiles_n = 0;     ///< instruction tiles per warp
  /// register, lane, warp -> (row, col). Register index: the instruction's accumulator
  /// registers lowest, then the tile along n, then along m.
  LinearLayout layout;
};

/// nullopt when an M x N accumulator has less than one instruction tile per dimension,
/// or an extent that is not a power of two.
std::optional<MatrixTiling> tile_accumulator(const MatrixInstruction &instr, int64_t M, int64_t N, int64_t warps);

} // namespace tegula::gpu

#endif
