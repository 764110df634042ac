// A device: where buffers live and kernels run. Two kinds: the host CPU, whose program
// instances run on a fixed number of worker threads, and maia-sim, a simulated
// Maia-style machine whose buffers stay in its simulated HBM between launches.
#ifndef TEGULA_RUNTIME_DEVICE_H
#define TEGULA_RUNTIME_DEVICE_H

#include "tegula/maia/machine.h"
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/launch.h"

#include <memory>
#include <string>

namespace tegula {

namespace detail {
struct MaiaDeviceState;
}

enum class DeviceKind { Cpu, MaiaSim };

class Device {
public:
  /// The host CPU; `threads` == 0 (or more than the hardware has) means one worker per
  /// hardware thread.
  static Device cpu(int threads = 0);
  /// A simulated Maia-style machine described by `spec`. Copies of the Device share
  /// one machine; it lives as long as a copy or one of its buffers does.
  static Device maia_sim(const maia::MachineSpec &spec = maia::MachineSpec::defaults());

  DeviceKind kind() const { return kind_; }
  std::string name() const;
  int threads() const { return threads_; }

  /// `count` elements of `dtype`. On maia-sim they are zero-initialized HBM, and
  /// kernels launched on this device read and write them in place; guard pages are a
  /// CPU mode (the simulator checks every DMA against its allocation instead).
  Buffer allocate(DType dtype, size_t count, BufferMode mode = BufferMode::Plain) const;

  /// Launches `kernel`, which must have been compiled for this device's kind. On
  /// maia-sim, buffers of this device are used where they are; host buffers are copied
  /// in and back; buffers of another maia-sim device are refused.
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const;
  template <typename... A>
    requires(std::is_constructible_v<Arg, A &&> && ...)
  void launch(const Kernel &kernel, const Grid &grid, A &&...args) const {
    std::vector<Arg> list{Arg(std::forward<A>(args))...};
    launch(kernel, grid, std::span<const Arg>(list));
  }

private:
  Device(DeviceKind kind, int threads) : kind_(kind), threads_(threads) {}
  DeviceKind kind_;
  int threads_;
  std::shared_ptr<detail::MaiaDeviceState> maia_;
};

} // namespace tegula

#endif
