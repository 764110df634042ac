// A compiled kernel as the runtime holds it: its signature, its entry point and whatever
// keeps the code alive (a JIT session or a dlopen handle). No LLVM or MLIR here.
#ifndef TEGULA_RUNTIME_KERNEL_H
#define TEGULA_RUNTIME_KERNEL_H

#include "tegula/runtime/dtype.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tegula {

struct ArgSpec {
  enum class Kind : uint8_t { Buffer, Scalar };
  Kind kind = Kind::Scalar;
  DType dtype = DType::I32; ///< element type of a buffer, or the scalar's type
  std::string name;
};

struct KernelInfo {
  std::string name;
  std::vector<ArgSpec> args;
  bool bounds_checked = false;
  /// Memory-access sites ("tile.load at file:line:col"), indexed by the id a
  /// bounds-checked kernel reports.
  std::vector<std::string> sites;

  /// Text form stored beside AOT code and read back by the loader.
  std::string serialize() const;
  /// Throws Error(LoadError) naming the line that is malformed.
  static KernelInfo parse(const std::string &text);
};

/// `args[i]` points to the value of argument i (a buffer's data pointer for buffers);
/// `grid` holds program id x, y, z and grid size x, y, z.
using CpuEntry = void (*)(void **args, const int32_t *grid);

namespace maia {
struct Program;
}

class Kernel {
public:
  Kernel() = default;
  /// A CPU kernel: an entry point and what keeps its code alive.
  Kernel(KernelInfo info, CpuEntry entry, std::shared_ptr<void> owner)
      : info_(std::move(info)), entry_(entry), owner_(std::move(owner)) {}
  /// A kernel for the simulated Maia-style machine.
  Kernel(KernelInfo info, std::shared_ptr<const maia::Program> program)
      : info_(std::move(info)), program_(std::move(program)) {}

  /// Loads an AOT shared object written by `tegula compile --emit so`.
  static Kernel load_shared_object(const std::string &path, const std::string &name);

  const KernelInfo &info() const { return info_; }
  const std::string &name() const { return info_.name; }
  CpuEntry entry() const { return entry_; }
  const maia::Program *maia_program() const { return program_.get(); }
  bool valid() const { return entry_ != nullptr || program_ != nullptr; }

private:
  KernelInfo info_;
  CpuEntry entry_ = nullptr;
  std::shared_ptr<void> owner_;
  std::shared_ptr<const maia::Program> program_;
};

/// Symbol names an AOT object exports for kernel `name`.
std::string entry_symbol(const std::string &name);
std::string info_symbol(const std::string &name);

} // namespace tegula

#endif
