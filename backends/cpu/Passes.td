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

def TegulaLowerMatmulToMicrokernel
    : Pass<"tegula-lower-matmul-to-microkernel", "::mlir::func::FuncOp"> {
  let summary = "Register-tile bufferized linalg.matmul into a vector FMA microkernel";
  let description = [{
    A statically shaped matmul on memrefs (f32, f16 or bf16 inputs, f32 output) whose
    M and N divide the register block becomes: for each MR x NR block of C, MR*NR/VL
    vector accumulators loaded once, a k loop that loads NR/VL vectors of a B row,
    broadcasts MR elements of an A column and issues MR*NR/VL vector FMAs, then one
    store. Other matmuls are left for convert-linalg-to-loops.
  }];
  let options = [
    Option<"vectorLength", "vector-length", "int64_t", "16", "f32 lanes per vector">,
    Option<"rowsPerBlock", "rows", "int64_t", "8", "rows of C per register block (MR)">,
    Option<"vectorsPerRow", "vectors-per-row", "int64_t", "2", "vectors per row of the block (NR / VL)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect"];
}

def TegulaCopiesToLinalg : Pass<"tegula-copies-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy, so copies become compiled loops";
  let description = [{
    Bufferization copies strided views (slices of joined or split tiles) with
    memref.copy, whose LLVM lowering calls `memrefCopy` from MLIR's C runner library.
    Kernels must not depend on that library (AOT objects are loaded by the LLVM-free
    runtime), so copies go through linalg and convert-linalg-to-loops instead.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TegulaExpandBF16Conversions : Pass<"tegula-expand-bf16-conversions", "::mlir::ModuleOp"> {
  let summary = "Convert between f32 and bf16 with integer arithmetic, without a libcall";
  let description = [{
    LLVM lowers `fptrunc float to bfloat` to an instruction on x86 hosts with
    AVX512-BF16 or AVX-NE-CONVERT and to a call of `__truncsfbf2` on the others;
    neither the JIT nor the LLVM-free runtime provides that function (GCC 12's libgcc
    does not either), so a kernel compiled on such a host would not load. The rounding
    to nearest even (and the widening, a shift) are spelled out as integer operations
    on the bit patterns instead, so the code is the same on every host. Runs on
    scalars, after the loops are formed, and after bf16 arithmetic has been made f32
    arithmetic between conversions (`arith-emulate-unsupported-floats`,
    `math-extend-to-supported-types`): LLVM would otherwise promote it the same way,
    calling `__truncsfbf2` for each result. (bf16 values LLVM still promotes, in phis
    and selects, call the copy of `__truncsfbf2` the code generator defines in each
    kernel that uses bf16: CodeGen.cpp.)
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TegulaExpandF64ToBF16 : Pass<"tegula-expand-f64-to-bf16", "::mlir::ModuleOp"> {
  let summary = "Round f64 to bf16 through f32 with round-to-odd, without a libcall";
  let description = [{
    LLVM lowers `fptrunc double to bfloat` on x86 to a call of `__truncdfbf2`, which
    neither the JIT nor the LLVM-free runtime provides. Rounding to f32 first and then
    to bf16 would round twice (wrong in the halfway cases), so the f32 value is made
    round-to-odd: truncated toward zero, with its last bit set when it is inexact. f32
    keeps more than bf16's 8 significant bits plus two, so the final f32 -> bf16
    rounding to nearest even is then correctly rounded. Works on scalars and tensors.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

#endif
