#include "tegula/runtime/launch.h"

#include "tegula/runtime/driver.h"
#include "tegula/runtime/error.h"

#include <string>

namespace tegula {

namespace {

std::string describe(const KernelInfo &info, size_t i) {
  return "argument " + std::to_string(i) + " ('" + info.args[i].name + "') of kernel '" +
         info.name + "'";
}

thread_local SimulatedLaunch gLast;

} // namespace

SimulatedLaunch last_simulated_launch() { return gLast; }

void detail::record_simulated_launch(const SimulatedLaunch &launch) { gLast = launch; }

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
      const uint64_t address = buffer->on_device() ? buffer->device_address()
                                                   : static_cast<uint64_t>(reinterpret_cast<uintptr_t>(buffer->data()));
      if (spec.multiple_of > 1 && address % static_cast<uint64_t>(spec.multiple_of) != 0)
        throw Error(ErrorCode::InvalidArgument, describe(info, i) + " is at an address " +
                                                    std::to_string(address % static_cast<uint64_t>(spec.multiple_of)) +
                                                    " bytes past a multiple of " + std::to_string(spec.multiple_of) +
                                                    ", which the kernel was compiled to assume");
    } else {
      if (arg.is_buffer())
        throw Error(ErrorCode::ArgumentType, describe(info, i) + " must be a scalar " +
                                                 std::string(dtype_name(spec.dtype)) + ", got a buffer");
      if (!dtype_is_float(spec.dtype) && !arg.is_integer())
        throw Error(ErrorCode::DTypeMismatch, describe(info, i) + " must be an integer (" +
                                                  std::string(dtype_name(spec.dtype)) +
                                                  "), got a floating-point value");
      if (spec.multiple_of > 1 && arg.is_integer() && arg.integer() % spec.multiple_of != 0)
        throw Error(ErrorCode::InvalidArgument,
                    describe(info, i) + " is " + std::to_string(arg.integer()) + ", not a multiple of " +
                        std::to_string(spec.multiple_of) +
                        ", which the kernel was compiled to assume (compile it for this value: its configuration "
                        "chooses what to assume)");
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
  validate_launch(kernel.info(), grid, args);
  detail::record_simulated_launch({}); // a launch that is not simulated has no machine time
  find_driver(kernel.driver()).launch(kernel, grid, args, options, nullptr);
}

} // namespace tegula
