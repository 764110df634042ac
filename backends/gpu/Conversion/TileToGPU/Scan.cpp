// Inclusive scans along one axis of a tile, as plan_scan reads them off the layout: each
// element carries its prefix within its group and the group's total; at each step the
// partner's total comes from another register, a shuffle, or shared memory, and the
// later element of each pair (the earlier in a reverse scan) folds it into its prefix.
// Every thread takes part, copies included, so no step branches.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/Scan.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace tegula::gpu::lowering {

using namespace mlir;

LogicalResult KernelLowering::lowerScan(Operation *op) {
  auto scan = cast<tile::ScanOp>(op);
  Location loc = op->getLoc();
  const int axis = static_cast<int>(scan.getAxis());
  FailureOr<LinearLayout> layout = layoutOf(scan.getSrc(), op);
  if (failed(layout))
    return failure();
  FailureOr<LinearLayout> resultLayout = layoutOf(scan.getResult(), op);
  if (failed(resultLayout))
    return failure();
  if (!(*resultLayout == *layout))
    return op->emitError("internal: a scan's result must keep its source's layout");
  std::optional<std::vector<ScanStep>> steps = plan_scan(*layout, axis);
  if (!steps)
    return op->emitError("this tile's layout steps along and across the scanned axis at once; no butterfly "
                         "scans it");
  const tile::ReduceKind kind = tile::combiningKind(scan.getKind());
  const bool reverse = scan.getReverse();
  auto combine = [&](Value x, Value y) { return tile::combineElements(b, loc, kind, x, y); };
  SmallVector<Value> prefix = regs(scan.getSrc()), total = prefix;
  const int64_t registers = static_cast<int64_t>(prefix.size());
  const int64_t lanes = layout->in_size("lane"), warps = layout->in_size("warp");
  // The group that folds in its partner's total: the later one along the axis, or the
  // earlier in a reverse scan. Every combination below is commutative (sums, max, min),
  // so both partners' totals agree bit for bit.
  auto folds = [&](Value id, int bit) {
    Value set = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      arith::AndIOp::create(b, loc, id, i32(int64_t{1} << bit, loc)), i32(0, loc));
    return reverse ? Value(arith::XOrIOp::create(b, loc, set, i1(true, loc))) : set;
  };
  for (const ScanStep &step : *steps) {
    SmallVector<Value> other(registers);
    Value foldsHere; // null for register steps, which are decided per register
    if (step.in == "register") {
      for (int64_t r = 0; r < registers; ++r)
        other[r] = total[r ^ (int64_t{1} << step.bit)];
    } else if (step.in == "lane") {
      for (int64_t r = 0; r < registers; ++r)
        other[r] = shuffleXor(total[r], int64_t{1} << step.bit, loc);
      foldsHere = folds(lane(), step.bit);
    } else { // warps meet in shared memory: each thread's totals, then its partner's
      Type element = total.front().getType();
      Value buffer = sharedBuffer(element, warps * lanes * registers, loc);
      Value thread = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, warp(), i32(lanes, loc)), lane());
      Value partnerWarp = arith::XOrIOp::create(b, loc, warp(), i32(int64_t{1} << step.bit, loc));
      Value partner = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, partnerWarp, i32(lanes, loc)), lane());
      Value mine = arith::MulIOp::create(b, loc, thread, i32(registers, loc));
      Value theirs = arith::MulIOp::create(b, loc, partner, i32(registers, loc));
      for (int64_t r = 0; r < registers; ++r)
        storeShared(buffer, total[r], arith::AddIOp::create(b, loc, mine, i32(r, loc)), loc);
      for (int64_t r = 0; r < registers; ++r)
        other[r] = loadShared(buffer, element, arith::AddIOp::create(b, loc, theirs, i32(r, loc)), loc);
      foldsHere = folds(warp(), step.bit);
    }
    for (int64_t r = 0; r < registers; ++r) {
      Value folded = combine(other[r], prefix[r]);
      if (foldsHere) {
        prefix[r] = arith::SelectOp::create(b, loc, foldsHere, folded, prefix[r]);
      } else {
        const bool set = (r >> step.bit) & 1;
        if (set != reverse)
          prefix[r] = folded;
      }
      total[r] = combine(total[r], other[r]);
    }
  }
  mapTile(scan.getResult(), std::move(prefix));
  return success();
}

} // namespace tegula::gpu::lowering
