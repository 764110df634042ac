#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <thread>

namespace tegula {

Device Device::cpu(int threads) {
  if (threads < 0)
    throw Error(ErrorCode::InvalidArgument, "a CPU device needs a non-negative thread count, got " +
                                                std::to_string(threads));
  // The worker pool has one thread per hardware thread; more would only be reported.
  int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (threads == 0 || threads > hardware)
    threads = hardware;
  return Device(threads);
}

std::string Device::name() const { return "cpu (" + std::to_string(threads_) + " threads)"; }

void Device::launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const {
  LaunchOptions options;
  options.threads = threads_;
  tegula::launch(kernel, grid, args, options);
}

} // namespace tegula
