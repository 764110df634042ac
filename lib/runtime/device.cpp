#include "tegula/runtime/device.h"

#include "tegula/runtime/driver.h"
#include "tegula/runtime/error.h"

namespace tegula {

Device Device::open(const std::string &spec) {
  const size_t colon = spec.find(':');
  const Driver &driver = find_driver(spec.substr(0, colon));
  return Device(&driver, driver.open(colon == std::string::npos ? "" : spec.substr(colon + 1)));
}

Device Device::from(const Driver &driver, std::shared_ptr<DeviceState> state) { return Device(&driver, std::move(state)); }

std::string Kernel::driver() const { return executable_ ? executable_->driver() : ""; }

std::string Device::driver() const { return driver_->name(); }
std::string Device::name() const { return state_->name(); }
int Device::threads() const { return state_->threads(); }

Buffer Device::allocate(DType dtype, size_t count, BufferMode mode) const {
  return driver_->allocate(*state_, dtype, count, mode);
}

Buffer Device::wrap(DType dtype, size_t count, uint64_t address) const {
  return driver_->wrap(*state_, dtype, count, address);
}

void Device::launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const {
  launch(kernel, grid, args, LaunchOptions{});
}

void Device::launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
                    const LaunchOptions &given) const {
  if (!kernel.valid())
    throw Error(ErrorCode::InvalidArgument, "launch of an empty kernel handle on " + name());
  if (kernel.driver() != driver_->name())
    throw Error(ErrorCode::InvalidArgument, "kernel '" + kernel.info().name + "' runs on the " + kernel.driver() +
                                                " driver, not on the device " + name());
  validate_launch(kernel.info(), grid, args);
  detail::record_simulated_launch({});
  LaunchOptions options = given;
  if (options.threads == 0)
    options.threads = state_->threads();
  driver_->launch(kernel, grid, args, options, state_.get());
}

} // namespace tegula
