// The Maia-style machine Tegula models: one description read by the compiler (block
// sizes, SRAM budgets) and the simulator (timing). Defaults follow Maia 100's public
// figures (Hot Chips 2024); see docs/maia.md.
#ifndef TEGULA_MAIA_MACHINE_H
#define TEGULA_MAIA_MACHINE_H

#include <cstdint>
#include <string>

namespace tegula::maia {

/// The most tiles a cluster may have (the simulator's race clocks have a lane each).
inline constexpr int kMaxTilesPerCluster = 8;

struct MachineSpec {
  std::string name = "maia100-like";
  // Chip.
  int clusters = 16;
  int tiles_per_cluster = 4;
  double clock_ghz = 1.5;
  uint64_t hbm_bytes = uint64_t{64} << 30;
  double hbm_gbytes_per_s = 1800.0;
  uint64_t csram_bytes = uint64_t{16} << 20; ///< per cluster
  double csram_bytes_per_cycle = 1024.0;     ///< per cluster, shared by its tiles' DMAs
  int csram_latency_cycles = 64;             ///< first byte of a CSRAM transfer
  // Tile.
  uint64_t tsram_bytes = uint64_t{4} << 20;
  int ttu_m = 16, ttu_n = 16, ttu_k = 16;   ///< one m x n x k bf16 MAC block per cycle
  int ttu_latency_cycles = 32;
  int tvp_lanes = 64;                        ///< f32 elements per cycle
  int tvp_latency_cycles = 8;
  int tvp_exp_cycles = 4;                    ///< cycles per lane group for exp
  int dma_latency_cycles = 400;              ///< first byte of an HBM transfer
  double dma_bytes_per_cycle = 256.0;        ///< one tile engine's peak
  int queue_depth = 8;                       ///< commands per unit queue
  int semaphores = 32;

  int tiles() const { return clusters * tiles_per_cluster; }
  /// HBM bytes per cycle shared by all tiles.
  double hbm_bytes_per_cycle() const { return hbm_gbytes_per_s / clock_ghz; }
  /// Peak bf16 FLOP/s of the chip (2 per MAC).
  double peak_bf16_flops() const {
    return 2.0 * ttu_m * ttu_n * ttu_k * clock_ghz * 1e9 * tiles();
  }

  /// The frozen default machine.
  static MachineSpec defaults() { return MachineSpec(); }
  /// Parses the description format (docs/maia.md); throws Error(InvalidArgument)
  /// naming the line and key that are wrong. Keys not given keep their defaults.
  static MachineSpec parse(const std::string &text);
  static MachineSpec load(const std::string &path);
  std::string serialize() const;
};

} // namespace tegula::maia

#endif
