// The compiler driver: a traced kernel in, an executable kernel (or its IR, assembly or
// object code) out, for one target.
#ifndef TEGULA_COMPILER_COMPILE_H
#define TEGULA_COMPILER_COMPILE_H

#include "tegula/dsl/trace.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <iosfwd>
#include <map>
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

/// One form a target emits: the IR after one of its stages, or an artifact its code
/// generator writes.
struct EmitKindInfo {
  std::string name;        ///< as `tegula compile --emit` takes it: "tile", "asm", "so"
  std::string after_stage; ///< the stage whose IR this is; empty for an artifact
  bool binary = false;     ///< bytes rather than text
  std::string what;
};

/// A target as data: what it is and emits, its options, and the quantities that default
/// kernel configurations read (never its name).
struct TargetDescription {
  std::string name;    ///< "cpu"
  std::string summary; ///< one line for `tegula targets`
  bool executes = false;       ///< this build runs its kernels (host, or a simulator)
  bool simulated_time = false; ///< a launch's time is the simulated machine's, not the host's
  bool covers_language = false; ///< compiles every construct of the language: a refusal is a bug
  bool host = false;            ///< compiles for the machine it runs on: the default target
  std::vector<EmitKindInfo> emit_kinds;
  std::vector<std::string> options; ///< "name=value: what it does", as after "target:"
  int64_t compute_units = 1;        ///< program instances that run at once
  int64_t onchip_bytes = 0;         ///< software-managed memory per compute unit; 0: caches only
  std::vector<int64_t> matrix_unit; ///< {M, N, K} of one matrix-unit operation; empty: none
  int64_t vector_lanes = 1;         ///< f32 lanes of one vector operation
  int64_t warp_size = 1;            ///< lanes that execute in lockstep
  int64_t memory_latency_cycles = 0; ///< of one transfer from main memory; 0: hidden by caches
  /// Facts of the target's own that have no field here (name -> value).
  std::map<std::string, std::string> attributes;
  const EmitKindInfo *emit_kind(const std::string &name) const;
};

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

/// Every target this build compiles for, as data.
std::vector<TargetDescription> available_targets();
/// The target that compiles for this machine (the default of every API that takes one).
std::string host_target();
/// The description of "name[:options]"; Error(Unsupported) for a target not in this
/// build, Error(InvalidArgument) for a bad option.
TargetDescription describe_target(const std::string &target);

/// Compiles a traced kernel for "name[:options]" ("cpu", "maia:cluster-sharing=off");
/// results are cached by (IR, signature, target with its options, bounds check).
std::shared_ptr<const CompiledKernel> compile_traced(const dsl::TracedKernel &traced,
                                                     const std::string &target,
                                                     const CompileOptions &options = {});

/// Runs the target's pipeline and returns the requested form (text, or bytes for
/// objects). `stages`, when given, receives the IR after each stage.
/// `kind` is one of the target's emit kinds (TargetDescription::emit_kinds).
std::string emit(const dsl::TracedKernel &traced, const std::string &target, const std::string &kind,
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
