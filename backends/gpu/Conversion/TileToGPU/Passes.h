// The conversion from laid-out tile kernels to per-thread code in upstream dialects.
#ifndef TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_PASSES_H
#define TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_PASSES_H

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tegula::gpu {
#define GEN_PASS_DECL
#include "backends/gpu/Conversion/TileToGPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "backends/gpu/Conversion/TileToGPU/Passes.h.inc"

void registerTileToGpuPasses();
} // namespace tegula::gpu

#endif
