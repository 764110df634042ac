// Launching a kernel over a grid of program instances, with every argument checked
// against the kernel's signature first.
#ifndef TEGULA_RUNTIME_LAUNCH_H
#define TEGULA_RUNTIME_LAUNCH_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"

#include <concepts>
#include <cstdint>
#include <string>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

namespace tegula {

struct Grid {
  int64_t x = 1, y = 1, z = 1;
  Grid() = default;
  Grid(int64_t x, int64_t y = 1, int64_t z = 1) : x(x), y(y), z(z) {}
};

/// One launch argument: a buffer or a scalar. Scalars convert to the kernel's declared
/// type only when the value fits (an int64 M into an i32 argument is checked).
class Arg {
public:
  Arg(Buffer &buffer) : value_(&buffer) {}
  Arg(const Buffer &buffer) : value_(const_cast<Buffer *>(&buffer)) {}
  Arg(Buffer *buffer) : value_(buffer) {}
  /// Any C++ integer; values beyond int64 are rejected here, narrower kernel types are
  /// range-checked at launch.
  template <std::integral I>
    requires(!std::is_same_v<I, bool>)
  Arg(I v) : value_(static_cast<int64_t>(v)) {
    if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(int64_t))
      if (v > static_cast<I>(INT64_MAX))
        throw Error(ErrorCode::InvalidArgument, "integer argument " + std::to_string(v) + " exceeds int64");
  }
  Arg(float v) : value_(static_cast<double>(v)) {}
  Arg(double v) : value_(v) {}

  bool is_buffer() const { return std::holds_alternative<Buffer *>(value_); }
  Buffer *buffer() const { return std::get<Buffer *>(value_); }
  bool is_integer() const { return std::holds_alternative<int64_t>(value_); }
  int64_t integer() const { return std::get<int64_t>(value_); }
  double real() const { return std::get<double>(value_); }

private:
  std::variant<Buffer *, int64_t, double> value_;
};

struct LaunchOptions {
  /// Worker threads for program instances; 0 means one per hardware thread, and no more
  /// than the hardware's threads run at once.
  int threads = 0;
  /// A stream of the kernel's driver (a CUstream for cuda) to queue the launch on; the
  /// launch then returns without waiting for the kernel. Null: the launch returns when
  /// the kernel has run. Drivers without streams ignore it.
  void *stream = nullptr;
};

/// What the last launch on this thread measured on a simulated machine (cycles at its
/// clock, memory traffic); zeros after a launch whose driver does not simulate.
struct SimulatedLaunch {
  double cycles = 0;
  double seconds = 0;
  uint64_t hbm_bytes = 0;         ///< read and written
  uint64_t hbm_bytes_written = 0;
};
SimulatedLaunch last_simulated_launch();

/// Largest grid dimension accepted (as CUDA's 2^31-1 for x).
inline constexpr int64_t kMaxGridDim = (int64_t{1} << 31) - 1;

/// Checks `args` against the kernel's signature and `grid`; throws Error naming the
/// first argument (by position and name) that is wrong.
void validate_launch(const KernelInfo &info, const Grid &grid, std::span<const Arg> args);

/// Runs every program instance of `grid`. Throws Error on a bad launch;
/// Error(OutOfBounds) naming the source line when a bounds-checked kernel stepped
/// outside its buffers (the offending access is skipped, not performed); and
/// Error(AssertionFailed) when a device_assert failed (the first failure is reported).
void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
            const LaunchOptions &options = {});

template <typename... A>
  requires(std::is_constructible_v<Arg, A &&> && ...)
void launch(const Kernel &kernel, const Grid &grid, A &&...args) {
  std::vector<Arg> list{Arg(std::forward<A>(args))...};
  launch(kernel, grid, std::span<const Arg>(list));
}

} // namespace tegula

#endif
