// Running a target's named stages on a module, with the context and diagnostics they
// need; every stage's IR can be recorded and printed.
#ifndef TEGULA_LIB_COMPILER_PIPELINE_H
#define TEGULA_LIB_COMPILER_PIPELINE_H

#include "tegula/compiler/compile.h"
#include "tegula/compiler/target_backend.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <string>
#include <vector>

namespace tegula::compiler {

/// Runs `stages` on `module`, stopping after the stage named `stop_after` (all when
/// empty). Records each stage's IR into `record` and prints it when options ask.
void run_stages(mlir::ModuleOp module, const std::vector<Stage> &stages, const CompileOptions &options,
                std::vector<StageIR> *record, const std::string &stop_after = "");

std::string print(mlir::Operation *op);

} // namespace tegula::compiler

#endif
