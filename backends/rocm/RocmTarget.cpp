// The rocm target: AMD GPUs (wave64) through the shared GPU lowering, upstream's rocdl
// conversion, LLVM's AMDGPU backend (math from the ROCm device libraries) and ld.lld
// for the code object. `rocm:gfx942` (the default) or `rocm:gfx90a`; num-warps=N
// wavefronts. Nothing here runs a kernel: the hsaco is checked by the linker, the
// answers by gpu-emu.
#include "backends/gpu/Target/GpuTarget.h"

#include "tegula/runtime/error.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <optional>
#include <regex>

namespace tegula::rocm {

namespace {

/// ROCM_PATH's device libraries where it has them, else the ones found when the build
/// was configured (Debian's rocm-device-libs, ROCm 5.2 bitcode).
std::string bitcode_dir() {
  if (const char *root = std::getenv("ROCM_PATH"); root && *root)
    if (llvm::sys::fs::exists(std::string(root) + "/amdgcn/bitcode/ocml.bc"))
      return std::string(root) + "/amdgcn/bitcode";
  return TEGULA_ROCM_BITCODE_DIR;
}

/// TEGULA_LLD, else the LLD of the LLVM the build uses (Debian's plain ld.lld may be an
/// older one that does not know gfx942).
std::string find_lld() {
  if (const char *env = std::getenv("TEGULA_LLD"); env && *env)
    return env;
  return TEGULA_LLD_PATH;
}

class RocmHooks final : public gpu::VendorHooks {
public:
  std::string target_name() const override { return "rocm"; }
  std::string summary() const override {
    return "AMD GPUs (wave64): AMDGPU through LLVM, hsaco through ld.lld; compiles only (linked, not run)";
  }
  int64_t warp_size() const override { return 64; }
  compiler::Stage vendor_stage(const gpu::GpuArch &arch) const override {
    // Math to ocml first: convert-gpu-to-rocdl also takes patterns from every dialect's
    // conversion interface, and math's would make llvm.tanh and the like, which the
    // AMDGPU backend cannot select. runtime=HIP: gpu.printf (device_print,
    // device_assert) through ockl's hostcall printf.
    return {"rocdl", "convert-math-to-rocdl{chipset=" + arch.name +
                         "},gpu.module(convert-amdgpu-to-rocdl{chipset=" + arch.name +
                         "},convert-scf-to-cf,convert-gpu-to-rocdl{chipset=" + arch.name +
                         " runtime=HIP},canonicalize,cse),reconcile-unrealized-casts"};
  }
  gpu::CodegenTarget codegen(const gpu::GpuArch &arch) const override {
    gpu::CodegenTarget t;
    t.triple = "amdgcn-amd-amdhsa";
    t.chip = arch.name;
    const std::string dir = bitcode_dir();
    // The device libraries read their configuration from these constants. The ROCm 5.2
    // libraries predate gfx942; gfx940's ISA version constant is of the same family.
    const std::string isa = arch.name == "gfx90a" ? "90a" : "940";
    for (const char *name : {"ocml", "ockl", "oclc_finite_only_off", "oclc_unsafe_math_off", "oclc_daz_opt_off",
                             "oclc_correctly_rounded_sqrt_on", "oclc_wavefrontsize64_on", "oclc_abi_version_500"})
      t.libraries.push_back(dir + "/" + name + ".bc");
    t.libraries.push_back(dir + "/oclc_isa_version_" + isa + ".bc");
    t.before_link = [](llvm::Module &module) {
      module.addModuleFlag(llvm::Module::Error, "amdhsa_code_object_version", uint32_t{500});
    };
    return t;
  }
  std::vector<EmitKindInfo> artifact_kinds() const override {
    return {{"asm", "", false, "AMDGPU assembly from LLVM's backend"},
            {"hsaco", "", true, "the code object (ld.lld -shared)"}};
  }
  std::vector<std::string> matrix_instructions(const gpu::GpuArch &) const override {
    return {"mfma.32x32x8"}; // v_mfma_f32_32x32x8{f16,bf16}: gfx942; bf16 as its _1k form on gfx90a
  }
  bool needs_object(const std::string &kind) const override {
    return kind == "hsaco" || kind == kResourcesEmitKind;
  }
  mlir::FailureOr<std::string> finish(mlir::Operation *module, const gpu::GpuArch &arch, const gpu::GpuCode &code,
                                      const std::string &kind) const override {
    if (kind == "asm")
      return code.assembly;
    if (kind != "hsaco")
      return module->emitError("the rocm target does not emit '") << kind << "'";
    return link(module, arch, code);
  }
  mlir::FailureOr<gpu::KernelResources> resources(mlir::Operation *module, const gpu::GpuArch &arch,
                                                  const gpu::GpuCode &code) const override {
    if (mlir::failed(link(module, arch, code)))
      return mlir::failure();
    // The code object's metadata, as the assembly states it (".vgpr_count: 12").
    auto field = [&](const char *name) -> std::optional<int64_t> {
      std::smatch m;
      if (!std::regex_search(code.assembly, m, std::regex(std::string("\\.") + name + R"(:\s+(\d+))")))
        return std::nullopt;
      return std::stoll(m[1]);
    };
    std::optional<int64_t> vgprs = field("vgpr_count"), vgprSpills = field("vgpr_spill_count"),
                           sgprSpills = field("sgpr_spill_count"), scratch = field("private_segment_fixed_size"),
                           lds = field("group_segment_fixed_size");
    if (!vgprs || !vgprSpills || !sgprSpills || !scratch || !lds)
      return module->emitError("the AMDGPU assembly states no register, spill, scratch or LDS count");
    return gpu::KernelResources{*vgprs, *vgprSpills, *scratch, *lds, *sgprSpills};
  }

  gpu::Occupancy occupancy(const gpu::GpuArch &arch, const gpu::KernelResources &used,
                           int64_t threads) const override {
    // A CU of gfx90a and gfx942: 4 SIMDs, each with 512 vector registers a lane (VGPRs
    // and AGPRs in one file, allocated in units of 8) and at most 8 wavefronts; a block's
    // wavefronts spread over the 4 SIMDs; 64 KiB of LDS.
    const int64_t waves = (threads + 63) / 64, wavesPerSimd = (waves + 3) / 4;
    const int64_t vgprs = (std::max<int64_t>(1, used.registers) + 7) / 8 * 8;
    const int64_t simdWaves = std::min<int64_t>(8, 512 / vgprs);
    const int64_t lds = arch.shared_memory;
    return gpu::bounded_occupancy(waves, 32,
                                  {{"registers", simdWaves / wavesPerSimd},
                                   {"shared memory", used.shared_bytes > 0 ? lds / used.shared_bytes : 32},
                                   {"warps", 32 / waves}});
  }

private:
  /// ld.lld on the object: the code object (hsaco).
  static mlir::FailureOr<std::string> link(mlir::Operation *module, const gpu::GpuArch &arch,
                                           const gpu::GpuCode &code) {
    gpu::TemporaryFile object(".o"), hsaco(".hsaco");
    if (!object.write(code.object))
      return module->emitError("cannot write the object to a temporary file");
    std::string output;
    const std::string lld = find_lld();
    if (!gpu::run_tool(lld, {"-flavor", "gnu", "-shared", object.path(), "-o", hsaco.path()}, output))
      return module->emitError("ld.lld (") << lld << ") did not link the code object for " << arch.name << ":\n"
                                           << output;
    std::string bytes;
    if (!hsaco.read(bytes))
      return module->emitError("ld.lld wrote no code object");
    return bytes;
  }
};

class RocmBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return "rocm"; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    // Reference parts: MI300X (304 CUs) and one MI250X die (110 CUs); 64 KiB of LDS per
    // workgroup on both.
    static const std::vector<gpu::GpuArch> archs = {{"gfx942", 304, 65536}, {"gfx90a", 110, 65536}};
    return gpu::make_gpu_target(std::make_shared<RocmHooks>(), gpu::parse_gpu_options("rocm", options, archs));
  }
};

} // namespace

void registerRocmTarget() { compiler::register_target_backend(std::make_unique<RocmBackend>()); }

} // namespace tegula::rocm
