// The maia dialect: the Maia-style machine's commands on SSA scalars, one step above
// its ISA (docs/maia.md).
#ifndef TEGULA_DIALECTS_MAIA_IR_MAIADIALECT_H
#define TEGULA_DIALECTS_MAIA_IR_MAIADIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/maia/IR/MaiaDialect.h.inc"
#include "dialects/maia/IR/MaiaEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/maia/IR/MaiaOps.h.inc"

namespace tegula::maia::ir {
/// Attribute on the func.func that is a Maia kernel.
inline constexpr llvm::StringLiteral kKernelAttrName = "maia.kernel";
/// Unit attribute on a Maia kernel whose program runs on 2x2 squares of the grid, one
/// per cluster group (tegula::maia::GridMapping::ClusterSquares).
inline constexpr llvm::StringLiteral kClusterSquaresAttrName = "maia.cluster_squares";
/// Array of strings on a Maia kernel: the text of each debug site its dbg.print and
/// dbg.assert name by number (device_print, device_assert).
inline constexpr llvm::StringLiteral kDebugSitesAttrName = "maia.debug_sites";
} // namespace tegula::maia::ir

#endif
