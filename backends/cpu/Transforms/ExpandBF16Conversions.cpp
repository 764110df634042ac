// tegula-expand-bf16-conversions: f32 <-> bf16 conversions as integer arithmetic
// (see Passes.td for why).
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULAEXPANDBF16CONVERSIONS
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;

namespace {

struct ExpandBF16ConversionsPass
    : public tegula::cpu::impl::TegulaExpandBF16ConversionsBase<ExpandBF16ConversionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
