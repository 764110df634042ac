// The cpu target: the host, through the CPU pipeline, JIT-compiled with ORC or emitted
// as LLVM IR, assembly, an object or a shared object for the LLVM-free loader.
#include "backends/cpu/CodeGen.h"
#include "backends/cpu/Pipeline.h"

#include "tegula/compiler/target_backend.h"
#include "tegula/runtime/error.h"

#include "mlir/IR/BuiltinOps.h"

#include <thread>

namespace tegula::cpu {

namespace {

TargetDescription describe() {
  TargetDescription d;
  d.name = "cpu";
  d.summary = "host CPU: JIT (ORC) or AOT shared object; executes";
  d.executes = true;
  d.covers_language = true;
  d.host = true;
  d.emit_kinds = {
      {"tile", "tile", false, "tile dialect after canonicalization"},
      {"linalg", "linalg", false, "linalg/tensor/scf on tensors"},
      {"llvm-dialect", "llvm", false, "the LLVM dialect"},
      {"llvm", "", false, "LLVM IR"},
      {"asm", "", false, "host assembly"},
      {"obj", "", true, "a relocatable object"},
      {"so", "", true, "a shared object for the runtime's loader"},
  };
  d.compute_units = std::max<int64_t>(1, std::thread::hardware_concurrency());
  d.onchip_bytes = 0; // caches only
  d.vector_lanes = 16;
  return d;
}

class CpuTarget final : public compiler::Target {
public:
  const TargetDescription &description() const override { return description_; }
  std::string key() const override { return "cpu"; }
  std::vector<compiler::Stage> stages(const CompileOptions &options) const override {
    std::vector<compiler::Stage> out;
    for (const PipelineStage &stage : pipelineStages(options.bounds_check))
      out.push_back({stage.name, stage.passes});
    return out;
  }
  mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const override {
    return jit_cpu(module, with_sites(module, info));
  }
  mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                    const KernelInfo &info) const override {
    const KernelInfo full = with_sites(module, info);
    if (kind == "llvm")
      return emit_cpu(module, full, CpuArtifact::LLVMIR);
    if (kind == "asm")
      return emit_cpu(module, full, CpuArtifact::Assembly);
    if (kind == "obj")
      return emit_cpu(module, full, CpuArtifact::Object);
    if (kind == "so")
      return emit_cpu(module, full, CpuArtifact::SharedObject);
    return module.emitError("the cpu target does not emit '") << kind << "'";
  }

private:
  /// The bounds-checked lowering records its access sites, which errors name.
  static KernelInfo with_sites(mlir::ModuleOp module, KernelInfo info) {
    info.sites = access_sites(module);
    return info;
  }
  TargetDescription description_ = describe();
};

class CpuBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return "cpu"; }
  std::vector<std::string> aliases() const override { return {"host"}; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    if (!options.empty())
      throw Error(ErrorCode::InvalidArgument, "the cpu target takes no options, got '" + options.front().first + "'");
    return std::make_unique<CpuTarget>();
  }
};

} // namespace

void registerCpuTarget() { compiler::register_target_backend(std::make_unique<CpuBackend>()); }

} // namespace tegula::cpu
