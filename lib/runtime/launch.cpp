#include "tegula/runtime/launch.h"

#include "launch_context.h"
#include "maia_launch.h"
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <functional>
#include <thread>

namespace tegula {

namespace {

std::string describe(const KernelInfo &info, size_t i) {
  return "argument " + std::to_string(i) + " ('" + info.args[i].name + "') of kernel '" +
         info.name + "'";
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

} // namespace

void validate_launch(const KernelInfo &info, const Grid &grid, std::span<const Arg> args) {
  if (args.size() != info.args.size())
    throw Error(ErrorCode::ArgumentCount, "kernel '" + info.name + "' takes " +
                                              std::to_string(info.args.size()) + " arguments, got " +
                                              std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i) {
    const ArgSpec &spec = info.args[i];
    const Arg &arg = args[i];
    if (spec.kind == ArgSpec::Kind::Buffer) {
      if (!arg.is_buffer())
        throw Error(ErrorCode::ArgumentType, describe(info, i) + " must be a buffer of " +
                                                 std::string(dtype_name(spec.dtype)) + ", got a scalar");
      Buffer *buffer = arg.buffer();
      if (!buffer || buffer->empty())
        throw Error(ErrorCode::NullBuffer, describe(info, i) + " is a null or empty buffer");
      if (buffer->dtype() != spec.dtype)
        throw Error(ErrorCode::DTypeMismatch, describe(info, i) + " must hold " +
                                                  std::string(dtype_name(spec.dtype)) + ", got " +
                                                  std::string(dtype_name(buffer->dtype())));
    } else {
      if (arg.is_buffer())
        throw Error(ErrorCode::ArgumentType, describe(info, i) + " must be a scalar " +
                                                 std::string(dtype_name(spec.dtype)) + ", got a buffer");
      if (!dtype_is_float(spec.dtype) && !arg.is_integer())
        throw Error(ErrorCode::DTypeMismatch, describe(info, i) + " must be an integer (" +
                                                  std::string(dtype_name(spec.dtype)) +
                                                  "), got a floating-point value");
    }
  }
  const int64_t dims[3] = {grid.x, grid.y, grid.z};
  const char *axes = "xyz";
  for (int d = 0; d < 3; ++d)
    if (dims[d] < 1 || dims[d] > kMaxGridDim)
      throw Error(ErrorCode::InvalidGrid, "grid." + std::string(1, axes[d]) + " = " +
                                              std::to_string(dims[d]) + " for kernel '" + info.name +
                                              "' (must be in 1.." + std::to_string(kMaxGridDim) + ")");
}

void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
            const LaunchOptions &options) {
  if (!kernel.valid())
    throw Error(ErrorCode::InvalidArgument, "launch of an empty kernel handle");
  const KernelInfo &info = kernel.info();
  validate_launch(info, grid, args);
  if (kernel.maia_program())
    return detail::launch_on_maia_simulator(kernel, grid, args);
  detail::record_cpu_launch();

  std::vector<ScalarSlot> scalars(args.size());
  std::vector<void *> dataPointers(args.size());
  std::vector<void *> slots(args.size());
  detail::LaunchContext context;
  context.info = &info;
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind == ArgSpec::Kind::Buffer) {
      Buffer *buffer = args[i].buffer();
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
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::min<int64_t>(threads, total));
  std::atomic<int64_t> next{0};
  CpuEntry entry = kernel.entry();
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

} // namespace tegula
