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

const mlir::DialectRegistry &registry() {
  static const mlir::DialectRegistry *r = [] {
    auto *reg = new mlir::DialectRegistry();
    tegula::registerAllDialects(*reg);
    return reg;
  }();
  return *r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer reads its buffer up to a terminating NUL (parseSourceString on a
  // StringRef that does not have one reads past it): give it one, as tegula-opt's
  // file buffers and the compile driver's std::string IR do.
  const std::string text(reinterpret_cast<const char *>(data), size);
  // A context per input, as the compile driver makes one per compile: a finding then
  // depends on its input alone and replays (a context shared across inputs once gave a
  // report that no single input reproduced).
  mlir::MLIRContext context(registry(), mlir::MLIRContext::Threading::DISABLED);
  // Diagnostics of malformed input are expected; keep them off the fuzzer's output.
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
  mlir::ParserConfig config(&context);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(text, config);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
