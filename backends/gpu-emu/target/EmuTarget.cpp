// The gpu-emu target: no pipeline of its own. `gpu-emu:sm_80` runs what `cuda:sm_80`
// compiles, as it stands at that target's emu-tap stage (after every Tegula pass, before
// the vendor's conversion); `gpu-emu:gfx942` what `rocm:gfx942` compiles, with its
// 64-lane wavefronts. The vendor targets are found through the registry, by name: this
// folder links nothing of theirs, nor of backends/gpu, so a wrong table in the compiler
// cannot agree with itself here.
#include "backends/gpu-emu/sim/Program.h"
#include "backends/gpu-emu/target/Translate.h"

#include "tegula/compiler/target_backend.h"
#include "tegula/runtime/error.h"

#include "mlir/IR/BuiltinOps.h"

namespace tegula::gpuemu {

namespace {

/// The stage of the vendor targets after which the module is the emulator's input.
constexpr const char *kTap = "emu-tap";

class EmuTarget final : public compiler::Target {
public:
  EmuTarget(std::string vendorText, std::shared_ptr<const compiler::Target> vendor)
      : vendorText_(std::move(vendorText)), vendor_(std::move(vendor)) {
    const TargetDescription &v = vendor_->description();
    TargetDescription &d = description_;
    d.name = "gpu-emu";
    d.summary = "every thread of each GPU block on the host, from cuda's or rocm's code at emu-tap; executes";
    d.executes = true;
    d.emulated = true;
    d.emit_kinds = {{"tile", "tile", false, "tile dialect after canonicalization"},
                    {"gpu", "gpu", false, "tiles with layouts, as the vendor target has them"},
                    {kTap, kTap, false, "the code one thread runs: what the emulator runs"}};
    d.options = {"<arch>: sm_80 (the default), sm_90 (cuda's code) or gfx942, gfx90a (rocm's)",
                 "num-warps=N: as the vendor target's"};
    d.compute_units = v.compute_units;
    d.onchip_bytes = v.onchip_bytes;
    d.warp_size = v.warp_size;
    d.vector_lanes = v.vector_lanes;
    d.attributes = v.attributes;
    d.attributes["runs"] = vendorText_;
  }
  const TargetDescription &description() const override { return description_; }
  std::string key() const override { return "gpu-emu:" + vendor_->key(); }
  std::vector<compiler::Stage> stages(const CompileOptions &options) const override {
    std::vector<compiler::Stage> out;
    for (const compiler::Stage &stage : vendor_->stages(options)) {
      out.push_back(stage);
      if (stage.name == kTap)
        return out;
    }
    throw Error(ErrorCode::Unsupported, "target '" + vendorText_ + "' has no stage '" + kTap + "' for gpu-emu to run");
  }
  mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const override {
    if (info.bounds_checked)
      return module.emitError("gpu-emu checks every access itself: compile without the bounds-checked mode");
    mlir::FailureOr<Program> program = translate_to_program(module, description_.warp_size);
    if (mlir::failed(program))
      return mlir::failure();
    return Kernel(info, std::make_shared<const EmuExecutable>(std::move(*program)));
  }
  mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                    const KernelInfo &) const override {
    return module.emitError("gpu-emu emits no artifact '") << kind << "': its stages' IR only";
  }

private:
  std::string vendorText_;
  std::shared_ptr<const compiler::Target> vendor_;
  TargetDescription description_;
};

class EmuBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return "gpu-emu"; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    std::string arch = "sm_80", rest;
    for (const auto &[key, value] : options) {
      if (value.empty())
        arch = key;
      else
        rest += "," + key + "=" + value;
    }
    const bool nvidia = arch.rfind("sm_", 0) == 0, amd = arch.rfind("gfx", 0) == 0;
    if (!nvidia && !amd)
      throw Error(ErrorCode::InvalidArgument,
                  "gpu-emu runs an NVIDIA (sm_*) or AMD (gfx*) architecture's code, got '" + arch + "'");
    const std::string vendorText = std::string(nvidia ? "cuda" : "rocm") + ":" + arch + rest;
    return std::make_unique<EmuTarget>(vendorText, compiler::configure_target(vendorText));
  }
};

} // namespace

void registerEmuTarget() { compiler::register_target_backend(std::make_unique<EmuBackend>()); }

} // namespace tegula::gpuemu
