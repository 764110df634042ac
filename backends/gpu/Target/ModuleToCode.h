// The last step every GPU vendor shares: a gpu.module in the LLVM dialect (after the
// vendor's conversion to nvvm or rocdl) translated to LLVM IR, linked with the vendor's
// device libraries (only what it calls), optimized, and compiled by LLVM's backend for
// the target to assembly and, where asked, an object. The vendors' folders add what is
// theirs: the triple, chip and libraries, and the tool that makes the loadable binary
// (ptxas, ld.lld).
#ifndef TEGULA_BACKENDS_GPU_TARGET_MODULETOCODE_H
#define TEGULA_BACKENDS_GPU_TARGET_MODULETOCODE_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <functional>
#include <string>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace tegula::gpu {

struct CodegenTarget {
  std::string triple, chip, features;
  /// Bitcode files linked into the module (only the functions it calls).
  std::vector<std::string> libraries;
  /// Module flags and attributes the vendor's libraries or loader read.
  std::function<void(llvm::Module &)> before_link;
  int opt_level = 3;
};

struct GpuCode {
  std::string llvm_ir; ///< after linking and optimization
  std::string assembly;
  std::string object; ///< empty unless asked for
};

/// `gpuModule` is a gpu.module whose body is in the LLVM dialect and its vendor's
/// dialects. A failure is a diagnostic on it.
mlir::FailureOr<GpuCode> generate_gpu_code(mlir::Operation *gpuModule, const CodegenTarget &target,
                                           bool want_object);

/// Runs `program` with `args`; a failure names the program, and its output (stdout and
/// stderr) comes back in `output` either way.
bool run_tool(const std::string &program, const std::vector<std::string> &args, std::string &output);

/// Writes `bytes` to a fresh file in the temporary folder (removed with the object).
class TemporaryFile {
public:
  explicit TemporaryFile(const std::string &suffix);
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile &) = delete;
  TemporaryFile &operator=(const TemporaryFile &) = delete;
  const std::string &path() const { return path_; }
  bool write(const std::string &bytes) const;
  bool read(std::string &bytes) const;

private:
  std::string path_;
};

} // namespace tegula::gpu

#endif
