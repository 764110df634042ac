// The gpu-emu driver: a launch runs every block of the grid, one after another, through
// the interpreter, on the host buffers themselves (a kernel's pointers are the buffers'
// host addresses; the interpreter checks every access against them). LLVM-free.
#include "backends/gpu-emu/sim/Interpreter.h"

#include "tegula/runtime/error.h"

#include <cstring>
#include <limits>

namespace tegula::gpuemu {

namespace {

struct EmuDevice final : DeviceState {
  std::string name() const override { return "gpu-emu (every thread of a block, on the host)"; }
};

std::string describe(const KernelInfo &info, size_t i) {
  return "argument " + std::to_string(i) + " ('" + info.args[i].name + "') of kernel '" + info.name + "'";
}

/// A scalar argument as the bits a kernel parameter of its type holds.
uint64_t scalar_bits_of(const KernelInfo &info, size_t i, const Arg &arg) {
  const DType dtype = info.args[i].dtype;
  if (dtype_is_float(dtype)) {
    const double v = arg.is_integer() ? static_cast<double>(arg.integer()) : arg.real();
    uint64_t bits = 0;
    if (dtype == DType::F32) {
      const float f = static_cast<float>(v);
      std::memcpy(&bits, &f, 4);
    } else if (dtype == DType::F64) {
      std::memcpy(&bits, &v, 8);
    } else {
      throw Error(ErrorCode::DTypeMismatch,
                  describe(info, i) + ": scalar " + std::string(dtype_name(dtype)) + " arguments are not supported");
    }
    return bits;
  }
  const int64_t v = arg.integer();
  if (dtype == DType::I32 && (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()))
    throw Error(ErrorCode::InvalidArgument, describe(info, i) + ": value " + std::to_string(v) + " does not fit in i32");
  return static_cast<uint64_t>(v);
}

class EmuDriver final : public Driver {
public:
  std::string name() const override { return EmuExecutable::kDriver; }
  std::shared_ptr<DeviceState> open(const std::string &options) const override {
    if (!options.empty())
      throw Error(ErrorCode::InvalidArgument, "the gpu-emu device takes no options, got '" + options + "'");
    return std::make_shared<EmuDevice>();
  }
  Buffer allocate(DeviceState &, DType dtype, size_t count, BufferMode mode) const override {
    return Buffer(dtype, count, mode);
  }
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &,
              DeviceState *) const override {
    const auto *executable = kernel.executable_as<EmuExecutable>();
    if (!executable)
      throw Error(ErrorCode::InvalidArgument, "kernel '" + kernel.info().name + "' is not a gpu-emu executable");
    const KernelInfo &info = kernel.info();
    const Program &program = executable->program();
    std::vector<GlobalRange> ranges;
    std::vector<uint64_t> params(args.size());
    for (size_t i = 0; i < args.size(); ++i) {
      if (info.args[i].kind == ArgSpec::Kind::Buffer) {
        Buffer *buffer = args[i].buffer();
        if (!buffer->host_accessible())
          throw Error(ErrorCode::InvalidArgument, describe(info, i) + " is device memory the host cannot reach");
        const auto begin = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(buffer->data()));
        ranges.push_back({begin, begin + buffer->bytes(), info.args[i].name});
        params[i] = begin;
      } else {
        params[i] = scalar_bits_of(info, i, args[i]);
      }
    }
    if (params.size() != program.params.size())
      throw Error(ErrorCode::ArgumentCount, "kernel '" + info.name + "' takes " +
                                                std::to_string(program.params.size()) + " arguments, got " +
                                                std::to_string(params.size()));
    Interpreter interpreter(program, std::move(ranges));
    for (int64_t z = 0; z < grid.z; ++z)
      for (int64_t y = 0; y < grid.y; ++y)
        for (int64_t x = 0; x < grid.x; ++x)
          if (std::optional<Error> fault = interpreter.run_block({x, y, z}, {grid.x, grid.y, grid.z}, params))
            throw *fault;
    last_report() = interpreter.report();
  }
};

} // namespace

LaunchReport &last_report() {
  thread_local LaunchReport report;
  return report;
}

void registerEmuDriver() { register_driver(std::make_unique<EmuDriver>()); }

} // namespace tegula::gpuemu
