// The state a bounds-checked CPU kernel reports into, private to the runtime.
#ifndef TEGULA_LIB_RUNTIME_BOUNDS_CHECK_H
#define TEGULA_LIB_RUNTIME_BOUNDS_CHECK_H

#include "tegula/runtime/kernel.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace tegula::detail {

struct BufferRange {
  uintptr_t begin = 0, end = 0;
  std::string name;
};

struct BoundsContext {
  const KernelInfo *info = nullptr;
  std::vector<BufferRange> buffers;
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::string report; ///< the first violation, in words

  bool check(uintptr_t address, uint64_t bytes, int32_t site);
};

/// Binds `context` to the calling thread for the duration of a launch.
void set_thread_bounds_context(BoundsContext *context);

} // namespace tegula::detail

#endif
