#include "race_detector.h"

namespace tegula::maia::sim {

std::optional<Conflict> RaceDetector::access(uint64_t begin, uint64_t end, bool write, int agent,
                                             const VectorClock &clock) {
  if (end <= begin)
    return std::nullopt;
  uint64_t first = begin / kGranule, last = (end - 1) / kGranule;
  for (uint64_t g = first; g <= last && g < cells_.size(); ++g) {
    Cell &cell = cells_[g];
    // A write must be ordered after the previous write; a read too.
    if (cell.write_clock != 0 && cell.write_agent != agent && clock[cell.write_agent] < cell.write_clock)
      return Conflict{cell.write_agent, cell.write_clock, true, g};
    if (write) {
      for (int r = 0; r < kAgents; ++r)
        if (r != agent && cell.read_clock[r] != 0 && clock[r] < cell.read_clock[r])
          return Conflict{r, cell.read_clock[r], false, g};
      cell.write_clock = clock[agent];
      cell.write_agent = static_cast<uint8_t>(agent);
      cell.read_clock.fill(0);
    } else {
      cell.read_clock[agent] = clock[agent];
    }
  }
  return std::nullopt;
}

void RaceDetector::reset() {
  for (Cell &cell : cells_)
    cell = Cell();
}

} // namespace tegula::maia::sim
