// maia-dialect text -> ISA program, for `tegula maia emit` and tests. A context of its
// own, with the dialects the maia dialect's kernels are written in: the maia target
// does not reach up to the compile driver's context with every target's dialects.
#include "tegula/maia/emit.h"

#include "backends/maia/target/EmitProgram.h"
#include "dialects/maia/IR/MaiaDialect.h"
#include "tegula/compiler/diagnostics.h"
#include "tegula/runtime/error.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/MLIRContext.h"

namespace tegula {

maia::Program emit_maia_program(const std::string &mlir_text, const std::string &source_name) {
  mlir::DialectRegistry registry;
  registry.insert<maia::ir::MaiaDialect, mlir::arith::ArithDialect, mlir::func::FuncDialect, mlir::math::MathDialect,
                  mlir::scf::SCFDialect>();
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  compiler::DiagnosticCollector diagnostics(context);
  auto module = compiler::parse_module(context, mlir_text, source_name);
  if (!module)
    throw Error(ErrorCode::CompileError, "cannot parse kernel IR: " + diagnostics.text());
  mlir::FailureOr<maia::Program> program = maia::emit_program(*module);
  if (mlir::failed(program))
    throw Error(ErrorCode::CompileError, diagnostics.text());
  return std::move(*program);
}

} // namespace tegula
