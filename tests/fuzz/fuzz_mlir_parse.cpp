// tegula-opt's front door: parse and verify any text as a module with every dialect
// tegula-opt registers (tile, maia and the upstream ones the pipelines use). Malformed
// input must end in a diagnostic, never a crash; the verifiers of tile and maia ops are
// what this exercises beyond upstream's parser.
#include "tegula/compiler/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <string>

namespace {

mlir::MLIRContext &context() {
  static mlir::MLIRContext *ctx = [] {
    mlir::DialectRegistry registry;
    tegula::registerAllDialects(registry);
    auto *c = new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    // Diagnostics of malformed input are expected; keep them off the fuzzer's output.
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
    return c;
  }();
  return *ctx;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer reads its buffer up to a terminating NUL (parseSourceString on a
  // StringRef that does not have one reads past it): give it one, as tegula-opt's
  // file buffers and the compile driver's std::string IR do.
  const std::string text(reinterpret_cast<const char *>(data), size);
  mlir::ParserConfig config(&context());
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(text, config);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
