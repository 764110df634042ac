#include "backends/cpu/Pipeline.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

namespace tegula::cpu {

std::vector<PipelineStage> pipelineStages(bool boundsCheck) {
  std::string check = boundsCheck ? "true" : "false";
  return {
      {"tile", "canonicalize,cse"},
      {"linalg", "tegula-expand-f64-to-bf16,tegula-convert-tile-to-linalg{bounds-check=" + check +
                     "},tegula-emit-cpu-entry,canonicalize,convert-elementwise-to-linalg,"
                     "linalg-fuse-elementwise-ops,canonicalize,cse"},
      {"bufferized", "one-shot-bufferize{bufferize-function-boundaries=1 allow-return-allocs-from-loops=1},"
                     "canonicalize,cse,ownership-based-buffer-deallocation,canonicalize,"
                     "buffer-deallocation-simplification,bufferization-lower-deallocations,canonicalize,cse"},
      {"loops", "func.func(tegula-lower-matmul-to-microkernel,tegula-copies-to-linalg),convert-linalg-to-loops,lower-affine,"
                 "arith-emulate-unsupported-floats{source-types=bf16 target-type=f32},"
                 "math-extend-to-supported-types{extra-types=f16 target-type=f32},tegula-expand-bf16-conversions,"
                 "canonicalize,cse"},
      {"llvm", "convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,expand-strided-metadata,"
               "finalize-memref-to-llvm,convert-to-llvm,reconcile-unrealized-casts,canonicalize"},
  };
}

namespace {
struct CpuPipelineOptions : public mlir::PassPipelineOptions<CpuPipelineOptions> {
  Option<bool> boundsCheck{*this, "bounds-check", llvm::cl::desc("check every memory access"),
                           llvm::cl::init(false)};
};
} // namespace

void registerCpuPipeline() {
  mlir::PassPipelineRegistration<CpuPipelineOptions>(
      "tegula-cpu-pipeline", "The whole CPU lowering, tile dialect to LLVM dialect",
      [](mlir::OpPassManager &pm, const CpuPipelineOptions &options) {
        for (const PipelineStage &stage : pipelineStages(options.boundsCheck))
          if (failed(mlir::parsePassPipeline(stage.passes, pm, llvm::errs())))
            llvm::errs() << "tegula-cpu-pipeline: bad stage '" << stage.name << "'\n";
      });
}

} // namespace tegula::cpu
