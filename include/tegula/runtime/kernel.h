// A compiled kernel as the runtime holds it: its signature and its executable, in the
// form of the driver that runs it. No LLVM or MLIR here.
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
  /// What the kernel was compiled to assume and every launch checks: a buffer's address
  /// is a multiple of this many bytes, a scalar's value a multiple of this number.
  int64_t multiple_of = 1;
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

class Executable;

/// A kernel: its signature and its executable, which names the driver that runs it.
class Kernel {
public:
  Kernel() = default;
  Kernel(KernelInfo info, std::shared_ptr<const Executable> executable)
      : info_(std::move(info)), executable_(std::move(executable)) {}
  /// Loads an AOT shared object written by `tegula compile --emit so` (a kernel of the
  /// host's driver).
  static Kernel load_shared_object(const std::string &path, const std::string &name);

  const KernelInfo &info() const { return info_; }
  const std::string &name() const { return info_.name; }
  const Executable *executable() const { return executable_.get(); }
  /// The driver that runs it ("" for an empty kernel).
  std::string driver() const;
  /// The executable as its driver's type E (which names its driver as E::kDriver), or
  /// null when another driver runs it.
  template <typename E> const E *executable_as() const {
    return driver() == E::kDriver ? static_cast<const E *>(executable_.get()) : nullptr;
  }
  bool valid() const { return executable_ != nullptr; }

private:
  KernelInfo info_;
  std::shared_ptr<const Executable> executable_;
};

/// Symbol names an AOT object exports for kernel `name`.
std::string entry_symbol(const std::string &name);
std::string info_symbol(const std::string &name);

} // namespace tegula

#endif
