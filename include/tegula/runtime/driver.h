// What a runtime driver implements: the executable form of a compiled kernel, the
// devices it opens, and how it allocates and launches on them. The runtime core
// (launch validation, buffers, Device) never names a driver; it asks the registry for
// the one an executable or a device string names. LLVM-free.
#ifndef TEGULA_RUNTIME_DRIVER_H
#define TEGULA_RUNTIME_DRIVER_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tegula {

/// A compiled kernel in the form its driver runs: a host entry point, a program image.
class Executable {
public:
  virtual ~Executable() = default;
  /// The name of the driver that runs it.
  virtual std::string driver() const = 0;
};

/// One device a driver opened: the host's worker threads, a simulated machine.
class DeviceState {
public:
  virtual ~DeviceState() = default;
  virtual std::string name() const = 0;
  /// Host threads its launches use (1 where the device runs its instances itself).
  virtual int threads() const { return 1; }
};

/// Loads, allocates and launches for one kind of device.
class Driver {
public:
  virtual ~Driver() = default;
  virtual std::string name() const = 0;
  /// Opens a device from the options after "name:"; Error(InvalidArgument) names a bad one.
  virtual std::shared_ptr<DeviceState> open(const std::string &options) const = 0;
  /// `count` elements of `dtype` on `device`.
  virtual Buffer allocate(DeviceState &device, DType dtype, size_t count, BufferMode mode) const = 0;
  /// Device memory the caller owns, at `address`, as a buffer (Device::wrap); the
  /// default refuses (Error(Unsupported)).
  virtual Buffer wrap(DeviceState &device, DType dtype, size_t count, uint64_t address) const;
  /// Runs `kernel`, an executable of this driver whose arguments were validated, on
  /// `device`; null when launched without one (the driver picks the device from the
  /// buffers, or a default one).
  virtual void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
                      const LaunchOptions &options, DeviceState *device) const = 0;

  // AOT bundles (bundle.h). A driver whose executables are bytes (a GPU's binary)
  // writes them down and reads them back; the others refuse (Error(Unsupported)).
  /// `executable`, one of this driver's, as bytes.
  virtual std::string serialize(const Executable &executable) const;
  /// The executable `bytes` hold; Error(LoadError) naming what is malformed.
  virtual std::shared_ptr<const Executable> deserialize(const std::string &bytes) const;
  /// Whether `device` runs `executable` (it was made for that device's architecture);
  /// where not, `why` says so.
  virtual bool runs(const Executable &executable, const DeviceState &device, std::string *why) const;
};

/// Adds a driver (a second one of the same name is an error).
void register_driver(std::unique_ptr<Driver> driver);
/// Every driver of this build, registered once; generated from the build's list.
void registerAllDrivers();
/// Error(Unsupported) naming the drivers of this build when there is no `name`.
const Driver &find_driver(const std::string &name);
std::vector<std::string> driver_names();

namespace detail {
/// Drivers of simulated machines report each launch's simulated time here.
void record_simulated_launch(const SimulatedLaunch &launch);
} // namespace detail

} // namespace tegula

#endif
