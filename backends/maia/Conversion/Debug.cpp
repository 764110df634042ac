// device_print and device_assert of tegula-convert-tile-to-maia. Each names a debug
// site (its text as the CPU words it: `print "prefix" at file:line:col`), kept on the
// kernel as `maia.debug_sites`; the values or mask bytes go to dbg.print or dbg.assert,
// which the driver turns into printed lines after the launch, or an assertion failure.
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"

namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

int64_t Lowering::debugSite(Operation *op, const std::string &what) {
  debugSites_.push_back(what + " at " + tile::sourcePosition(op->getLoc()));
  return static_cast<int64_t>(debugSites_.size()) - 1;
}

void Lowering::lowerPrint(tile::PrintOp op) {
  Value site = cst(debugSite(op, "print \"" + op.getPrefix().str() + "\""));
  for (Value value : op.getValues()) {
    // A tile as its data; a scalar as one element (integers and masks included).
    Buffer data = isa<RankedTensorType>(value.getType()) ? materializeAs(value, op) : materializeScalar(value, op);
    int32_t sem = begin({data}, {});
    mir::DebugPrintOp::create(b_, loc(), data.elem, cst(data.offset), site, cst(data.numel()), sem);
  }
}

void Lowering::lowerAssert(tile::AssertOp op) {
  Value site = cst(debugSite(op, "assertion \"" + op.getMessage().str() + "\""));
  Value condition = op.getCondition();
  Buffer mask;
  if (isa<RankedTensorType>(condition.getType())) {
    mask = materializeAs(condition, op);
  } else {
    mask = allocate({}, b_.getI1Type(), op);
    typedFill(mask, scalar(condition, op));
  }
  int32_t sem = begin({mask}, {});
  mir::DebugAssertOp::create(b_, loc(), cst(mask.offset), site, cst(mask.numel()), sem);
}

} // namespace tegula::maia::lowering
