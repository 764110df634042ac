// compile_traced/emit: trace text in, kernel or artifact out, with an in-memory cache.
// Everything target-specific comes from the configured target (target_backend.h).
#include "tegula/compiler/compile.h"

#include "pipeline.h"

#include "tegula/compiler/diagnostics.h"
#include "tegula/compiler/target_backend.h"
#include "tegula/runtime/error.h"

#include "mlir/IR/MLIRContext.h"

#include <chrono>
#include <map>
#include <mutex>

namespace tegula {

using namespace compiler;

namespace {

struct CacheKey {
  std::string ir, target, signature; // the signature carries argument names
  bool bounds_check;
  auto operator<=>(const CacheKey &) const = default;
};

std::mutex gCacheMutex;
// Never destroyed: JIT sessions must not be torn down after LLVM's own globals are,
// which is what static destruction at exit would do.
auto &gCache = *new std::map<CacheKey, std::shared_ptr<const CompiledKernel>>();

KernelInfo traced_info(const dsl::TracedKernel &traced, const CompileOptions &options) {
  KernelInfo info = traced.info;
  info.bounds_checked = options.bounds_check;
  return info;
}

/// The traced IR parsed, and run through the target's stages up to `stop_after` (all
/// when empty). Where the compiler's diagnostics become the public API's errors.
class Lowered {
public:
  Lowered(const dsl::TracedKernel &traced, const Target &target, const CompileOptions &options,
          std::vector<StageIR> *record, const std::string &stop_after = "")
      : context_(make_context()), diagnostics_(*context_) {
    module_ = parse_module(*context_, traced.ir);
    if (!module_)
      throw Error(ErrorCode::CompileError, "cannot parse kernel IR: " + diagnostics_.text());
    std::string stage;
    if (mlir::failed(run_stages(*module_, target.stages(options), options, record, stop_after, &stage)))
      throw Error(ErrorCode::CompileError, "stage '" + stage + "' failed: " + diagnostics_.text());
  }
  mlir::ModuleOp module() { return *module_; }
  /// The value of a code generator's result, or its diagnostics as an Error.
  template <typename T> T take(mlir::FailureOr<T> result, const std::string &what) {
    if (mlir::failed(result))
      throw Error(ErrorCode::CompileError, what + " failed: " + diagnostics_.text());
    return std::move(*result);
  }

private:
  std::unique_ptr<mlir::MLIRContext> context_;
  DiagnosticCollector diagnostics_;
  mlir::OwningOpRef<mlir::ModuleOp> module_;
};

} // namespace

void clear_compile_cache() {
  std::lock_guard<std::mutex> lock(gCacheMutex);
  gCache.clear();
}

size_t compile_cache_size() {
  std::lock_guard<std::mutex> lock(gCacheMutex);
  return gCache.size();
}

std::shared_ptr<const CompiledKernel> compile_traced(const dsl::TracedKernel &traced, const std::string &target,
                                                     const CompileOptions &options) {
  std::shared_ptr<const Target> t = configure_target(target);
  CacheKey key{traced.ir, t->key(), traced.info.serialize(), options.bounds_check};
  if (!options.dump_ir) {
    std::lock_guard<std::mutex> lock(gCacheMutex);
    if (auto it = gCache.find(key); it != gCache.end())
      return it->second;
  }
  auto start = std::chrono::steady_clock::now();
  Lowered lowered(traced, *t, options, nullptr);
  Kernel kernel = lowered.take(t->build(lowered.module(), traced_info(traced, options)),
                               "code generation for " + t->description().name);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  auto compiled = std::make_shared<const CompiledKernel>(std::move(kernel), t->description().name, ms);
  std::lock_guard<std::mutex> lock(gCacheMutex);
  gCache[key] = compiled;
  return compiled;
}

std::string emit(const dsl::TracedKernel &traced, const std::string &target, const std::string &kind,
                 const CompileOptions &options, std::vector<StageIR> *stages) {
  std::shared_ptr<const Target> t = configure_target(target);
  const TargetDescription &d = t->description();
  const EmitKindInfo *info = d.emit_kind(kind);
  if (!info) {
    std::string kinds;
    for (const EmitKindInfo &k : d.emit_kinds)
      kinds += (kinds.empty() ? "" : ", ") + k.name;
    throw Error(ErrorCode::Unsupported, "the " + d.name + " target emits " + kinds + "; not '" + kind + "'");
  }
  Lowered lowered(traced, *t, options, stages, info->after_stage);
  if (!info->after_stage.empty())
    return print(lowered.module());
  return lowered.take(t->emit(lowered.module(), kind, traced_info(traced, options)), "emitting " + kind);
}

} // namespace tegula
