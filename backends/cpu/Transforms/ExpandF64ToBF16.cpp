// tegula-expand-f64-to-bf16: f64 -> bf16 truncation as f64 -> f32 (round to odd) -> bf16
// (see Passes.td for why).
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULAEXPANDF64TOBF16
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;

namespace {

/// `type` with its element type replaced (scalars and shaped types alike).
Type withElement(Type type, Type element) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(element);
  return element;
}

Value intConstant(OpBuilder &b, Location loc, Type type, int32_t value) {
  Type i32 = b.getI32Type();
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(shaped, b.getI32IntegerAttr(value)));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, value));
}

struct ExpandF64ToBF16Pass : public tegula::cpu::impl::TegulaExpandF64ToBF16Base<ExpandF64ToBF16Pass> {
  void runOnOperation() override {
    SmallVector<arith::TruncFOp> truncs;
    getOperation().walk([&](arith::TruncFOp op) {
      if (getElementTypeOrSelf(op.getIn().getType()).isF64() && getElementTypeOrSelf(op.getType()).isBF16())
        truncs.push_back(op);
    });
    IRRewriter b(&getContext());
    for (arith::TruncFOp op : truncs) {
      b.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value x = op.getIn();
      Type f32Type = withElement(x.getType(), b.getF32Type());
      Type i32Type = withElement(x.getType(), b.getI32Type());
      Value t = arith::TruncFOp::create(b, loc, f32Type, x); // to nearest even
      Value back = arith::ExtFOp::create(b, loc, x.getType(), t);
      // Rounded away from zero: step one ulp back toward zero (the bit pattern of a
      // float orders magnitudes, for either sign), which makes t the truncation.
      Value overshot = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, math::AbsFOp::create(b, loc, back),
                                             math::AbsFOp::create(b, loc, x));
      Value bits = arith::BitcastOp::create(b, loc, i32Type, t);
      Value stepped = arith::SubIOp::create(b, loc, bits, intConstant(b, loc, i32Type, 1));
      bits = arith::SelectOp::create(b, loc, overshot, stepped, bits);
      // Inexact: set the sticky last bit (a NaN stays a NaN).
      Value inexact = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, back, x);
      Value odd = arith::OrIOp::create(b, loc, bits, intConstant(b, loc, i32Type, 1));
      bits = arith::SelectOp::create(b, loc, inexact, odd, bits);
      Value rounded = arith::BitcastOp::create(b, loc, f32Type, bits);
      b.replaceOpWithNewOp<arith::TruncFOp>(op, op.getType(), rounded);
    }
  }
};

} // namespace
