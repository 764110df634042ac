// The tile dialect: Tegula's portable IR of a tile kernel.
#ifndef TEGULA_DIALECTS_TILE_IR_TILEDIALECT_H
#define TEGULA_DIALECTS_TILE_IR_TILEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <string>

#include "dialects/tile/IR/TileDialect.h.inc"
#include "dialects/tile/IR/TileEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/tile/IR/TileTypes.h.inc"

#define GET_OP_CLASSES
#include "dialects/tile/IR/TileOps.h.inc"

namespace tegula::tile {
/// Attribute on a func.func that marks it as a tile kernel.
inline constexpr llvm::StringLiteral kKernelAttrName = "tile.kernel";
/// Integer argument attribute of a kernel's integer or pointer argument: a number that
/// divides the argument (for a pointer, its address counted in elements of the pointee),
/// which the kernel was traced to assume and every launch checks (ArgSpec::multiple_of).
inline constexpr llvm::StringLiteral kDivisibilityAttrName = "tile.divisibility";
/// Integer attribute of a kernel: the warps one program instance runs as on targets
/// whose threads run in warps, a power of two (a meta-parameter the kernel chose, like
/// its block sizes). Targets without warps ignore it; without it, a GPU target takes
/// its num-warps option.
inline constexpr llvm::StringLiteral kNumWarpsAttrName = "tile.num_warps";
/// The most warps a kernel may ask for; a target may allow fewer (threads per block).
inline constexpr int64_t kMaxNumWarps = 32;
/// Integer attribute of a kernel: how many iterations of a loop whose operands go
/// through shared memory are in flight at once, 1 to kMaxNumStages (a meta-parameter):
/// a target with asynchronous copies to shared memory loads that many iterations ahead
/// into as many buffers. Other targets ignore it.
inline constexpr llvm::StringLiteral kNumStagesAttrName = "tile.num_stages";
inline constexpr int64_t kMaxNumStages = 8;
/// Shape of a tile type, or {} for a scalar.
llvm::ArrayRef<int64_t> shapeOf(mlir::Type type);
/// Element type of a tile type, or the type itself for a scalar.
mlir::Type elementTypeOf(mlir::Type type);
/// What a reduction or scan of `kind` makes of two elements: the sum, or the maximum or
/// minimum (floats by maxnumf/minnumf, so NaN loses to a number; integers signed).
/// Every backend combines with this, so that they agree on what `max` means. Not for
/// the arg kinds, which carry indices.
mlir::Value combineElements(mlir::OpBuilder &b, mlir::Location loc, ReduceKind kind, mlir::Value x, mlir::Value y);
/// The reduction that combines as a scan of `kind` does.
ReduceKind combiningKind(ScanKind kind);
/// An op's source position as reports name it: "file:line:col" (the first of a fused
/// location), or the location printed.
std::string sourcePosition(mlir::Location loc);
} // namespace tegula::tile

#endif
