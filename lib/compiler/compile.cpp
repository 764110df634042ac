// compile_traced/emit: trace text in, kernel or artifact out, with an in-memory cache.
// Everything target-specific comes from the configured target (target_backend.h).
#include "tegula/compiler/compile.h"

#include "pipeline.h"

#include "tegula/compiler/target_backend.h"
#include "tegula/runtime/error.h"

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
  auto context = make_context();
  auto module = parse_module(*context, traced.ir);
  run_stages(*module, t->stages(options), options, nullptr);
  Kernel kernel = t->build(*module, traced_info(traced, options));
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
  auto context = make_context();
  auto module = parse_module(*context, traced.ir);
  run_stages(*module, t->stages(options), options, stages, info->after_stage);
  if (!info->after_stage.empty())
    return print(*module);
  return t->emit(*module, kind, traced_info(traced, options));
}

} // namespace tegula
