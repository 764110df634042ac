// A device: where buffers live and kernels run, opened through a driver by name: "cpu"
// (the host, whose program instances run on a number of worker threads: "cpu:threads=4")
// or a driver of another target ("maia-sim", a simulated machine whose buffers stay in
// its memory between launches).
#ifndef TEGULA_RUNTIME_DEVICE_H
#define TEGULA_RUNTIME_DEVICE_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/launch.h"

#include <memory>
#include <string>
#include <vector>

namespace tegula {

class Driver;
class DeviceState;

class Device {
public:
  /// "driver[:options]"; Error(Unsupported) names the drivers of this build.
  static Device open(const std::string &spec);
  /// The host CPU; `threads` == 0 (or more than the hardware has) means one worker per
  /// hardware thread.
  static Device cpu(int threads = 0);
  /// A device a driver opened itself (drivers' own helpers use it).
  static Device from(const Driver &driver, std::shared_ptr<DeviceState> state);

  /// The driver's name: "cpu", "maia-sim".
  std::string driver() const;
  std::string name() const;
  int threads() const;

  /// `count` elements of `dtype` on the device. On a simulated machine they live in its
  /// memory (zero-initialized), and kernels launched on this device use them in place.
  Buffer allocate(DType dtype, size_t count, BufferMode mode = BufferMode::Plain) const;

  /// Memory at `address` on this device that the caller allocated and frees (a
  /// CUdeviceptr for cuda), as a buffer that never frees it; Error(Unsupported) from a
  /// driver whose devices have no such memory.
  Buffer wrap(DType dtype, size_t count, uint64_t address) const;

  /// Launches `kernel`, which must have been compiled for this device's driver.
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const;
  /// The same with options for the driver: a stream to queue on (LaunchOptions::stream).
  /// `options.threads` 0 takes the device's own.
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &options) const;
  template <typename... A>
    requires(std::is_constructible_v<Arg, A &&> && ...)
  void launch(const Kernel &kernel, const Grid &grid, A &&...args) const {
    std::vector<Arg> list{Arg(std::forward<A>(args))...};
    launch(kernel, grid, std::span<const Arg>(list));
  }

  const DeviceState &state() const { return *state_; }

private:
  Device(const Driver *driver, std::shared_ptr<DeviceState> state) : driver_(driver), state_(std::move(state)) {}
  const Driver *driver_;
  std::shared_ptr<DeviceState> state_;
};

} // namespace tegula

#endif
