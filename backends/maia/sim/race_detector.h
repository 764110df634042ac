// Happens-before race detection on one tile's TSRAM. The tile's agents are its control
// processor and its three units; each carries a vector clock that semaphores and
// in-order queues propagate. Two accesses to the same granule, at least one a write,
// race unless one happens before the other, whatever order the timing produced.
#ifndef TEGULA_BACKENDS_MAIA_SIM_RACE_DETECTOR_H
#define TEGULA_BACKENDS_MAIA_SIM_RACE_DETECTOR_H

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace tegula::maia::sim {

inline constexpr int kAgents = 4; ///< TCP, DMA, TTU, TVP (the Unit enum's order)
using VectorClock = std::array<uint32_t, kAgents>;

inline void join(VectorClock &into, const VectorClock &other) {
  for (int i = 0; i < kAgents; ++i)
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

  explicit RaceDetector(uint64_t bytes) : cells_((bytes + kGranule - 1) / kGranule) {}

  /// Records an access of [begin, end) by `agent` whose clock is `clock`; returns the
  /// first conflict with an access not ordered before it.
  std::optional<Conflict> access(uint64_t begin, uint64_t end, bool write, int agent, const VectorClock &clock);
  void reset();

private:
  struct Cell {
    uint32_t write_clock = 0; ///< 0: never written
    uint8_t write_agent = 0;
    std::array<uint32_t, kAgents> read_clock{}; ///< 0: never read by that agent
  };
  std::vector<Cell> cells_;
};

} // namespace tegula::maia::sim

#endif
