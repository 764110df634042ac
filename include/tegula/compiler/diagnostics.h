// Inside the compiler, failures are MLIR diagnostics on the op they concern and results
// are FailureOr; only the public API turns them into an Error. This collects a
// context's diagnostics into the text of that Error, and parses IR text the same way.
#ifndef TEGULA_COMPILER_DIAGNOSTICS_H
#define TEGULA_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace tegula::compiler {

/// While it lives, takes every diagnostic of `context` ("<location>: <message>" lines,
/// notes indented below).
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &context);
  const std::string &text() const { return text_; }

private:
  std::string text_;
  mlir::ScopedDiagnosticHandler handler_;
};

/// Parses IR text; the parser's diagnostics go to the context's handlers (a collector).
mlir::OwningOpRef<mlir::ModuleOp> parse_module(mlir::MLIRContext &context, const std::string &ir,
                                               const std::string &source_name = "");

} // namespace tegula::compiler

#endif
