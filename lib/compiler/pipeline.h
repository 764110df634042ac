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

/// A context with every dialect, extension and translation the pipelines of this
/// build's targets need.
std::unique_ptr<mlir::MLIRContext> make_context();

/// Runs `stages` on `module`, stopping after the stage named `stop_after` (all when
/// empty). Records each stage's IR into `record` and prints it when options ask. A
/// failure is in the context's diagnostics, and `failed_stage` names its stage.
mlir::LogicalResult run_stages(mlir::ModuleOp module, const std::vector<Stage> &stages,
                               const CompileOptions &options, std::vector<StageIR> *record,
                               const std::string &stop_after, std::string *failed_stage);

std::string print(mlir::Operation *op);

} // namespace tegula::compiler

#endif
