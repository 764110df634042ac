// A hand-scheduled bf16 GEMM for the Maia-style machine, written in its assembler: one
// program instance per BM x BN block of C, K walked in BK steps with the A and B
// slices double-buffered so the DMA of step i+1 overlaps the tensor unit on step i.
// It calibrates the simulator's timing model against the roofline and is what the
// compiler's output for the library GEMM is measured against. Its planted-bug flags
// produce the three faults the simulator must catch.
#ifndef TEGULA_BACKENDS_MAIA_REFERENCE_GEMM_PROGRAM_H
#define TEGULA_BACKENDS_MAIA_REFERENCE_GEMM_PROGRAM_H

#include "tegula/maia/machine.h"

#include <cstdint>
#include <string>

namespace tegula::maia {

struct GemmProgramConfig {
  int64_t M = 1024, N = 1024, K = 1024;
  int64_t BM = 512, BN = 512, BK = 128;
  /// The four programs of a cluster compute a 2x2 square of blocks and read each A and
  /// B slice from HBM once, into cluster SRAM, for the two blocks that use it
  /// (gemm_shared_program).
  bool cluster_shared = false;
  // Planted bugs.
  bool drop_load_wait = false; ///< skip waiting for the first A/B slice before the mma
  bool overflow_tsram = false; ///< place the C block so it ends one TTU tile past TSRAM
  bool dma_row_past_end = false; ///< read one row more of A than the matrix has
};

/// Assembler text of the program; arguments are (a, b, c) HBM addresses, grid
/// (N / BN, M / BM). Throws Error(InvalidArgument) when the shapes do not divide into
/// blocks, the block count along K is odd, or the buffers do not fit TSRAM.
std::string gemm_program(const GemmProgramConfig &config, const MachineSpec &spec);

/// The same product with operands shared inside each cluster: grid (4, N / (2 BN),
/// M / (2 BM)); program (lane, x, y) owns block (2y + lane / 2, 2x + lane % 2). Each
/// k step, lane 0 and 1 fetch the group's two A slices and lanes 2 and 3 its two B
/// slices from HBM into CSRAM (double-buffered), the cluster barrier publishes them,
/// and every lane copies the A and B slice it needs into TSRAM for its mma. Throws
/// Error(InvalidArgument) unless BM == BN, M and N are multiples of twice the block,
/// and K / BK is even.
std::string gemm_shared_program(const GemmProgramConfig &config, const MachineSpec &spec);

/// The program's own roofline bound on the modeled machine: with B blocks spread over
/// T tiles (W = ceil(B / T) waves of at most T busy tiles), the tensor units need
/// W x (block FLOPs / per-tile FLOP per cycle) cycles and HBM needs bytes /
/// min(HBM bytes per cycle, busy tiles x DMA engine peak); the bound is the larger.
/// With cluster sharing every A and B slice is read once per pair of blocks.
struct GemmRoofline {
  double flops = 0, bytes = 0;
  double compute_cycles = 0, memory_cycles = 0, bound_cycles = 0;
  int64_t blocks = 0, busy_tiles = 0;
};
GemmRoofline gemm_roofline(const GemmProgramConfig &config, const MachineSpec &spec);

} // namespace tegula::maia

#endif
