// The tgpu dialect: layout encodings of tile values on a GPU block, and the ops that
// move tiles between them (GPUDialect.td).
#ifndef TEGULA_BACKENDS_GPU_IR_GPUDIALECT_H
#define TEGULA_BACKENDS_GPU_IR_GPUDIALECT_H

#include "backends/gpu/Layout/LinearLayout.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "backends/gpu/IR/GPUDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "backends/gpu/IR/GPUAttrs.h.inc"

#define GET_OP_CLASSES
#include "backends/gpu/IR/GPUOps.h.inc"

namespace tegula::gpu::ir {
/// On a global load or store: the blocked layout that coalesces it
/// (tegula-coalesce-gpu-accesses).
inline constexpr llvm::StringLiteral kAccessLayoutAttrName = "tgpu.access_layout";
} // namespace tegula::gpu::ir

#endif
