#include "bounds_check.h"

#include <cstdio>
#include <sstream>

namespace tegula::detail {

static thread_local BoundsContext *gContext = nullptr;

void set_thread_bounds_context(BoundsContext *context) { gContext = context; }

bool BoundsContext::check(uintptr_t address, uint64_t bytes, int32_t site) {
  for (const BufferRange &range : buffers)
    if (address >= range.begin && address + bytes <= range.end)
      return true;
  if (failed.exchange(true))
    return false; // only the first violation is described
  std::ostringstream os;
  std::string where = info && site >= 0 && static_cast<size_t>(site) < info->sites.size()
                          ? info->sites[site]
                          : "access site " + std::to_string(site);
  os << "kernel '" << (info ? info->name : "?") << "': " << where << " touched " << bytes
     << " bytes at 0x" << std::hex << address << std::dec;
  // Name the nearest buffer so the report says "N bytes past the end of 'c'".
  const BufferRange *nearest = nullptr;
  uintptr_t best = UINTPTR_MAX;
  for (const BufferRange &range : buffers) {
    uintptr_t distance = address >= range.end ? address - range.end
                         : address < range.begin ? range.begin - address
                                                 : 0;
    if (distance < best) {
      best = distance;
      nearest = &range;
    }
  }
  if (nearest) {
    if (address >= nearest->end)
      os << ", " << address - nearest->end << " bytes past the end of buffer '" << nearest->name << "'";
    else if (address < nearest->begin)
      os << ", " << nearest->begin - address << " bytes before buffer '" << nearest->name << "'";
    else
      os << ", straddling the end of buffer '" << nearest->name << "'";
    os << " (" << nearest->end - nearest->begin << " bytes)";
  }
  std::lock_guard<std::mutex> lock(mutex);
  report = os.str();
  return false;
}

} // namespace tegula::detail

/// Called by bounds-checked kernels before every access; false means "skip it".
extern "C" __attribute__((visibility("default"))) bool
tegula_cpu_check_access(int64_t address, int64_t bytes, int32_t site) {
  tegula::detail::BoundsContext *context = tegula::detail::gContext;
  if (!context)
    return true;
  return context->check(static_cast<uintptr_t>(address), static_cast<uint64_t>(bytes), site);
}
