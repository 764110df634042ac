#include "tegula/compiler/diagnostics.h"

#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

namespace tegula::compiler {

namespace {

/// "file:line:col" for a file location (a kernel's C++ line, an .mlir file), as
/// compilers print them; anything else as MLIR prints it.
void print_location(llvm::raw_ostream &os, mlir::Location loc) {
  if (auto file = mlir::dyn_cast<mlir::FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":" << file.getColumn();
  else
    os << loc;
}

} // namespace

DiagnosticCollector::DiagnosticCollector(mlir::MLIRContext &context)
    : handler_(&context, [this](mlir::Diagnostic &diag) {
        llvm::raw_string_ostream os(text_);
        print_location(os, diag.getLocation());
        os << ": " << diag.str() << "\n";
        for (const mlir::Diagnostic &note : diag.getNotes())
          os << "  note: " << note.str() << "\n";
        return mlir::success();
      }) {}

mlir::OwningOpRef<mlir::ModuleOp> parse_module(mlir::MLIRContext &context, const std::string &ir,
                                               const std::string &source_name) {
  return mlir::parseSourceString<mlir::ModuleOp>(ir, mlir::ParserConfig(&context), source_name);
}

} // namespace tegula::compiler
