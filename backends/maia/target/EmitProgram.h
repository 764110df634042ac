// From the maia dialect to the machine's ISA: register allocation of the i64 scalars
// and layout of scf control flow into branches. The last step of the maia target.
#ifndef TEGULA_BACKENDS_MAIA_TARGET_EMITPROGRAM_H
#define TEGULA_BACKENDS_MAIA_TARGET_EMITPROGRAM_H

#include "tegula/maia/isa.h"

#include "mlir/IR/BuiltinOps.h"

namespace tegula::maia {

/// Translates the func.func carrying `maia.kernel` in `module` into a program whose
/// source lines are the ops' locations (the module is rewritten on the way: constants
/// are copied next to their uses). Anything the ISA cannot express (unsupported ops,
/// more scalars live at once than registers, types other than i64/index) is a
/// diagnostic on the op, and the result a failure.
mlir::FailureOr<Program> emit_program(mlir::ModuleOp module);

} // namespace tegula::maia

#endif
