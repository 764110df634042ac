// compile_traced/emit: trace text in, kernel or artifact out, with an in-memory cache.
#include "tegula/compiler/compile.h"

#include "backends/maia/target/EmitProgram.h"
#include "cpu_codegen.h"
#include "tegula/maia/machine.h"
#include "pipeline.h"

#include "tegula/runtime/error.h"

#include <chrono>
#include <map>
#include <mutex>

namespace tegula {

using namespace compiler;

std::vector<std::pair<std::string, std::string>> available_targets() {
  return {{"cpu", "host CPU: JIT (ORC) or AOT shared object; executes"},
          {"maia", "Maia-style accelerator: ISA program run on the simulator; executes"}};
}

namespace {

struct CacheKey {
  std::string ir, target, signature; // the signature carries argument names
  bool bounds_check;
  std::string plant_bug;
  bool cluster_sharing;
  auto operator<=>(const CacheKey &) const = default;
};

std::mutex gCacheMutex;
// Never destroyed: JIT sessions must not be torn down after LLVM's own globals are,
// which is what static destruction at exit would do.
auto &gCache = *new std::map<CacheKey, std::shared_ptr<const CompiledKernel>>();

KernelInfo final_info(const dsl::TracedKernel &traced, mlir::ModuleOp lowered, const CompileOptions &options) {
  KernelInfo info = traced.info;
  info.bounds_checked = options.bounds_check;
  info.sites = access_sites(lowered);
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
  Target t = parse_target(target);
  CacheKey key{traced.ir, t.kind, traced.info.serialize(), options.bounds_check, options.maia_plant_bug,
               options.maia_cluster_sharing};
  if (!options.dump_ir) {
    std::lock_guard<std::mutex> lock(gCacheMutex);
    if (auto it = gCache.find(key); it != gCache.end())
      return it->second;
  }
  auto start = std::chrono::steady_clock::now();
  auto context = make_context();
  auto module = parse_module(*context, traced.ir);
  Kernel kernel;
  if (t.kind == "maia") {
    run_stages(*module, maia_stages(options, maia::MachineSpec::defaults()), options, nullptr);
    KernelInfo info = traced.info;
    kernel = Kernel(info, std::make_shared<const maia::Program>(maia::emit_program(*module)));
  } else {
    run_stages(*module, cpu_stages(options), options, nullptr);
    kernel = jit_cpu(*module, final_info(traced, *module, options));
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  auto compiled = std::make_shared<const CompiledKernel>(std::move(kernel), t.kind, ms);
  std::lock_guard<std::mutex> lock(gCacheMutex);
  gCache[key] = compiled;
  return compiled;
}

std::string emit(const dsl::TracedKernel &traced, const std::string &target, EmitKind kind,
                 const CompileOptions &options, std::vector<StageIR> *stages) {
  Target t = parse_target(target);
  auto context = make_context();
  auto module = parse_module(*context, traced.ir);
  if (t.kind == "maia") {
    auto stagesList = maia_stages(options, maia::MachineSpec::defaults());
    if (kind == EmitKind::Tile) {
      run_stages(*module, stagesList, options, stages, "tile");
      return print(*module);
    }
    run_stages(*module, stagesList, options, stages);
    if (kind == EmitKind::Maia)
      return print(*module);
    maia::Program program = maia::emit_program(*module);
    if (kind == EmitKind::Assembly)
      return maia::disassemble(program);
    if (kind == EmitKind::Object) {
      auto bytes = maia::to_binary(program);
      return std::string(bytes.begin(), bytes.end());
    }
    throw Error(ErrorCode::Unsupported, "the maia target emits tile, maia, asm or bin");
  }
  if (kind == EmitKind::Maia)
    throw Error(ErrorCode::Unsupported, "--emit maia needs --target maia");
  if (kind == EmitKind::Tile) {
    run_stages(*module, cpu_stages(options), options, stages, "tile");
    return print(*module);
  }
  if (kind == EmitKind::Linalg) {
    run_stages(*module, cpu_stages(options), options, stages, "linalg");
    return print(*module);
  }
  run_stages(*module, cpu_stages(options), options, stages);
  if (kind == EmitKind::LLVMDialect)
    return print(*module);
  KernelInfo info = final_info(traced, *module, options);
  switch (kind) {
  case EmitKind::LLVMIR: return emit_cpu(*module, info, CpuArtifact::LLVMIR);
  case EmitKind::Assembly: return emit_cpu(*module, info, CpuArtifact::Assembly);
  case EmitKind::Object: return emit_cpu(*module, info, CpuArtifact::Object);
  case EmitKind::SharedObject: return emit_cpu(*module, info, CpuArtifact::SharedObject);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, "unknown emit kind");
}

} // namespace tegula
