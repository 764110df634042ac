// What the Maia lowering says when it refuses a kernel: the construct as the kernel
// language writes it, whether the machine cannot compute it or the lowering does not
// yet, and why. The diagnostic is attached to the construct's op, so the compile
// error also names the kernel's source line. docs/maia.md lists every refusal the
// conformance suite meets.
#ifndef TEGULA_BACKENDS_MAIA_CONVERSION_REFUSAL_H
#define TEGULA_BACKENDS_MAIA_CONVERSION_REFUSAL_H

#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace tegula::maia::lowering {

/// A machine limit is what no sequence of the machine's instructions computes within
/// the correctness policy (a kernel whose live tiles outgrow a tile's TSRAM); anything
/// else is a lowering not written yet.
enum class RefusalKind { NotLowered, MachineLimit };

/// The construct `op` is in the kernel language ("`tanh` of f32 tiles", "a masked
/// `load` of i32 tiles", "integer `%` of i32 tiles"); "the kernel" when null.
std::string constructOf(mlir::Operation *op);

/// "<construct>: not lowered to Maia yet: <why>" or
/// "<construct>: beyond the Maia machine: <why>".
std::string refusalMessage(mlir::Operation *op, RefusalKind kind, const std::string &why);

} // namespace tegula::maia::lowering

#endif
