// Chrome/Perfetto trace of the last run: one process per tile, one thread per unit
// (the control-processor thread shows each program instance's span).
#include "tegula/maia/simulator.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace tegula::maia {

std::string Simulator::chrome_trace_json() const {
  std::ostringstream os;
  const double usPerCycle = 1.0 / (spec_.clock_ghz * 1000.0);
  static const char *threadNames[] = {"tcp", "dma", "ttu", "tvp"};
  os << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[";
  bool first = true;
  auto comma = [&] {
    if (!first)
      os << ",";
    first = false;
  };
  int maxTile = -1;
  for (const TraceEvent &e : trace_)
    maxTile = std::max(maxTile, e.tile);
  for (int tile = 0; tile <= maxTile; ++tile) {
    comma();
    os << "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" << tile << ",\"args\":{\"name\":\"tile " << tile
       << "\"}}";
    for (int unit = 0; unit < 4; ++unit) {
      comma();
      os << "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" << tile << ",\"tid\":" << unit
         << ",\"args\":{\"name\":\"" << threadNames[unit] << "\"}}";
    }
  }
  char number[64];
  for (const TraceEvent &e : trace_) {
    comma();
    os << "{\"name\":\"" << e.name << "\",\"ph\":\"X\",\"pid\":" << e.tile << ",\"tid\":" << static_cast<int>(e.unit);
    std::snprintf(number, sizeof number, "%.6f", e.start * usPerCycle);
    os << ",\"ts\":" << number;
    std::snprintf(number, sizeof number, "%.6f", (e.end - e.start) * usPerCycle);
    os << ",\"dur\":" << number << "}";
  }
  os << "]}";
  return os.str();
}

} // namespace tegula::maia
