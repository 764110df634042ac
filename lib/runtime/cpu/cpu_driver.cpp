// The host's driver: kernels are entry points (JIT-compiled or loaded from a shared
// object) whose program instances run on the calling thread and a worker pool.
#include "cpu_driver.h"

#include "launch_context.h"
#include "thread_pool.h"

#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <limits>
#include <thread>

namespace tegula {

Kernel host_kernel(KernelInfo info, CpuEntry entry, std::shared_ptr<void> owner) {
  return Kernel(std::move(info), std::make_shared<const detail::CpuExecutable>(entry, std::move(owner)));
}

CpuEntry host_entry(const Kernel &kernel) {
  const auto *e = kernel.executable_as<detail::CpuExecutable>();
  return e ? e->entry : nullptr;
}

Device Device::cpu(int threads) {
  if (threads < 0)
    throw Error(ErrorCode::InvalidArgument, "a CPU device needs a non-negative thread count, got " +
                                                std::to_string(threads));
  return open(std::string(detail::CpuExecutable::kDriver) + ":threads=" + std::to_string(threads));
}

namespace detail {

namespace {

std::string describe(const KernelInfo &info, size_t i) {
  return "argument " + std::to_string(i) + " ('" + info.args[i].name + "') of kernel '" + info.name + "'";
}

/// The bytes a scalar argument is passed as.
struct ScalarSlot {
  alignas(8) unsigned char bytes[8] = {};
};

ScalarSlot encode_scalar(const KernelInfo &info, size_t i, const Arg &arg) {
  ScalarSlot slot;
  DType dtype = info.args[i].dtype;
  auto put = [&](auto value) { std::memcpy(slot.bytes, &value, sizeof(value)); };
  if (dtype_is_float(dtype)) {
    double v = arg.is_integer() ? static_cast<double>(arg.integer()) : arg.real();
    if (dtype == DType::F32)
      put(static_cast<float>(v));
    else if (dtype == DType::F64)
      put(v);
    else
      throw Error(ErrorCode::DTypeMismatch, describe(info, i) + ": scalar " +
                                                std::string(dtype_name(dtype)) +
                                                " arguments are not supported");
    return slot;
  }
  int64_t v = arg.integer();
  switch (dtype) {
  case DType::I32:
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
      throw Error(ErrorCode::InvalidArgument,
                  describe(info, i) + ": value " + std::to_string(v) + " does not fit in i32");
    put(static_cast<int32_t>(v));
    break;
  case DType::I64:
    put(v);
    break;
  case DType::I8:
    put(static_cast<int8_t>(v));
    break;
  case DType::I1:
    put(static_cast<uint8_t>(v != 0));
    break;
  default:
    break;
  }
  return slot;
}

/// Runs every program instance of the grid on the calling thread and the worker pool.
void run_on_host(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, int requested_threads) {
  const KernelInfo &info = kernel.info();

  std::vector<ScalarSlot> scalars(args.size());
  std::vector<void *> dataPointers(args.size());
  std::vector<void *> slots(args.size());
  detail::LaunchContext context;
  context.info = &info;
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind == ArgSpec::Kind::Buffer) {
      Buffer *buffer = args[i].buffer();
      if (!buffer->host_accessible())
        throw Error(ErrorCode::InvalidArgument, describe(info, i) + " is device memory the host cannot reach");
      dataPointers[i] = buffer->data();
      slots[i] = &dataPointers[i];
      auto begin = reinterpret_cast<uintptr_t>(buffer->data());
      context.buffers.push_back({begin, begin + buffer->bytes(), info.args[i].name});
    } else {
      scalars[i] = encode_scalar(info, i, args[i]);
      slots[i] = scalars[i].bytes;
    }
  }

  const int64_t total = grid.x * grid.y * grid.z;
  int threads = requested_threads > 0 ? requested_threads
                                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::min<int64_t>(threads, total));
  std::atomic<int64_t> next{0};
  CpuEntry entry = kernel.executable_as<CpuExecutable>()->entry;
  std::function<void()> worker = [&]() {
    int32_t coords[6] = {0, 0, 0, static_cast<int32_t>(grid.x), static_cast<int32_t>(grid.y),
                         static_cast<int32_t>(grid.z)};
    detail::set_thread_launch(&context, coords);
    for (int64_t p = next.fetch_add(1); p < total; p = next.fetch_add(1)) {
      coords[0] = static_cast<int32_t>(p % grid.x);
      coords[1] = static_cast<int32_t>((p / grid.x) % grid.y);
      coords[2] = static_cast<int32_t>(p / (grid.x * grid.y));
      entry(slots.data(), coords);
    }
    detail::set_thread_launch(nullptr, nullptr);
  };
  if (threads <= 1)
    worker();
  else
    detail::ThreadPool::instance().run(threads, worker);
  if (context.failed.load())
    throw Error(context.failure, context.report);
}


/// The host with a fixed number of worker threads.
class CpuDevice final : public DeviceState {
public:
  explicit CpuDevice(int threads) : threads_(threads) {}
  std::string name() const override { return "cpu (" + std::to_string(threads_) + " threads)"; }
  int threads() const override { return threads_; }

private:
  int threads_;
};

class CpuDriver final : public Driver {
public:
  std::string name() const override { return CpuExecutable::kDriver; }
  std::shared_ptr<DeviceState> open(const std::string &options) const override {
    int threads = 0;
    if (!options.empty()) {
      const std::string key = "threads=";
      size_t used = 0;
      try {
        if (options.rfind(key, 0) != 0)
          throw std::invalid_argument(options);
        threads = std::stoi(options.substr(key.size()), &used);
        if (used != options.size() - key.size())
          throw std::invalid_argument(options);
      } catch (const std::exception &) {
        throw Error(ErrorCode::InvalidArgument, "the cpu driver takes 'threads=N', got '" + options + "'");
      }
    }
    if (threads < 0)
      throw Error(ErrorCode::InvalidArgument, "a CPU device needs a non-negative thread count, got " +
                                                  std::to_string(threads));
    // The worker pool has one thread per hardware thread; more would only be reported.
    const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::make_shared<CpuDevice>(threads == 0 || threads > hardware ? hardware : threads);
  }
  Buffer allocate(DeviceState &, DType dtype, size_t count, BufferMode mode) const override {
    return Buffer(dtype, count, mode);
  }
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &options,
              DeviceState *device) const override {
    run_on_host(kernel, grid, args, device ? device->threads() : options.threads);
  }
};

} // namespace

void registerCpuDriver() { register_driver(std::make_unique<CpuDriver>()); }

} // namespace detail

} // namespace tegula
