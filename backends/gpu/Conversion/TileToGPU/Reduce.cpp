// Reductions along one axis of a tile, as the layout says the elements of each output
// are spread (plan_reduction): a thread first combines its own registers, then the lanes
// of a warp exchange partial results in a butterfly of shuffles, after which every lane
// that took part holds the result. Registers and lanes that hold copies take no part.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/Reduction.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// `value` from the lane whose id is this lane's XOR `mask`, in 32-bit shuffles.
Value shuffleXor(KernelLowering &l, Location loc, Value value, int64_t mask, int64_t width) {
  OpBuilder &b = l.b;
  Type type = value.getType();
  const unsigned bits = type.getIntOrFloatBitWidth();
  Type intType = b.getIntegerType(bits);
  Value asInt = type == intType ? value : Value(arith::BitcastOp::create(b, loc, intType, value));
  auto shuffle32 = [&](Value word) -> Value {
    return ::mlir::gpu::ShuffleOp::create(b, loc, word, l.i32(mask, loc), l.i32(width, loc), ::mlir::gpu::ShuffleMode::XOR)
        .getShuffleResult();
  };
  Value result;
  if (bits == 32) {
    result = shuffle32(asInt);
  } else if (bits < 32) {
    Value wide = arith::ExtUIOp::create(b, loc, b.getI32Type(), asInt);
    result = arith::TruncIOp::create(b, loc, intType, shuffle32(wide));
  } else { // 64 bits: two halves
    Type i64 = b.getI64Type();
    Value low = shuffle32(arith::TruncIOp::create(b, loc, b.getI32Type(), asInt));
    Value high = shuffle32(arith::TruncIOp::create(
        b, loc, b.getI32Type(),
        arith::ShRUIOp::create(b, loc, asInt, arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32)))));
    result = arith::OrIOp::create(
        b, loc, arith::ExtUIOp::create(b, loc, i64, low),
        arith::ShLIOp::create(b, loc, arith::ExtUIOp::create(b, loc, i64, high),
                              arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32))));
  }
  return type == intType ? result : Value(arith::BitcastOp::create(b, loc, type, result));
}

} // namespace

/// The warps that step along the axis hold partial results of the same outputs: each
/// writes its own (from the lanes at the start of the axis) to a row of shared memory
/// indexed by its position along the axis, and every thread combines the rows for the
/// outputs it holds, in row order, so that all threads agree bit for bit.
LogicalResult KernelLowering::combineAcrossWarps(Operation *op, const LinearLayout &layout,
                                                 const ReductionPlan &plan, std::map<int64_t, Value> &partial) {
  auto reduce = cast<tile::ReduceOp>(op);
  Location loc = op->getLoc();
  const int axis = static_cast<int>(reduce.getAxis());
  ArrayRef<int64_t> srcShape = reduce.getSrc().getType().getShape();
  SmallVector<int64_t> outShape(srcShape);
  outShape.erase(outShape.begin() + axis);
  int64_t outputs = 1;
  for (int64_t e : outShape)
    outputs *= e;
  const int64_t rows = int64_t{1} << plan.warp_bits.size();
  Type element = reduce.getSrc().getType().getElementType();
  Value buffer = sharedBuffer(element, rows * outputs, loc);
  // This warp's row: its warp index bits along the axis, packed.
  Value row = i32(0, loc);
  for (auto [k, bit] : llvm::enumerate(plan.warp_bits)) {
    Value set = arith::AndIOp::create(b, loc, arith::ShRUIOp::create(b, loc, warp(), i32(bit, loc)), i32(1, loc));
    row = arith::OrIOp::create(b, loc, row, arith::ShLIOp::create(b, loc, set, i32(static_cast<int64_t>(k), loc)));
  }
  int64_t laneAlong = 0;
  for (int64_t mask : plan.lane_xor)
    laneAlong |= mask;
  auto outputOffset = [&](int64_t reg) {
    SmallVector<Value> coords;
    for (int d = 0; d < static_cast<int>(srcShape.size()); ++d)
      if (d != axis)
        coords.push_back(coordinate(layout, reg, d, loc));
    return rowMajorOffset(coords, outShape, loc);
  };
  {
    OpBuilder::InsertionGuard guard(b);
    Value writer = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                         arith::AndIOp::create(b, loc, lane(), i32(laneAlong, loc)), i32(0, loc));
    if (Value first = firstCopy(layout, loc))
      writer = arith::AndIOp::create(b, loc, writer, first);
    auto branch = scf::IfOp::create(b, loc, TypeRange{}, writer, /*withElseRegion=*/false);
    b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
    for (auto &[base, value] : partial)
      storeShared(buffer, value,
                  arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, row, i32(outputs, loc)),
                                        outputOffset(base)),
                  loc);
  }
  for (auto &[base, value] : partial) {
    Value offset = outputOffset(base);
    Value acc = loadShared(buffer, element, offset, loc);
    for (int64_t r = 1; r < rows; ++r)
      acc = tile::combineElements(b, loc, reduce.getKind(), acc,
                    loadShared(buffer, element, arith::AddIOp::create(b, loc, offset, i32(r * outputs, loc)), loc));
    value = acc;
  }
  return success();
}

LogicalResult KernelLowering::lowerReduce(Operation *op) {
  auto reduce = cast<tile::ReduceOp>(op);
  Location loc = op->getLoc();
  const tile::ReduceKind kind = reduce.getKind();
  if (kind == tile::ReduceKind::ArgMax || kind == tile::ReduceKind::ArgMin)
    return op->emitError("the GPU lowering does not reduce to indices (argmax, argmin) yet");
  FailureOr<LinearLayout> layout = layoutOf(reduce.getSrc(), op);
  if (failed(layout))
    return failure();
  const int axis = static_cast<int>(reduce.getAxis());
  std::optional<ReductionPlan> plan = plan_reduction(*layout, axis);
  if (!plan)
    return op->emitError("this tile's layout steps along and across the reduced axis at once; no butterfly "
                         "reduces it");
  uint64_t along = 0;
  for (int bit : plan->register_bits)
    along |= uint64_t{1} << bit;
  const uint64_t copies = copyRegisterBits(*layout);
  const SmallVector<Value> &source = regs(reduce.getSrc());
  std::map<int64_t, Value> partial; // by the first register of each group
  for (int64_t r = 0; r < static_cast<int64_t>(source.size()); ++r) {
    if (r & copies)
      continue;
    auto [it, fresh] = partial.try_emplace(r & ~along, source[r]);
    if (!fresh)
      it->second = tile::combineElements(b, loc, kind, it->second, source[r]);
  }
  for (auto &[base, value] : partial)
    for (int64_t mask : plan->lane_xor)
      value = tile::combineElements(b, loc, kind, value, shuffleXor(*this, loc, value, mask, block_.lanes));
  if (plan->crosses_warps() && failed(combineAcrossWarps(op, *layout, *plan, partial)))
    return failure();
  if (!isa<RankedTensorType>(reduce.getType())) {
    if (partial.size() != 1)
      return op->emitError("internal: a reduction to one value left ") << partial.size() << " partial results";
    mapScalar(reduce.getResult(), partial.begin()->second);
    return success();
  }
  std::map<std::vector<int64_t>, Value> byCoordinates;
  for (auto &[base, value] : partial) {
    std::vector<int64_t> c = layout->apply({{"register", base}});
    c.erase(c.begin() + axis);
    byCoordinates[c] = value;
  }
  FailureOr<LinearLayout> result = layoutOf(reduce.getResult(), op);
  if (failed(result))
    return failure();
  SmallVector<Value> out;
  for (int64_t r = 0; r < result->in_size("register"); ++r) {
    auto it = byCoordinates.find(result->apply({{"register", r}}));
    if (it == byCoordinates.end())
      return op->emitError("internal: a register of the reduction's result is in no partial result");
    out.push_back(it->second);
  }
  mapTile(reduce.getResult(), std::move(out));
  return success();
}

} // namespace tegula::gpu::lowering
