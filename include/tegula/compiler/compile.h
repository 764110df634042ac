// The compiler driver: a traced kernel in, an executable kernel (or its IR, assembly or
// object code) out, for one target.
#ifndef TEGULA_COMPILER_COMPILE_H
#define TEGULA_COMPILER_COMPILE_H

#include "tegula/dsl/trace.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace tegula {

struct CompileOptions {
  /// Check every memory access against the launch's buffers; a violation is skipped and
  /// reported as Error(OutOfBounds) naming the kernel's source line.
  bool bounds_check = false;
  /// Print the IR after every pipeline stage to `dump_stream` (stderr when null).
  bool dump_ir = false;
  std::ostream *dump_stream = nullptr;
  /// maia only, for testing the simulator's checks: plant one deliberate bug
  /// ("drop-wait", "overflow-tsram", "dma-past-end" or "drop-barrier"); empty for none.
  std::string maia_plant_bug;
  /// maia only: let program instances that read the same operand slices (a GEMM's
  /// blocks in one row or column) run as a cluster's 2x2 square and share the slices
  /// through cluster SRAM, where the kernel allows it. Off: every instance fetches its
  /// own operands.
  bool maia_cluster_sharing = true;
  /// Names of the kernel's arguments, used in launch errors ("argument 2 ('c')"). Names
  /// are fixed when tracing: tegula::compile passes these to dsl::trace, while
  /// compile_traced keeps the names the trace already has.
  std::vector<std::string> arg_names;
};

/// One named stage of a target's pipeline and the IR after it.
struct StageIR {
  std::string stage;
  std::string ir;
};

/// What a target can emit. For `maia`: Maia is the maia dialect, Assembly the ISA text
/// and Object the binary program image.
enum class EmitKind { Tile, Linalg, LLVMDialect, LLVMIR, Assembly, Object, SharedObject, Maia };

class CompiledKernel {
public:
  CompiledKernel(Kernel kernel, std::string target, double compile_ms)
      : kernel_(std::move(kernel)), target_(std::move(target)), compile_ms_(compile_ms) {}
  const Kernel &kernel() const { return kernel_; }
  const KernelInfo &info() const { return kernel_.info(); }
  const std::string &target() const { return target_; }
  /// Wall time of the compile that produced this kernel (a cache hit returns the same
  /// object, so it reports the original compile).
  double compile_ms() const { return compile_ms_; }

  template <typename... A>
    requires(std::is_constructible_v<Arg, A &&> && ...)
  void launch(const Grid &grid, A &&...args) const {
    tegula::launch(kernel_, grid, std::forward<A>(args)...);
  }
  void launch(const Grid &grid, std::span<const Arg> args, const LaunchOptions &options = {}) const {
    tegula::launch(kernel_, grid, args, options);
  }

private:
  Kernel kernel_;
  std::string target_;
  double compile_ms_;
};

/// Targets this build can compile for, with a word on each.
std::vector<std::pair<std::string, std::string>> available_targets();

/// Compiles a traced kernel; results are cached by (IR, signature, target, bounds check).
std::shared_ptr<const CompiledKernel> compile_traced(const dsl::TracedKernel &traced,
                                                     const std::string &target,
                                                     const CompileOptions &options = {});

/// Runs the target's pipeline and returns the requested form (text, or bytes for
/// objects). `stages`, when given, receives the IR after each stage.
std::string emit(const dsl::TracedKernel &traced, const std::string &target, EmitKind kind,
                 const CompileOptions &options = {}, std::vector<StageIR> *stages = nullptr);

/// Drops every cached kernel (tests measure cold compiles with it).
void clear_compile_cache();
size_t compile_cache_size();

/// Traces `fn` with `meta` and compiles it for `target`.
template <typename... Params, typename... Meta>
std::shared_ptr<const CompiledKernel> compile(const std::string &name, void (*fn)(Params...),
                                              const std::string &target,
                                              const CompileOptions &options, const Meta &...meta) {
  dsl::TracedKernel traced = dsl::trace(name, fn, options.arg_names, meta...);
  return compile_traced(traced, target, options);
}

/// The same with default options.
template <typename... Params, typename... Meta>
std::shared_ptr<const CompiledKernel> compile(const std::string &name, void (*fn)(Params...),
                                              const std::string &target, const Meta &...meta)
  requires(!(std::is_same_v<Meta, CompileOptions> || ...))
{
  return compile(name, fn, target, CompileOptions{}, meta...);
}

} // namespace tegula

#endif
