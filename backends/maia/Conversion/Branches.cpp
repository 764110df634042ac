// Branches of tegula-convert-tile-to-maia: `when` and `if_else`, as branches of the
// control processor.
#include "backends/maia/Conversion/Lowering.h"

namespace tegula::maia::lowering {

using namespace mlir;

void Lowering::lowerIf(scf::IfOp op) {
  // `when` and `if_else`: a branch of the control processor around the commands of each
  // side. No command is pending as a side starts or ends, so the code after the branch
  // sees one state whichever side ran. A tile the branch yields gets a TSRAM buffer
  // before it, which each side copies its tile into; an integer scalar is a register
  // result of the branch.
  if (!reservedSems_.empty())
    fail(op, "a branch inside a loop whose loads are prefetched is not lowered (the prefetches must stay pending "
             "on both sides)");
  Value condition = scalar(op.getCondition(), op);
  SmallVector<std::optional<Buffer>> tileResults;
  SmallVector<Type> scalarTypes;
  for (Value result : op.getResults()) {
    if (auto type = dyn_cast<RankedTensorType>(result.getType())) {
      Type elem = type.getElementType().isInteger(1) ? b_.getI8Type() : type.getElementType();
      tileResults.push_back(allocate(type.getShape(), elem, op));
    } else if (result.getType().isIntOrIndex()) {
      tileResults.push_back(std::nullopt);
      scalarTypes.push_back(b_.getI64Type());
    } else {
      fail(op, "a branch yielding a float scalar is not lowered; yield it as a tile of one element");
    }
  }
  drain();
  auto set = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::ne, condition, cst(0));
  const bool hasElse = !op.getElseRegion().empty();
  auto branch = scf::IfOp::create(b_, loc(), scalarTypes, set, hasElse);
  OpBuilder::InsertionGuard guard(b_);
  auto lowerSide = [&](Block *from, Block *to) {
    if (to->mightHaveTerminator())
      b_.setInsertionPoint(to->getTerminator());
    else
      b_.setInsertionPointToEnd(to);
    for (Operation &inner : from->without_terminator())
      lowerOp(&inner);
    auto yield = cast<scf::YieldOp>(from->getTerminator());
    loc_ = yield.getLoc();
    SmallVector<Value> scalars;
    for (auto [value, target] : llvm::zip(yield.getOperands(), tileResults)) {
      if (!target) {
        scalars.push_back(scalar(value, yield));
        continue;
      }
      Buffer source = materializeAs(value, yield);
      if (bytesOf(source.elem) != bytesOf(target->elem))
        fail(yield, "the two sides of a branch yield tiles of different element sizes");
      copyElements(*target, source);
    }
    drain();
    if (!scalarTypes.empty())
      scf::YieldOp::create(b_, loc(), scalars);
  };
  lowerSide(op.thenBlock(), branch.thenBlock());
  if (hasElse)
    lowerSide(op.elseBlock(), branch.elseBlock());
  size_t nextScalar = 0;
  for (auto [result, target] : llvm::zip(op.getResults(), tileResults)) {
    if (target)
      tiles_[result] = *target;
    else
      scalars_[result] = branch.getResult(nextScalar++);
  }
}

} // namespace tegula::maia::lowering
