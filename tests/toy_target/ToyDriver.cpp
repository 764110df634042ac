// The toy runtime driver: launches a toy kernel's host code through the host's driver
// and counts the launches, so a test can see that they went through it. LLVM-free: it
// is part of libtegula_runtime.
#include "ToyExecutable.h"

#include "tegula/runtime/error.h"

#include <atomic>

namespace tegula::toy {

namespace {

std::atomic<int64_t> gLaunches{0};

struct ToyDevice final : DeviceState {
  std::string name() const override { return "toy (host memory)"; }
};

class ToyDriver final : public Driver {
public:
  std::string name() const override { return ToyExecutable::kDriver; }
  std::shared_ptr<DeviceState> open(const std::string &options) const override {
    if (!options.empty())
      throw Error(ErrorCode::InvalidArgument, "the toy driver takes no options, got '" + options + "'");
    return std::make_shared<ToyDevice>();
  }
  Buffer allocate(DeviceState &, DType dtype, size_t count, BufferMode mode) const override {
    return Buffer(dtype, count, mode);
  }
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &options,
              DeviceState *) const override {
    const ToyExecutable *toy = kernel.executable_as<ToyExecutable>();
    gLaunches.fetch_add(1);
    find_driver(toy->host.driver()).launch(toy->host, grid, args, options, nullptr);
  }
};

} // namespace

int64_t launch_count() { return gLaunches.load(); }

void registerToyDriver() { register_driver(std::make_unique<ToyDriver>()); }

} // namespace tegula::toy
