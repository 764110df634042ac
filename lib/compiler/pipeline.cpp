#include "pipeline.h"

#include "tegula/compiler/Registration.h"
#include "tegula/runtime/error.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <iostream>
#include <mutex>

namespace tegula::compiler {

using namespace mlir;

std::unique_ptr<MLIRContext> make_context() {
  static std::once_flag once;
  std::call_once(once, [] { tegula::registerAllPasses(); });
  DialectRegistry registry;
  tegula::registerAllDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  context->printOpOnDiagnostic(false);
  return context;
}

/// Collects diagnostics into one message for an Error.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext &context)
      : handler_(&context, [this](Diagnostic &diag) {
          llvm::raw_string_ostream os(text_);
          os << diag.getLocation() << ": " << diag.str() << "\n";
          for (const Diagnostic &note : diag.getNotes())
            os << "  note: " << note.str() << "\n";
          return success();
        }) {}
  const std::string &text() const { return text_; }

private:
  std::string text_;
  ScopedDiagnosticHandler handler_;
};

OwningOpRef<ModuleOp> parse_module(MLIRContext &context, const std::string &ir, const std::string &source_name) {
  DiagnosticCollector diagnostics(context);
  auto module = parseSourceString<ModuleOp>(ir, ParserConfig(&context), source_name);
  if (!module)
    throw Error(ErrorCode::CompileError, "cannot parse kernel IR: " + diagnostics.text());
  return module;
}

std::string print(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  return text;
}

void run_stages(ModuleOp module, const std::vector<Stage> &stages, const CompileOptions &options,
                std::vector<StageIR> *record, const std::string &stop_after) {
  MLIRContext &context = *module.getContext();
  for (const Stage &stage : stages) {
    PassManager pm(&context, ModuleOp::getOperationName());
    pm.setNesting(OpPassManager::Nesting::Implicit);
    std::string errors;
    llvm::raw_string_ostream errorStream(errors);
    if (failed(parsePassPipeline(stage.passes, pm, errorStream)))
      throw Error(ErrorCode::CompileError, "bad pipeline for stage '" + stage.name + "': " + errors);
    DiagnosticCollector diagnostics(context);
    if (failed(pm.run(module)))
      throw Error(ErrorCode::CompileError, "stage '" + stage.name + "' failed: " + diagnostics.text());
    if (record || options.dump_ir) {
      std::string ir = print(module);
      if (options.dump_ir) {
        std::ostream &os = options.dump_stream ? *options.dump_stream : std::cerr;
        os << "// ----- IR after stage '" << stage.name << "' -----\n" << ir << "\n";
      }
      if (record)
        record->push_back({stage.name, std::move(ir)});
    }
    if (stage.name == stop_after)
      return;
  }
}

} // namespace tegula::compiler
