#include "dialects/tile/Analysis/TestAxisInfo.h"

#include "dialects/tile/Analysis/AxisInfo.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace tegula::tile;

namespace {
struct TestAxisInfoPass : PassWrapper<TestAxisInfoPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestAxisInfoPass)

  StringRef getArgument() const final { return "tegula-test-axis-info"; }
  StringRef getDescription() const final {
    return "Report the axis info of every integer and pointer value as remarks";
  }

  void runOnOperation() override {
    AxisInfoAnalysis analysis(getOperation());
    // Diagnostics take strings, not arbitrary printables.
    auto str = [](const AxisInfo &info) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << info;
      return text;
    };
    getOperation()->walk([&](Operation *op) {
      // Arguments have no op of their own; the op owning their block stands in.
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (const AxisInfo *info = analysis.getAxisInfo(arg))
              op->emitRemark() << "arg #" << arg.getArgNumber() << ": " << str(*info);
      for (OpResult result : op->getResults()) {
        const AxisInfo *info = analysis.getAxisInfo(result);
        if (!info)
          continue;
        InFlightDiagnostic remark = op->emitRemark();
        if (op->getNumResults() > 1)
          remark << "result #" << result.getResultNumber() << ": ";
        remark << str(*info);
      }
    });
  }
};
} // namespace

void tegula::tile::registerTestAxisInfoPass() { PassRegistration<TestAxisInfoPass>(); }
