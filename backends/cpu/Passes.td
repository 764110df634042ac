#ifndef TEGULA_BACKENDS_CPU_PASSES_TD
#define TEGULA_BACKENDS_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def TegulaConvertTileToLinalg : Pass<"tegula-convert-tile-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower tile kernels to linalg/tensor/scf on tensors for the CPU";
  let description = [{
    Pointers become i64 addresses; memory accesses become element loops whose bodies
    use `llvm.load`/`llvm.store` behind their masks; dot becomes linalg.matmul,
    reductions linalg.reduce. Program ids become six trailing i32 arguments of the
    kernel (pid x, y, z, then the grid size x, y, z). With `bounds-check`, every access
    first asks the runtime whether its bytes lie inside a launch buffer and is skipped,
    and reported with its source site, when they do not.
  }];
  let options = [
    Option<"boundsCheck", "bounds-check", "bool", "false",
           "Check every memory access against the launch's buffers">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::scf::SCFDialect", "::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect"];
}

def TegulaEmitCpuEntry : Pass<"tegula-emit-cpu-entry", "::mlir::ModuleOp"> {
  let summary = "Wrap each lowered kernel in the CPU runtime's calling convention";
  let description = [{
    Renames kernel `@k` to `@k.body` and adds `@k(!llvm.ptr args, !llvm.ptr grid)`:
    `args[i]` points to argument i's value (as CUDA's kernelParams) and `grid` holds
    six i32 (program id x, y, z, grid size x, y, z).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::func::FuncDialect"];
}

#endif
