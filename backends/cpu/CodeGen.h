// From the LLVM-dialect module of a CPU kernel to code: JIT-compiled in memory, or
// emitted as LLVM IR, assembly, an object or a shared object for the runtime's loader.
#ifndef TEGULA_BACKENDS_CPU_CODEGEN_H
#define TEGULA_BACKENDS_CPU_CODEGEN_H

#include "tegula/runtime/kernel.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace tegula::cpu {

/// JIT-compiles `module` for the host and returns the kernel `info.name`. Failures are
/// reported as diagnostics on the module.
mlir::FailureOr<Kernel> jit_cpu(mlir::ModuleOp module, const KernelInfo &info);

enum class CpuArtifact { LLVMIR, Assembly, Object, SharedObject };
/// Emits `module` (with `info` embedded for the loader) for the host CPU. Objects come
/// back as bytes.
mlir::FailureOr<std::string> emit_cpu(mlir::ModuleOp module, const KernelInfo &info, CpuArtifact artifact);

/// Access-site table recorded by the CPU lowering.
std::vector<std::string> access_sites(mlir::ModuleOp module);

} // namespace tegula::cpu

#endif
