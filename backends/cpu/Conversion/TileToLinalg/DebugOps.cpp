// tile.print and tile.assert on the CPU: each element becomes a call into the runtime,
// which knows the program instance and turns a failed assertion into a launch error
// naming the kernel's source line.
#include "backends/cpu/Conversion/TileToLinalg/Patterns.h"
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace tegula;
using namespace tegula::cpu;

namespace {

template <typename Op>
struct DebugPattern : public OpConversionPattern<Op> {
  DebugPattern(TypeConverter &converter, MLIRContext *ctx, LoweringState &state)
      : OpConversionPattern<Op>(converter, ctx), state(state) {}
  LoweringState &state;
};

/// Calls `fn(b, loc, element, linear index)` for every element of `value` (once, with
/// index -1, for a scalar).
void forEachElement(OpBuilder &b, Location loc, Value value,
                    llvm::function_ref<void(OpBuilder &, Location, Value, Value)> fn) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type) {
    fn(b, loc, value, arith::ConstantIntOp::create(b, loc, b.getI64Type(), -1));
    return;
  }
  forEachIndex(b, loc, type.getShape(), {}, [&](OpBuilder &nb, Location l, ValueRange ivs, ValueRange) {
    Value linear = arith::ConstantIndexOp::create(nb, l, 0);
    for (auto [d, iv] : llvm::enumerate(ivs)) {
      Value size = arith::ConstantIndexOp::create(nb, l, type.getDimSize(d));
      linear = arith::AddIOp::create(nb, l, arith::MulIOp::create(nb, l, linear, size), iv);
    }
    fn(nb, l, tensor::ExtractOp::create(nb, l, value, ivs), toI64(nb, l, linear));
    return scf::ValueVector{};
  });
}

struct PrintPattern : public DebugPattern<tile::PrintOp> {
  using DebugPattern::DebugPattern;
  LogicalResult matchAndRewrite(tile::PrintOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int32_t site = state.addSite(op, ("print \"" + op.getPrefix() + "\"").str());
    Location loc = op.getLoc();
    Value siteId = arith::ConstantIntOp::create(rewriter, loc, rewriter.getI32Type(), site);
    for (Value value : adaptor.getValues())
      forEachElement(rewriter, loc, value, [&](OpBuilder &b, Location l, Value x, Value index) {
        if (isa<FloatType>(x.getType())) {
          Value wide = x.getType().isF64() ? x : Value(arith::ExtFOp::create(b, l, b.getF64Type(), x));
          func::CallOp::create(b, l, kPrintFloatFn, TypeRange{}, ValueRange{siteId, index, wide});
        } else {
          Value wide = x.getType().isInteger(1) ? Value(arith::ExtUIOp::create(b, l, b.getI64Type(), x)) : toI64(b, l, x);
          func::CallOp::create(b, l, kPrintIntFn, TypeRange{}, ValueRange{siteId, index, wide});
        }
      });
    rewriter.eraseOp(op);
    return success();
  }
};

struct AssertPattern : public DebugPattern<tile::AssertOp> {
  using DebugPattern::DebugPattern;
  LogicalResult matchAndRewrite(tile::AssertOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int32_t site = state.addSite(op, ("assertion \"" + op.getMessage() + "\"").str());
    Location loc = op.getLoc();
    Value siteId = arith::ConstantIntOp::create(rewriter, loc, rewriter.getI32Type(), site);
    forEachElement(rewriter, loc, adaptor.getCondition(), [&](OpBuilder &b, Location l, Value ok, Value index) {
      Value failed = arith::XOrIOp::create(b, l, ok, arith::ConstantIntOp::create(b, l, b.getI1Type(), 1));
      scf::IfOp::create(b, l, failed, [&](OpBuilder &tb, Location tl) {
        func::CallOp::create(tb, tl, kAssertFailFn, TypeRange{}, ValueRange{siteId, index});
        scf::YieldOp::create(tb, tl);
      });
    });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void tegula::cpu::populateDebugPatterns(TileTypeConverter &converter, RewritePatternSet &patterns,
                                        LoweringState &state) {
  patterns.add<PrintPattern, AssertPattern>(converter, patterns.getContext(), state);
}
