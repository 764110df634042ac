// Passes of the GPU lowering that every GPU target shares.
#ifndef TEGULA_BACKENDS_GPU_TRANSFORMS_PASSES_H
#define TEGULA_BACKENDS_GPU_TRANSFORMS_PASSES_H

#include "backends/gpu/IR/GPUDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace tegula::gpu {
#define GEN_PASS_DECL
#include "backends/gpu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "backends/gpu/Transforms/Passes.h.inc"

/// What the GPU lowering adds to a Tegula context: the tgpu dialect, and its passes.
void registerGpuDialects(mlir::DialectRegistry &registry);
void registerGpuPasses();
} // namespace tegula::gpu

#endif
