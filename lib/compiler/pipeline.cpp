#include "pipeline.h"

#include "tegula/compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
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

std::string print(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  return text;
}

LogicalResult run_stages(ModuleOp module, const std::vector<Stage> &stages, const CompileOptions &options,
                         std::vector<StageIR> *record, const std::string &stop_after, std::string *failed_stage) {
  MLIRContext &context = *module.getContext();
  for (const Stage &stage : stages) {
    PassManager pm(&context, ModuleOp::getOperationName());
    pm.setNesting(OpPassManager::Nesting::Implicit);
    std::string errors;
    llvm::raw_string_ostream errorStream(errors);
    if (failed_stage)
      *failed_stage = stage.name;
    if (failed(parsePassPipeline(stage.passes, pm, errorStream)))
      return module.emitError("bad pipeline: ") << errors;
    if (failed(pm.run(module)))
      return failure();
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
      break;
  }
  return success();
}

} // namespace tegula::compiler
