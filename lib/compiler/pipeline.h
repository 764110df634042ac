// Pipelines: each target is a list of named stages, each a textual pass list, so the
// whole lowering is readable in one place and every stage's IR can be printed.
#ifndef TEGULA_LIB_COMPILER_PIPELINE_H
#define TEGULA_LIB_COMPILER_PIPELINE_H

#include "tegula/compiler/compile.h"
#include "tegula/maia/machine.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <string>
#include <vector>

namespace tegula::compiler {

struct Stage {
  std::string name;
  std::string passes;
};

struct Target {
  std::string name; ///< as given: "cpu"
  std::string kind; ///< "cpu"
};

/// Parses a target string; throws Error(Unsupported) naming the targets available.
Target parse_target(const std::string &text);

std::vector<Stage> cpu_stages(const CompileOptions &options);
/// Tile dialect -> maia dialect for a machine with `tsram_bytes` of TSRAM per tile; the
/// ISA program is emitted from the result.
std::vector<Stage> maia_stages(const CompileOptions &options, const maia::MachineSpec &machine);

/// A context with every dialect, extension and translation the pipelines need.
std::unique_ptr<mlir::MLIRContext> make_context();

/// Parses the traced IR; throws Error(CompileError) with the parser's message.
mlir::OwningOpRef<mlir::ModuleOp> parse_module(mlir::MLIRContext &context, const std::string &ir,
                                               const std::string &source_name = "");

/// Runs `stages` on `module`, stopping after the stage named `stop_after` (all when
/// empty). Records each stage's IR into `record` and prints it when options ask.
void run_stages(mlir::ModuleOp module, const std::vector<Stage> &stages, const CompileOptions &options,
                std::vector<StageIR> *record, const std::string &stop_after = "");

std::string print(mlir::Operation *op);

} // namespace tegula::compiler

#endif
