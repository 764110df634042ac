// The toy compile target: the CPU pipeline and code generation, wrapped so that its
// kernels run through the toy driver. It has an option of its own (toy:k=3), a
// description field of its own (attributes["k"]) and an emit kind of its own
// (toy-report).
#include "ToyExecutable.h"

#include "backends/cpu/CodeGen.h"
#include "backends/cpu/Pipeline.h"
#include "tegula/compiler/target_backend.h"
#include "tegula/runtime/error.h"

#include "mlir/IR/BuiltinOps.h"

namespace tegula::toy {

namespace {

class ToyTarget final : public compiler::Target {
public:
  explicit ToyTarget(int k) : k_(k) {
    d_.name = ToyExecutable::kDriver;
    d_.summary = "a toy for the plug-in tests: the CPU's code, launched through the toy driver; executes";
    d_.executes = true;
    d_.covers_language = true;
    d_.emit_kinds = {{"tile", "tile", false, "tile dialect after canonicalization"},
                     {"llvm-dialect", "llvm", false, "the LLVM dialect"},
                     {"toy-report", "", false, "one line: the kernel, its arguments and k"}};
    d_.options = {"k=N: a number the toy carries into its description and reports (1)"};
    d_.attributes["k"] = std::to_string(k);
  }
  const TargetDescription &description() const override { return d_; }
  std::string key() const override { return "toy:k=" + std::to_string(k_); }
  std::vector<compiler::Stage> stages(const CompileOptions &options) const override {
    std::vector<compiler::Stage> out;
    for (const cpu::PipelineStage &stage : cpu::pipelineStages(options.bounds_check))
      out.push_back({stage.name, stage.passes});
    return out;
  }
  mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const override {
    KernelInfo full = info;
    full.sites = cpu::access_sites(module);
    mlir::FailureOr<Kernel> host = cpu::jit_cpu(module, full);
    if (mlir::failed(host))
      return mlir::failure();
    return Kernel(info, std::make_shared<const ToyExecutable>(std::move(*host), k_));
  }
  mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                    const KernelInfo &info) const override {
    if (kind != "toy-report")
      return module.emitError("the toy target does not emit '") << kind << "'";
    return "toy kernel " + info.name + ": " + std::to_string(info.args.size()) + " arguments, k=" +
           std::to_string(k_) + "\n";
  }

private:
  int k_;
  TargetDescription d_;
};

class ToyBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return ToyExecutable::kDriver; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    int k = 1;
    for (const auto &[key, value] : options) {
      if (key != "k")
        throw Error(ErrorCode::InvalidArgument, "unknown toy option '" + key + "' (k=N)");
      size_t used = 0;
      try {
        k = std::stoi(value, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used == 0 || used != value.size() || k < 1)
        throw Error(ErrorCode::InvalidArgument, "toy option k takes a positive integer, got '" + value + "'");
    }
    return std::make_unique<ToyTarget>(k);
  }
};

} // namespace

void registerToyTarget() { compiler::register_target_backend(std::make_unique<ToyBackend>()); }

} // namespace tegula::toy
