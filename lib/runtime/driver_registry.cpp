// The registry of runtime drivers.
#include "tegula/runtime/driver.h"

#include "tegula/runtime/error.h"

#include <mutex>

namespace tegula {

namespace {

std::mutex gDriversMutex;
std::vector<std::unique_ptr<Driver>> &drivers() {
  static auto *list = new std::vector<std::unique_ptr<Driver>>();
  return *list;
}

} // namespace

std::string Driver::serialize(const Executable &) const {
  throw Error(ErrorCode::Unsupported, "the " + name() + " driver's kernels cannot be stored in a bundle");
}

std::shared_ptr<const Executable> Driver::deserialize(const std::string &) const {
  throw Error(ErrorCode::Unsupported, "the " + name() + " driver's kernels cannot be loaded from a bundle");
}

bool Driver::runs(const Executable &, const DeviceState &, std::string *) const { return true; }

Buffer Driver::wrap(DeviceState &, DType, size_t, uint64_t) const {
  throw Error(ErrorCode::Unsupported, "the " + name() + " driver's devices have no memory to wrap by address");
}

void register_driver(std::unique_ptr<Driver> driver) {
  std::lock_guard<std::mutex> lock(gDriversMutex);
  for (const auto &d : drivers())
    if (d->name() == driver->name())
      throw Error(ErrorCode::InvalidArgument, "driver '" + driver->name() + "' is registered twice");
  drivers().push_back(std::move(driver));
}

std::vector<std::string> driver_names() {
  registerAllDrivers();
  std::lock_guard<std::mutex> lock(gDriversMutex);
  std::vector<std::string> names;
  for (const auto &d : drivers())
    names.push_back(d->name());
  return names;
}

const Driver &find_driver(const std::string &name) {
  registerAllDrivers();
  std::lock_guard<std::mutex> lock(gDriversMutex);
  std::string known;
  for (const auto &d : drivers()) {
    if (d->name() == name)
      return *d;
    known += (known.empty() ? "" : ", ") + d->name();
  }
  throw Error(ErrorCode::Unsupported, "no runtime driver '" + name + "' in this build (drivers: " + known + ")");
}

} // namespace tegula
