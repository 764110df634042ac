// The compiler driver: a traced kernel in, an executable kernel (or its IR, assembly or
// object code) out, for one target.
#ifndef TEGULA_COMPILER_COMPILE_H
#define TEGULA_COMPILER_COMPILE_H

#include "tegula/compiler/target_description.h"
#include "tegula/dsl/trace.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace tegula {

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
