#include "backends/gpu/Target/GpuTarget.h"

#include "backends/gpu/IR/GPUDialect.h"

#include "tegula/runtime/error.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace tegula::gpu {

namespace {

class GpuTarget final : public compiler::Target {
public:
  GpuTarget(std::shared_ptr<const VendorHooks> vendor, GpuTargetOptions options)
      : vendor_(std::move(vendor)), options_(std::move(options)) {
    if (options_.num_warps * vendor_->warp_size() > options_.arch.max_threads)
      throw Error(ErrorCode::InvalidArgument,
                  vendor_->target_name() + ":" + options_.arch.name + " runs at most " +
                      std::to_string(options_.arch.max_threads) + " threads in a block, " +
                      std::to_string(options_.arch.max_threads / vendor_->warp_size()) + " warps of " +
                      std::to_string(vendor_->warp_size()) + "; num-warps=" + std::to_string(options_.num_warps) +
                      " asks for " + std::to_string(options_.num_warps * vendor_->warp_size()));
    TargetDescription &d = description_;
    d.name = vendor_->target_name();
    d.summary = vendor_->summary();
    d.executes = false;
    d.emit_kinds = {
        {"tile", "tile", false, "tile dialect after canonicalization"},
        {"gpu", "gpu", false, "tiles with layouts (tgpu encodings) over the block's threads"},
        {kEmuTapStage, kEmuTapStage, false, "the code one thread runs, upstream dialects only (what gpu-emu runs)"},
    };
    compiler::Stage vendorStage = vendor_->vendor_stage(options_.arch);
    d.emit_kinds.push_back({vendorStage.name, vendorStage.name, false, "the LLVM dialect with the vendor's intrinsics"});
    d.emit_kinds.push_back({"llvm", "", false, "LLVM IR after linking the device libraries and optimizing"});
    for (const EmitKindInfo &k : vendor_->artifact_kinds())
      d.emit_kinds.push_back(k);
    d.emit_kinds.push_back({kResourcesEmitKind, "", false,
                            "the loadable binary made and checked; registers, spills, scratch and shared bytes"});
    d.options = {"<arch> or arch=<arch>: the architecture (" + options_.arch.name + ")",
                 "num-warps=N: warps of a block for kernels that do not choose (num_warps), a power of two up to " +
                     std::to_string(options_.arch.max_threads / vendor_->warp_size()) + " (" +
                     std::to_string(options_.num_warps) + ")",
                 "plant-bug=gpu-drop-barrier|gpu-shift-exchange|gpu-swap-fragment|gpu-drop-async-wait: plant one compiler "
                 "mistake for "
                 "gpu-emu and xcheck to catch"};
    d.compute_units = options_.arch.compute_units;
    d.onchip_bytes = options_.arch.shared_memory;
    d.warp_size = vendor_->warp_size();
    d.vector_lanes = vendor_->warp_size();
    d.attributes["arch"] = options_.arch.name;
    d.attributes["num_warps"] = std::to_string(options_.num_warps);
    d.attributes["max_threads"] = std::to_string(options_.arch.max_threads);
    d.attributes["static_shared_bytes"] = std::to_string(
        options_.arch.static_shared_memory ? options_.arch.static_shared_memory : options_.arch.shared_memory);
  }

  const TargetDescription &description() const override { return description_; }

  std::string key() const override {
    return vendor_->target_name() + ":" + options_.arch.name + ",num-warps=" + std::to_string(options_.num_warps) +
           (options_.plant_bug.empty() ? "" : ",plant-bug=" + options_.plant_bug);
  }

  std::vector<compiler::Stage> stages(const CompileOptions &) const override {
    const std::string block = "num-warps=" + std::to_string(options_.num_warps) +
                              " warp-size=" + std::to_string(vendor_->warp_size()) +
                              " max-threads=" + std::to_string(options_.arch.max_threads);
    std::string instructions;
    for (const std::string &name : vendor_->matrix_instructions(options_.arch))
      instructions += (instructions.empty() ? "" : ",") + name;
    const std::string swap = options_.plant_bug == "gpu-swap-fragment" ? "true" : "false";
    const std::string layouts =
        (instructions.empty() ? "" : "matrix-instructions=" + instructions + " ") + "plant-swap-fragment=" + swap;
    return {{"tile", "canonicalize,cse"},
            {"gpu", "tegula-expand-gpu-descriptors,canonicalize,cse,tegula-coalesce-gpu-accesses{" + block +
                        "},tegula-assign-gpu-layouts{" + layouts + "},canonicalize,cse"},
            {kEmuTapStage, "tegula-convert-tile-to-gpu{plant-shift-exchange=" +
                               std::string(options_.plant_bug == "gpu-shift-exchange" ? "true" : "false") +
                               " plant-swap-fragment=" + swap +
                               " async-copies=" + (vendor_->async_copies(options_.arch) ? "true" : "false") +
                               " plant-drop-async-wait=" +
                               (options_.plant_bug == "gpu-drop-async-wait" ? "true" : "false") + "}" +
                               ",canonicalize,cse,tegula-allocate-shared-memory{bytes=" +
                               std::to_string(options_.arch.static_shared_memory ? options_.arch.static_shared_memory
                                                                                 : options_.arch.shared_memory) +
                               " dynamic-bytes=" + std::to_string(options_.arch.shared_memory) +
                               "},tegula-insert-gpu-barriers" +
                               (options_.plant_bug == "gpu-drop-barrier" ? "{plant-drop=true}" : "")},
            vendor_->vendor_stage(options_.arch)};
  }

  mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const override {
    const std::string kind = vendor_->executable_kind();
    if (kind.empty())
      return module.emitError("the ") << vendor_->target_name()
                                      << " target compiles kernels but this build does not run them: emit an artifact";
    mlir::FailureOr<std::string> artifact = emit(module, kind, info);
    if (mlir::failed(artifact))
      return mlir::failure();
    mlir::Operation *gpuModule = gpuModuleOf(module); // emit found it
    // The kernel's assertions, as their reports name them (kernel, message, source
    // position): a driver that learns only that one failed says which it may be.
    KernelInfo withAsserts = info;
    gpuModule->walk([&](mlir::LLVM::GlobalOp global) {
      auto text = mlir::dyn_cast_or_null<mlir::StringAttr>(global.getValueOrNull());
      if (!text || !text.getValue().starts_with(ir::kAssertReportPrefix))
        return;
      llvm::StringRef report = text.getValue();
      withAsserts.sites.push_back(report.substr(0, report.find(" failed in program")).str());
    });
    return vendor_->executable(options_.arch, withAsserts, std::move(*artifact), blockThreads(gpuModule),
                               dynamicSharedBytes(gpuModule));
  }

  mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                    const KernelInfo &) const override {
    mlir::Operation *gpuModule = gpuModuleOf(module);
    if (!gpuModule)
      return module.emitError("no gpu.module to generate code from");
    mlir::FailureOr<GpuCode> code =
        generate_gpu_code(gpuModule, vendor_->codegen(options_.arch), vendor_->needs_object(kind));
    if (mlir::failed(code))
      return mlir::failure();
    if (kind == "llvm")
      return code->llvm_ir;
    if (kind == kResourcesEmitKind) {
      mlir::FailureOr<KernelResources> used = vendor_->resources(module, options_.arch, *code);
      if (mlir::failed(used))
        return mlir::failure();
      // The assembler counts the shared memory a kernel declares; a block's dynamic shared
      // memory is the kernel's own count (tegula-allocate-shared-memory).
      const int64_t dynamic = dynamicSharedBytes(gpuModule);
      used->shared_bytes += dynamic;
      std::string report = "registers: " + std::to_string(used->registers) +
                           "\nspills: " + std::to_string(used->spills) +
                           "\nscratch_bytes: " + std::to_string(used->scratch_bytes) +
                           "\nshared_bytes: " + std::to_string(used->shared_bytes) +
                           "\ndynamic_shared_bytes: " + std::to_string(dynamic) +
                           "\nsgpr_spills: " + std::to_string(used->sgpr_spills) + "\n";
      if (const int64_t threads = blockThreads(gpuModule); threads > 0) {
        const Occupancy o = vendor_->occupancy(options_.arch, *used, threads);
        report += "occupancy_blocks: " + std::to_string(o.blocks) + "\noccupancy_warps: " + std::to_string(o.warps) +
                  "\noccupancy_max_warps: " + std::to_string(o.max_warps) + "\noccupancy_limit: " + o.limit + "\n";
      }
      return report;
    }
    return vendor_->finish(module, options_.arch, *code, kind);
  }

private:
  /// The gpu.module code is generated from (the last one), or null.
  static mlir::Operation *gpuModuleOf(mlir::ModuleOp module) {
    mlir::Operation *gpuModule = nullptr;
    for (auto m : module.getOps<mlir::gpu::GPUModuleOp>())
      gpuModule = m;
    return gpuModule;
  }
  /// The block's threads, as the lowering fixed them on the kernel (the LLVM function
  /// carries them as gpu.known_block_size); 0 if it did not.
  static int64_t blockThreads(mlir::Operation *gpuModule) {
    int64_t threads = 0;
    gpuModule->walk([&](mlir::Operation *op) {
      auto size =
          op->getAttrOfType<mlir::DenseI32ArrayAttr>(mlir::gpu::GPUDialect::KnownBlockSizeAttrHelper::getNameStr());
      if (size && size.size() == 3)
        threads = std::max<int64_t>(threads, int64_t{size[0]} * size[1] * size[2]);
    });
    return threads;
  }
  /// The dynamic shared memory a block asks for at launch (tegula-allocate-shared-memory
  /// put the count on the kernel); the assembler counts only what the kernel declares.
  static int64_t dynamicSharedBytes(mlir::Operation *gpuModule) {
    int64_t dynamic = 0;
    gpuModule->walk([&](mlir::Operation *op) {
      if (auto bytes = op->getAttrOfType<mlir::IntegerAttr>(ir::kDynamicSharedBytesAttrName))
        dynamic = std::max<int64_t>(dynamic, bytes.getInt());
    });
    return dynamic;
  }

  std::shared_ptr<const VendorHooks> vendor_;
  GpuTargetOptions options_;
  TargetDescription description_;
};

} // namespace

Occupancy bounded_occupancy(int64_t warpsPerBlock, int64_t maxWarps,
                            std::initializer_list<std::pair<const char *, int64_t>> limits) {
  Occupancy o;
  o.max_warps = maxWarps;
  o.blocks = -1;
  for (const auto &[name, blocks] : limits)
    if (o.blocks < 0 || std::max<int64_t>(0, blocks) < o.blocks) {
      o.blocks = std::max<int64_t>(0, blocks);
      o.limit = name;
    }
  o.blocks = std::max<int64_t>(0, o.blocks);
  o.warps = o.blocks * warpsPerBlock;
  return o;
}

std::unique_ptr<const compiler::Target> make_gpu_target(std::shared_ptr<const VendorHooks> vendor,
                                                        GpuTargetOptions options) {
  return std::make_unique<GpuTarget>(std::move(vendor), std::move(options));
}

GpuTargetOptions parse_gpu_options(const std::string &target, const compiler::TargetOptions &options,
                                   const std::vector<GpuArch> &archs) {
  GpuTargetOptions o;
  o.arch = archs.front();
  std::string known;
  for (const GpuArch &a : archs)
    known += (known.empty() ? "" : ", ") + a.name;
  for (const auto &[key, value] : options) {
    if (key == "arch" || value.empty()) {
      const std::string name = key == "arch" ? value : key;
      auto it = std::find_if(archs.begin(), archs.end(), [&](const GpuArch &a) { return a.name == name; });
      if (it == archs.end())
        throw Error(ErrorCode::InvalidArgument,
                    "the " + target + " target has no architecture '" + name + "' (" + known + ")");
      o.arch = *it;
    } else if (key == "num-warps") {
      int64_t n = 0;
      try {
        size_t used = 0;
        n = std::stoll(value, &used);
        if (used != value.size())
          n = 0;
      } catch (const std::exception &) {
        n = 0;
      }
      if (n < 1 || n > 32 || (n & (n - 1)) != 0)
        throw Error(ErrorCode::InvalidArgument,
                    target + " option num-warps takes a power of two from 1 to 32, got '" + value + "'");
      o.num_warps = n;
    } else if (key == "plant-bug") {
      if (!value.empty() && value != "gpu-drop-barrier" && value != "gpu-shift-exchange" &&
          value != "gpu-swap-fragment" && value != "gpu-drop-async-wait") // empty: none
        throw Error(ErrorCode::InvalidArgument, target + " option plant-bug takes gpu-drop-barrier, "
                                                         "gpu-shift-exchange, gpu-swap-fragment or gpu-drop-async-wait, "
                                                         "got '" + value + "'");
      o.plant_bug = value;
    } else {
      throw Error(ErrorCode::InvalidArgument,
                  "unknown " + target + " option '" + key + "' (<arch> or arch=<arch>, num-warps=N, plant-bug=NAME)");
    }
  }
  return o;
}

} // namespace tegula::gpu
