// Reductions along one axis of a tile, as the layout says the elements of each output
// are spread (plan_reduction): a thread first combines its own registers, then the lanes
// of a warp exchange partial results in a butterfly of shuffles, after which every lane
// that took part holds its warp's result, then the warps meet in shared memory.
// Registers and lanes that hold copies take no part. A partial result is a tuple: one
// value, or an argmax's (value, index).
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/Reduction.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

namespace tegula::gpu::lowering {

using namespace mlir;

/// `value` from the lane whose id is this lane's XOR `mask`, in 32-bit shuffles.
Value KernelLowering::shuffleXor(Value value, int64_t mask, Location loc) {
  Type type = value.getType();
  const unsigned bits = type.getIntOrFloatBitWidth();
  Type intType = b.getIntegerType(bits);
  Value asInt = type == intType ? value : Value(arith::BitcastOp::create(b, loc, intType, value));
  auto shuffle32 = [&](Value word) -> Value {
    return ::mlir::gpu::ShuffleOp::create(b, loc, word, i32(mask, loc), i32(block_.lanes, loc), ::mlir::gpu::ShuffleMode::XOR)
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

/// The warps that step along the axis hold partial results of the same outputs: each
/// writes its own (from the lanes at the start of the axis) to a row of shared memory
/// indexed by its position along the axis (a buffer per component of the partials), and
/// every thread combines the rows for the outputs it holds, in row order, so that all
/// threads agree bit for bit.
LogicalResult KernelLowering::combineAcrossWarps(Operation *op, const LinearLayout &layout, int axis,
                                                 const ReductionPlan &plan, std::map<int64_t, Partial> &partial,
                                                 function_ref<Partial(const Partial &, const Partial &)> combine) {
  Location loc = op->getLoc();
  ArrayRef<int64_t> srcShape = cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
  SmallVector<int64_t> outShape(srcShape);
  outShape.erase(outShape.begin() + axis);
  int64_t outputs = 1;
  for (int64_t e : outShape)
    outputs *= e;
  const int64_t rows = int64_t{1} << plan.warp_bits.size();
  SmallVector<Value> buffers;
  for (Value component : partial.begin()->second)
    buffers.push_back(sharedBuffer(component.getType(), rows * outputs, loc));
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
    for (auto &[base, value] : partial) {
      Value at = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, row, i32(outputs, loc)),
                                       outputOffset(base));
      for (auto [buffer, component] : llvm::zip(buffers, value))
        storeShared(buffer, component, at, loc);
    }
  }
  for (auto &[base, value] : partial) {
    Value offset = outputOffset(base);
    auto load = [&](int64_t r) {
      Value at = r == 0 ? offset : Value(arith::AddIOp::create(b, loc, offset, i32(r * outputs, loc)));
      Partial p;
      for (auto [buffer, component] : llvm::zip(buffers, value))
        p.push_back(loadShared(buffer, component.getType(), at, loc));
      return p;
    };
    Partial acc = load(0);
    for (int64_t r = 1; r < rows; ++r)
      acc = combine(acc, load(r));
    value = acc;
  }
  return success();
}

/// Reduces `src` along `axis`, each element a tuple of values (`elements`, one per
/// register of `src`), with `combine`; component `component` of the outcome is the
/// result.
LogicalResult KernelLowering::reduceTuples(Operation *op, Value src, int axis, ArrayRef<Partial> elements,
                                           function_ref<Partial(const Partial &, const Partial &)> combine,
                                           size_t component) {
  Location loc = op->getLoc();
  FailureOr<LinearLayout> layout = layoutOf(src, op);
  if (failed(layout))
    return failure();
  std::optional<ReductionPlan> plan = plan_reduction(*layout, axis);
  if (!plan)
    return op->emitError("this tile's layout steps along and across the reduced axis at once; no butterfly "
                         "reduces it");
  uint64_t along = 0;
  for (int bit : plan->register_bits)
    along |= uint64_t{1} << bit;
  const uint64_t copies = copyRegisterBits(*layout);
  std::map<int64_t, Partial> partial; // by the first register of each group
  for (int64_t r = 0; r < static_cast<int64_t>(elements.size()); ++r) {
    if (r & copies)
      continue;
    auto [it, fresh] = partial.try_emplace(r & ~along, elements[r]);
    if (!fresh)
      it->second = combine(it->second, elements[r]);
  }
  for (auto &[base, value] : partial)
    for (int64_t mask : plan->lane_xor) {
      Partial other;
      for (Value v : value)
        other.push_back(shuffleXor(v, mask, loc));
      value = combine(value, other);
    }
  if (plan->crosses_warps() && failed(combineAcrossWarps(op, *layout, axis, *plan, partial, combine)))
    return failure();
  Value result = op->getResult(0);
  if (!isa<RankedTensorType>(result.getType())) {
    if (partial.size() != 1)
      return op->emitError("internal: a reduction to one value left ") << partial.size() << " partial results";
    mapScalar(result, partial.begin()->second[component]);
    return success();
  }
  std::map<std::vector<int64_t>, Value> byCoordinates;
  for (auto &[base, value] : partial) {
    std::vector<int64_t> c = layout->apply({{"register", base}});
    c.erase(c.begin() + axis);
    byCoordinates[c] = value[component];
  }
  FailureOr<LinearLayout> resultLayout = layoutOf(result, op);
  if (failed(resultLayout))
    return failure();
  SmallVector<Value> out;
  for (int64_t r = 0; r < resultLayout->in_size("register"); ++r) {
    auto it = byCoordinates.find(resultLayout->apply({{"register", r}}));
    if (it == byCoordinates.end())
      return op->emitError("internal: a register of the reduction's result is in no partial result");
    out.push_back(it->second);
  }
  mapTile(result, std::move(out));
  return success();
}

LogicalResult KernelLowering::lowerReduce(Operation *op) {
  auto reduce = cast<tile::ReduceOp>(op);
  Location loc = op->getLoc();
  const tile::ReduceKind kind = reduce.getKind();
  const int axis = static_cast<int>(reduce.getAxis());
  const SmallVector<Value> &source = regs(reduce.getSrc());
  if (kind != tile::ReduceKind::ArgMax && kind != tile::ReduceKind::ArgMin) {
    SmallVector<Partial> elements;
    for (Value v : source)
      elements.push_back({v});
    return reduceTuples(op, reduce.getSrc(), axis, elements,
                        [&](const Partial &x, const Partial &y) -> Partial {
                          return {tile::combineElements(b, loc, kind, x[0], y[0])};
                        },
                        0);
  }
  // (value, index) pairs. As the tile dialect defines it, the first element along the
  // axis starts the search and a later one replaces it only when strictly better, so
  // ties go to the smaller index, a NaN at index 0 stays, and a NaN elsewhere never
  // wins: such a NaN enters with index -1 ("none").
  FailureOr<LinearLayout> layout = layoutOf(reduce.getSrc(), op);
  if (failed(layout))
    return failure();
  const bool isFloat = isa<FloatType>(source.front().getType());
  const bool max = kind == tile::ReduceKind::ArgMax;
  SmallVector<Partial> elements;
  for (int64_t r = 0; r < static_cast<int64_t>(source.size()); ++r) {
    Value index = coordinate(*layout, r, axis, loc);
    if (isFloat) {
      Value nan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, source[r], source[r]);
      Value later = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, index, i32(0, loc));
      index = arith::SelectOp::create(b, loc, arith::AndIOp::create(b, loc, nan, later), i32(-1, loc), index);
    }
    elements.push_back({source[r], index});
  }
  auto combine = [&](const Partial &x, const Partial &y) -> Partial {
    Value xNone = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x[1], i32(0, loc));
    Value yNone = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y[1], i32(0, loc));
    Value better, equal;
    if (isFloat) {
      better = arith::CmpFOp::create(b, loc, max ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, y[0], x[0]);
      equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, y[0], x[0]);
    } else {
      better = arith::CmpIOp::create(b, loc, max ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, y[0], x[0]);
      equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y[0], x[0]);
    }
    Value earlier = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y[1], x[1]);
    Value take = arith::OrIOp::create(b, loc, better, arith::AndIOp::create(b, loc, equal, earlier));
    if (isFloat) { // a NaN that is not none sits at index 0 and stays
      Value xNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x[0], x[0]);
      Value yNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, y[0], y[0]);
      Value keep = arith::AndIOp::create(b, loc, xNaN, arith::XOrIOp::create(b, loc, xNone, i1(true, loc)));
      Value seize = arith::AndIOp::create(b, loc, yNaN, arith::XOrIOp::create(b, loc, yNone, i1(true, loc)));
      take = arith::OrIOp::create(b, loc, seize,
                                  arith::AndIOp::create(b, loc, take, arith::XOrIOp::create(b, loc, keep, i1(true, loc))));
    }
    // None never replaces anything; anything replaces none.
    take = arith::AndIOp::create(b, loc, arith::OrIOp::create(b, loc, take, xNone),
                                 arith::XOrIOp::create(b, loc, yNone, i1(true, loc)));
    return {arith::SelectOp::create(b, loc, take, y[0], x[0]), arith::SelectOp::create(b, loc, take, y[1], x[1])};
  };
  return reduceTuples(op, reduce.getSrc(), axis, elements, combine, 1);
}

LogicalResult KernelLowering::lowerReduceWith(Operation *op) {
  auto reduce = cast<tile::ReduceWithOp>(op);
  mlir::Block &combiner = reduce.getCombiner().front();
  for (Operation &inner : combiner.without_terminator())
    if (inner.getNumRegions() != 0 || !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return inner.emitError("the GPU lowering combines with arith and math ops, not '") << inner.getName() << "'";
  SmallVector<Partial> elements;
  for (Value v : regs(reduce.getSrc()))
    elements.push_back({v});
  auto combine = [&](const Partial &x, const Partial &y) -> Partial {
    IRMapping mapping;
    mapping.map(combiner.getArgument(0), x[0]);
    mapping.map(combiner.getArgument(1), y[0]);
    for (Operation &inner : combiner.without_terminator())
      b.clone(inner, mapping);
    return {mapping.lookup(combiner.getTerminator()->getOperand(0))};
  };
  return reduceTuples(op, reduce.getSrc(), static_cast<int>(reduce.getAxis()), elements, combine, 0);
}

} // namespace tegula::gpu::lowering
