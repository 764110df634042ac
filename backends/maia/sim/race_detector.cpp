#include "race_detector.h"

namespace tegula::maia::sim {

std::optional<Conflict> RaceDetector::access(uint64_t begin, uint64_t end, bool write, int agent,
                                             const VectorClock &clock) {
  if (end <= begin)
    return std::nullopt;
  uint64_t first = begin / kGranule, last = (end - 1) / kGranule;
  for (uint64_t g = first; g <= last && g < cells_.size(); ++g) {
    Cell &cell = cells_[g];
    uint32_t *reads = &reads_[g * agents_];
    // A write must be ordered after the previous write; a read too.
    if (cell.write_clock != 0 && cell.write_agent != agent && clock[cell.write_agent] < cell.write_clock)
      return Conflict{cell.write_agent, cell.write_clock, true, g};
    if (write) {
      for (int r = 0; r < agents_; ++r)
        if (first_ + r != agent && reads[r] != 0 && clock[first_ + r] < reads[r])
          return Conflict{first_ + r, reads[r], false, g};
      cell.write_clock = clock[agent];
      cell.write_agent = static_cast<uint8_t>(agent);
      for (int r = 0; r < agents_; ++r)
        reads[r] = 0;
    } else {
      reads[agent - first_] = clock[agent];
    }
  }
  return std::nullopt;
}

void RaceDetector::reset() {
  for (Cell &cell : cells_)
    cell = Cell();
  for (uint32_t &r : reads_)
    r = 0;
}

} // namespace tegula::maia::sim
