// Running library kernels on generated inputs and checking them against the fp64
// reference: what `tegula run` and `tegula demo` print.
#ifndef TEGULA_TOOLS_TEGULA_RUNNERS_H
#define TEGULA_TOOLS_TEGULA_RUNNERS_H

#include "tegula/compiler/compile.h"
#include "tegula/kernels/reference.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tegula::cli {

struct RunRequest {
  std::string kernel;
  std::string target; ///< "" or unset: filled in from --target, whose default is the host target
  DType dtype = DType::F32;
  std::vector<int64_t> shape; ///< empty: the kernel's default shape
  uint64_t seed = 1;
  int threads = 0;
  int repeats = 3;
  bool bounds_check = false;
};

struct RunResult {
  std::string kernel, target, dtype, shape;
  kernels::CheckResult check;
  double compile_ms = 0;
  double best_ms = 0;
  double gflops = 0; ///< 0 when not meaningful
};

std::vector<std::string> kernel_names();
/// Fields of a kernel's configuration set by name (`tegula compile --config BK=64,...`).
using ConfigOverrides = std::vector<std::pair<std::string, int64_t>>;
/// Traces `kernel` for `dtype` with its default configuration for `target`, with
/// `overrides` applied (gemm and attention take them; an unknown field is an error
/// that names the known ones).
/// With `generic`, the configuration promises nothing of its arguments (no sizes known
/// divisible, no pointers known aligned): the variant an AOT bundle falls back to.
dsl::TracedKernel trace_kernel(const std::string &kernel, DType dtype, const std::string &target,
                               const std::vector<int64_t> &shape, const ConfigOverrides &overrides = {},
                               bool generic = false);
RunResult run_kernel(const RunRequest &request);

} // namespace tegula::cli

#endif
