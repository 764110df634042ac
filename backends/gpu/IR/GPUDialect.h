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
/// Beside it: `array<i64: dim, elements>`, the widest vector that the axis info proves
/// contiguous, aligned and evenly masked (16 bytes at most) along tile dimension `dim`.
/// The access moves each thread's registers in vectors as long as its layout's
/// contiguous registers along `dim` allow, up to that; without it, one at a time.
inline constexpr llvm::StringLiteral kWidestVectorAttrName = "tgpu.widest_vector";
/// On a gpu.func whose shared memory is dynamic (tegula-allocate-shared-memory): the
/// bytes its launch must provide.
inline constexpr llvm::StringLiteral kDynamicSharedBytesAttrName = "tgpu.dynamic_shared_bytes";

/// On the shared-memory loads and stores of one tile exchange (one buffer written, then
/// read, by one op of the tile kernel): its number, which tells the barrier insertion
/// that the writes of one exchange never meet. Removed by tegula-insert-gpu-barriers.
inline constexpr llvm::StringLiteral kExchangeAttrName = "tgpu.exchange";
/// How the report of a failed device_assert starts (then the kernel, the message and the
/// source position), so that what compiles a kernel can find its assertions.
inline constexpr llvm::StringLiteral kAssertReportPrefix = "device assertion failed: kernel '";
/// On a tile.dot: the matrix instruction (MatrixInstruction.h) its accumulator's layout
/// is tiled for, which the lowering then issues.
inline constexpr llvm::StringLiteral kMatrixInstructionAttrName = "tgpu.matrix_instruction";

/// The block a layout distributes a tile over.
struct BlockShape {
  int64_t warps = 1, lanes = 1;
  bool operator==(const BlockShape &) const = default;
};

/// On a kernel: the block it runs as (attributes tgpu.num_warps and tgpu.warp_size),
/// which the first GPU pass records and the later ones read.
void setBlock(mlir::Operation *kernel, BlockShape block);
std::optional<BlockShape> getBlock(mlir::Operation *kernel);

/// Whether `encoding` is one of this dialect's layouts (blocked, linear, or a slice of one).
bool isLayout(mlir::Attribute encoding);
/// The block of a layout; nullopt for anything else.
std::optional<BlockShape> blockOf(mlir::Attribute encoding);
/// A layout for a tile of `shape`, as data; a failure (with `emitError`'s diagnostic)
/// for an encoding that is not a layout or a shape it cannot hold.
mlir::FailureOr<LinearLayout> toLinearLayout(mlir::Attribute encoding, llvm::ArrayRef<int64_t> shape,
                                             llvm::function_ref<mlir::InFlightDiagnostic()> emitError);
/// The layout of a tile type's encoding.
mlir::FailureOr<LinearLayout> toLinearLayout(mlir::RankedTensorType type,
                                             llvm::function_ref<mlir::InFlightDiagnostic()> emitError);
} // namespace tegula::gpu::ir

#endif
