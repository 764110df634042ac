// The module at a GPU target's emu-tap stage as a gpu-emu Program.
#ifndef TEGULA_BACKENDS_GPU_EMU_TARGET_TRANSLATE_H
#define TEGULA_BACKENDS_GPU_EMU_TARGET_TRANSLATE_H

#include "backends/gpu-emu/sim/Program.h"

#include "mlir/IR/BuiltinOps.h"

namespace tegula::gpuemu {

/// A failure is a diagnostic naming the op the emulator does not model.
mlir::FailureOr<Program> translate_to_program(mlir::ModuleOp module, int64_t warp_size);

} // namespace tegula::gpuemu

#endif
