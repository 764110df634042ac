// A device: where buffers live and kernels run. This build has one kind, the host CPU,
// whose program instances run on a fixed number of worker threads.
#ifndef TEGULA_RUNTIME_DEVICE_H
#define TEGULA_RUNTIME_DEVICE_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/launch.h"

#include <string>

namespace tegula {

class Device {
public:
  /// The host CPU; `threads` == 0 (or more than the hardware has) means one worker per
  /// hardware thread.
  static Device cpu(int threads = 0);

  std::string name() const;
  int threads() const { return threads_; }

  Buffer allocate(DType dtype, size_t count, BufferMode mode = BufferMode::Plain) const {
    return Buffer(dtype, count, mode);
  }

  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const;
  template <typename... A>
    requires(std::is_constructible_v<Arg, A &&> && ...)
  void launch(const Kernel &kernel, const Grid &grid, A &&...args) const {
    std::vector<Arg> list{Arg(std::forward<A>(args))...};
    launch(kernel, grid, std::span<const Arg>(list));
  }

private:
  explicit Device(int threads) : threads_(threads) {}
  int threads_;
};

} // namespace tegula

#endif
