#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include "maia_launch.h"

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
  return Device(DeviceKind::Cpu, threads);
}

Device Device::maia_sim(const maia::MachineSpec &spec) {
  Device device(DeviceKind::MaiaSim, 1);
  device.maia_ = std::make_shared<detail::MaiaDeviceState>(spec);
  return device;
}

std::string Device::name() const {
  if (kind_ == DeviceKind::MaiaSim)
    return "maia-sim (" + maia_->sim.spec().name + ", " + std::to_string(maia_->sim.spec().tiles()) + " tiles)";
  return "cpu (" + std::to_string(threads_) + " threads)";
}

Buffer Device::allocate(DType dtype, size_t count, BufferMode mode) const {
  if (kind_ == DeviceKind::Cpu)
    return Buffer(dtype, count, mode);
  if (mode != BufferMode::Plain)
    throw Error(ErrorCode::InvalidArgument, "maia-sim buffers have no guard-page mode: the simulator checks every "
                                            "DMA against its allocation");
  size_t bytes = count * dtype_size(dtype);
  std::shared_ptr<detail::MaiaDeviceState> state = maia_;
  uint64_t address;
  uint8_t *host;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    // A zero-element buffer still gets an address of its own.
    address = state->sim.hbm().allocate(std::max<size_t>(bytes, 1), "buffer");
    host = state->sim.hbm().host(address, std::max<size_t>(bytes, 1));
  }
  Buffer buffer;
  buffer.dtype_ = dtype;
  buffer.count_ = count;
  buffer.data_ = host;
  buffer.device_ = state.get();
  buffer.device_address_ = address;
  buffer.device_allocation_ = std::shared_ptr<void>(nullptr, [state, address](void *) {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->sim.hbm().free(address);
  });
  return buffer;
}

void Device::launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) const {
  if (!kernel.valid())
    throw Error(ErrorCode::InvalidArgument, "launch of an empty kernel handle on " + name());
  bool forMaia = kernel.maia_program() != nullptr;
  if (forMaia != (kind_ == DeviceKind::MaiaSim))
    throw Error(ErrorCode::InvalidArgument, "kernel '" + kernel.info().name + "' was compiled for " +
                                                (forMaia ? "maia" : "cpu") + ", not for the device " + name());
  if (kind_ == DeviceKind::MaiaSim) {
    validate_launch(kernel.info(), grid, args);
    return detail::launch_on_maia_simulator(kernel, grid, args, maia_.get());
  }
  LaunchOptions options;
  options.threads = threads_;
  tegula::launch(kernel, grid, args, options);
}

} // namespace tegula
