// Happens-before race detection on a tile's TSRAM or a cluster's CSRAM. Each tile has
// four agents (its control processor and its three units); an agent is numbered
// lane * 4 + unit, lane being the tile's place in its cluster, so that one vector clock
// covers a cluster. Semaphores and in-order queues propagate clocks inside a tile; the
// cluster barrier joins the clocks of its tiles. Two accesses to the same granule, at
// least one a write, race unless one happens before the other, whatever order the
// timing produced.
#ifndef TEGULA_BACKENDS_MAIA_SIM_RACE_DETECTOR_H
#define TEGULA_BACKENDS_MAIA_SIM_RACE_DETECTOR_H

#include "tegula/maia/machine.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace tegula::maia::sim {

inline constexpr int kTileAgents = 4; ///< TCP, DMA, TTU, TVP (the Unit enum's order)
inline constexpr int kClockSize = kTileAgents * kMaxTilesPerCluster;
using VectorClock = std::array<uint32_t, kClockSize>;

inline void join(VectorClock &into, const VectorClock &other) {
  for (int i = 0; i < kClockSize; ++i)
    into[i] = into[i] > other[i] ? into[i] : other[i];
}

/// What a racing access conflicted with.
struct Conflict {
  int agent;             ///< the earlier access's agent
  uint32_t clock;        ///< its clock value (identifies the command)
  bool earlier_was_write;
  uint64_t granule;
};

class RaceDetector {
public:
  static constexpr uint64_t kGranule = 256; ///< bytes; buffers are 256-byte aligned

  /// Memory of `bytes` accessed by the agents [first_agent, first_agent + agents).
  RaceDetector(uint64_t bytes, int first_agent, int agents)
      : first_(first_agent), agents_(agents), cells_((bytes + kGranule - 1) / kGranule),
        reads_(cells_.size() * static_cast<size_t>(agents), 0) {}

  /// Records an access of [begin, end) by `agent` whose clock is `clock`; returns the
  /// first conflict with an access not ordered before it.
  std::optional<Conflict> access(uint64_t begin, uint64_t end, bool write, int agent, const VectorClock &clock);
  void reset();

private:
  struct Cell {
    uint32_t write_clock = 0; ///< 0: never written
    uint8_t write_agent = 0;
  };
  int first_, agents_;
  std::vector<Cell> cells_;
  std::vector<uint32_t> reads_; ///< per cell, per agent: clock of its last read (0: none)
};

} // namespace tegula::maia::sim

#endif
