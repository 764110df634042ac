// The cuda target: NVIDIA GPUs through the shared GPU lowering, upstream's nvvm
// conversion, LLVM's NVPTX backend (math from libdevice) and ptxas for the cubin.
// `cuda:sm_80` (the default) or `cuda:sm_90`; num-warps=N. Nothing here runs a kernel:
// the cubin is checked by ptxas, the answers by gpu-emu.
#include "lib/runtime/cuda/CudaExecutable.h"
#include "backends/gpu/Target/GpuTarget.h"

#include "tegula/runtime/error.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <optional>
#include <regex>

namespace tegula::cuda {

namespace {

/// ptxas of CUDA 13: TEGULA_PTXAS, else the one found when the build was configured
/// (the image's toolkit, or the PyPI wheel scripts/setup installs).
std::string find_ptxas() {
  if (const char *env = std::getenv("TEGULA_PTXAS"); env && *env)
    return env;
  return TEGULA_PTXAS_PATH;
}

/// libdevice beside the toolkit that ptxas comes from (CUDA_HOME first).
std::string find_libdevice() {
  std::vector<std::string> roots;
  if (const char *home = std::getenv("CUDA_HOME"); home && *home)
    roots.push_back(home);
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(find_ptxas(), real))
    roots.push_back(std::string(llvm::sys::path::parent_path(llvm::sys::path::parent_path(real))));
  roots.push_back("/usr/local/cuda");
  for (const std::string &root : roots) {
    std::string path = root + "/nvvm/libdevice/libdevice.10.bc";
    if (llvm::sys::fs::exists(path))
      return path;
  }
  return roots.back() + "/nvvm/libdevice/libdevice.10.bc";
}

class CudaHooks final : public gpu::VendorHooks {
public:
  std::string target_name() const override { return "cuda"; }
  std::string summary() const override {
    return "NVIDIA GPUs: NVPTX through LLVM, cubin through ptxas; compiles only (assembled by ptxas, not run)";
  }
  int64_t warp_size() const override { return 32; }
  compiler::Stage vendor_stage(const gpu::GpuArch &) const override {
    // convert-gpu-to-nvvm takes math to libdevice where libdevice has the function
    // (__nv_abs is i32 only); what is left (math.absi on i8 and i64) becomes LLVM's
    // intrinsics, which NVPTX selects.
    // convert-nvgpu-to-nvvm first: ldmatrix reads a shared-memory memref, which it
    // turns into a pointer before the memrefs themselves are converted.
    return {"nvvm", "gpu.module(convert-nvgpu-to-nvvm,convert-scf-to-cf,convert-gpu-to-nvvm,convert-math-to-llvm,"
                    "canonicalize,cse),reconcile-unrealized-casts"};
  }
  gpu::CodegenTarget codegen(const gpu::GpuArch &arch) const override {
    gpu::CodegenTarget t;
    t.triple = "nvptx64-nvidia-cuda";
    t.chip = arch.name;
    t.features = "+ptx80"; // PTX ISA 8.0: sm_90, and read by CUDA 13's ptxas (up to 9.0)
    t.libraries = {find_libdevice()};
    // libdevice asks __nvvm_reflect whether to flush denormals: no, as on the other
    // targets (the CPU and the emulator keep them).
    t.before_link = [](llvm::Module &module) {
      module.addModuleFlag(llvm::Module::Override, "nvvm-reflect-ftz", uint32_t{0});
      // A kernel's dynamic shared memory comes from the GPU lowering as an internal
      // zero-length array, which NVPTX declares as one static byte; declared extern, it
      // is the block's dynamic shared memory (`.extern .shared ... []`), sized at launch.
      for (llvm::GlobalVariable &global : module.globals())
        if (global.getAddressSpace() == 3 && global.getValueType()->isArrayTy() &&
            global.getValueType()->getArrayNumElements() == 0) {
          global.setLinkage(llvm::GlobalValue::ExternalLinkage);
          global.setInitializer(nullptr);
        }
      failed_asserts_to_assertfail(module);
    };
    return t;
  }
  std::vector<EmitKindInfo> artifact_kinds() const override {
    return {{"ptx", "", false, "PTX from LLVM's NVPTX backend"},
            {"ptxas-info", "", false, "ptxas -v: registers, spills and shared memory of each kernel"},
            {"cubin", "", true, "the cubin ptxas assembles"}};
  }
  bool needs_object(const std::string &) const override { return false; }
  std::vector<std::string> matrix_instructions(const gpu::GpuArch &) const override {
    // Every architecture this target has is sm_80 or newer: f16 and bf16, and f32 as tf32.
    return {"mma.m16n8k16", "mma.m16n8k8.tf32"};
  }
  bool async_copies(const gpu::GpuArch &) const override { return true; } // cp.async: sm_80 and newer
  mlir::FailureOr<std::string> finish(mlir::Operation *module, const gpu::GpuArch &arch, const gpu::GpuCode &code,
                                      const std::string &kind) const override {
    if (kind == "ptx")
      return code.assembly;
    if (kind != "cubin" && kind != "ptxas-info")
      return module->emitError("the cuda target does not emit '") << kind << "'";
    std::string bytes, info;
    if (mlir::failed(assemble(module, arch, code, bytes, info)))
      return mlir::failure();
    return kind == "ptxas-info" ? info : bytes;
  }
  mlir::FailureOr<gpu::KernelResources> resources(mlir::Operation *module, const gpu::GpuArch &arch,
                                                  const gpu::GpuCode &code) const override {
    std::string bytes, info;
    if (mlir::failed(assemble(module, arch, code, bytes, info)))
      return mlir::failure();
    // ptxas -v: "Used 96 registers, used 1 barriers, 64 bytes smem" and "0 bytes stack
    // frame, 0 bytes spill stores, 0 bytes spill loads".
    gpu::KernelResources used;
    std::smatch m;
    if (!std::regex_search(info, m, std::regex(R"(Used (\d+) registers)")))
      return module->emitError("ptxas -v reported no register count:\n") << info;
    used.registers = std::stoll(m[1]);
    if (std::regex_search(info, m, std::regex(R"((\d+) bytes smem)")))
      used.shared_bytes = std::stoll(m[1]);
    if (!std::regex_search(info, m,
                           std::regex(R"((\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads)")))
      return module->emitError("ptxas -v reported no stack frame and spills:\n") << info;
    used.scratch_bytes = std::stoll(m[1]);
    used.spills = std::stoll(m[2]) + std::stoll(m[3]);
    return used;
  }

  gpu::Occupancy occupancy(const gpu::GpuArch &arch, const gpu::KernelResources &used,
                           int64_t threads) const override {
    // An SM of sm_80 and sm_90: 4 partitions of 16,384 registers, each warp allocated its
    // registers in units of 256 within one partition; 64 warps and 32 blocks at most;
    // 1 KiB of shared memory reserved per block, allocated in units of 128 bytes, from
    // what one block may use plus that 1 KiB (164 KiB on A100, 228 KiB on H100). The
    // rules of NVIDIA's occupancy calculator.
    const int64_t sharedPerSm = arch.shared_memory + 1024;
    const int64_t warps = (threads + 31) / 32;
    const int64_t regsPerWarp = (std::max<int64_t>(1, used.registers) * 32 + 255) / 256 * 256;
    const int64_t warpsByRegisters = 4 * (16384 / regsPerWarp);
    const int64_t sharedPerBlock = (used.shared_bytes + 1024 + 127) / 128 * 128;
    return gpu::bounded_occupancy(warps, 64,
                                  {{"registers", warpsByRegisters / warps},
                                   {"shared memory", sharedPerSm / sharedPerBlock},
                                   {"warps", 64 / warps},
                                   {"blocks", 32}});
  }

  // The runtime's cuda driver loads the cubin (through libcuda.so.1, where there is one).
  std::string executable_kind() const override { return "cubin"; }
  Kernel executable(const gpu::GpuArch &arch, const KernelInfo &info, std::string cubin, int64_t threads,
                    int64_t dynamic_shared_bytes) const override {
    return Kernel(info, std::make_shared<const cuda::CudaExecutable>(std::move(cubin), info.name, arch.name, threads,
                                                                     dynamic_shared_bytes));
  }

private:
  /// A failed device_assert comes from the GPU lowering as its report (vprintf) and a
  /// trap, which a GPU reports as an illegal instruction. CUDA's own assertion is a call
  /// of __assertfail(message, file, line, function, char size): the driver prints the
  /// message with the failing block and thread, and the launch fails with
  /// CUDA_ERROR_ASSERT, which the runtime reports as a failed assertion. Each trap
  /// becomes that call, its message the report printed just before it.
  static void failed_asserts_to_assertfail(llvm::Module &module) {
    std::vector<llvm::CallInst *> traps;
    for (llvm::Function &function : module)
      for (llvm::BasicBlock &block : function)
        for (llvm::Instruction &instruction : block)
          if (auto *call = llvm::dyn_cast<llvm::CallInst>(&instruction))
            if (call->getIntrinsicID() == llvm::Intrinsic::trap)
              traps.push_back(call);
    if (traps.empty())
      return;
    llvm::LLVMContext &context = module.getContext();
    llvm::IRBuilder<> builder(context);
    llvm::Type *ptr = llvm::PointerType::get(context, 0);
    llvm::FunctionCallee assertfail = module.getOrInsertFunction(
        "__assertfail", llvm::FunctionType::get(builder.getVoidTy(),
                                                {ptr, ptr, builder.getInt32Ty(), ptr, builder.getInt64Ty()}, false));
    for (llvm::CallInst *trap : traps) {
      builder.SetInsertPoint(trap);
      llvm::Value *message = nullptr;
      for (llvm::Instruction *at = trap->getPrevNode(); at && !message; at = at->getPrevNode())
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(at))
          if (call->getCalledFunction() && call->getCalledFunction()->getName() == "vprintf")
            message = call->getArgOperand(0);
      if (!message)
        message = builder.CreateGlobalString("device_assert failed", "__tegula_assert_message", 0, &module);
      llvm::Value *file = builder.CreateGlobalString("device_assert", "__tegula_assert_file", 0, &module);
      llvm::Value *name = builder.CreateGlobalString(trap->getFunction()->getName(), "__tegula_assert_function", 0,
                                                     &module);
      builder.CreateCall(assertfail, {builder.CreateAddrSpaceCast(message, ptr), file, builder.getInt32(0), name,
                                      builder.getInt64(1)});
      trap->eraseFromParent();
    }
  }

  /// ptxas on the PTX: the cubin and what -v reports.
  static mlir::LogicalResult assemble(mlir::Operation *module, const gpu::GpuArch &arch, const gpu::GpuCode &code,
                                      std::string &cubinBytes, std::string &info) {
    gpu::TemporaryFile ptx(".ptx"), cubin(".cubin");
    if (!ptx.write(code.assembly))
      return module->emitError("cannot write the PTX to a temporary file");
    const std::string ptxas = find_ptxas();
    if (!gpu::run_tool(ptxas, {"-arch=" + arch.name, "-O3", "-v", ptx.path(), "-o", cubin.path()}, info))
      return module->emitError("ptxas (") << ptxas << ") rejected the PTX for " << arch.name << ":\n" << info;
    if (!cubin.read(cubinBytes))
      return module->emitError("ptxas wrote no cubin");
    return mlir::success();
  }
};

class CudaBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return "cuda"; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    // Reference parts: A100 (108 SMs, 163 KiB of shared memory per block) and H100 SXM
    // (132 SMs, 227 KiB).
    static const std::vector<gpu::GpuArch> archs = {{"sm_80", 108, 166912, 1024, 49152},
                                                              {"sm_90", 132, 232448, 1024, 49152}};
    return gpu::make_gpu_target(std::make_shared<CudaHooks>(), gpu::parse_gpu_options("cuda", options, archs));
  }
};

} // namespace

void registerCudaTarget() { compiler::register_target_backend(std::make_unique<CudaBackend>()); }

} // namespace tegula::cuda
