// What a running CPU kernel reports into: the launch's buffers (for bounds checks), the
// program instance a worker is running (for prints), and the first failure (an
// out-of-bounds access or a failed assertion), which the launch turns into an Error.
#ifndef TEGULA_LIB_RUNTIME_LAUNCH_CONTEXT_H
#define TEGULA_LIB_RUNTIME_LAUNCH_CONTEXT_H

#include "tegula/runtime/error.h"
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

struct LaunchContext {
  const KernelInfo *info = nullptr;
  std::vector<BufferRange> buffers;
  std::atomic<bool> failed{false};
  std::mutex mutex;
  ErrorCode failure = ErrorCode::OutOfBounds;
  std::string report; ///< the first failure, in words

  bool check_access(uintptr_t address, uint64_t bytes, int32_t site);
  void assertion_failed(int32_t site, int64_t index, const int32_t *program);
  std::string site_text(int32_t site) const;
};

/// Binds `context` and the current program instance (x, y, z) to the calling worker.
void set_thread_launch(LaunchContext *context, const int32_t *program);

} // namespace tegula::detail

#endif
