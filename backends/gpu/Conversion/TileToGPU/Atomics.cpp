// Atomic read-modify-writes and compare-and-swaps, one per element: the thread holding
// the first copy of an element performs it (an atomic done by every copy would be done
// several times), with acquire-release ordering, under the element's mask; masked-off
// elements yield 0. Where other threads hold copies of the result (a scalar atomic, or a
// tile smaller than the block), the performing thread passes the old values on through
// shared memory.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

FailureOr<LLVM::AtomicBinOp> binOp(Operation *op, tile::AtomicKind kind, Type element) {
  const bool isFloat = isa<FloatType>(element);
  switch (kind) {
  case tile::AtomicKind::Add:
    return isFloat ? LLVM::AtomicBinOp::fadd : LLVM::AtomicBinOp::add;
  case tile::AtomicKind::Max: // floats: maxnum, so a NaN operand is never stored over a number
    return isFloat ? LLVM::AtomicBinOp::fmax : LLVM::AtomicBinOp::max;
  case tile::AtomicKind::Min:
    return isFloat ? LLVM::AtomicBinOp::fmin : LLVM::AtomicBinOp::min;
  case tile::AtomicKind::Xchg:
    return LLVM::AtomicBinOp::xchg;
  }
  return op->emitError("the GPU lowering has no atomic for ") << tile::stringifyAtomicKind(kind);
}

} // namespace

LogicalResult KernelLowering::lowerAtomic(Operation *op) {
  Location loc = op->getLoc();
  auto rmw = dyn_cast<tile::AtomicRMWOp>(op);
  auto cas = dyn_cast<tile::AtomicCASOp>(op);
  Value ptr = rmw ? rmw.getPtr() : cas.getPtr();
  Value result = op->getResult(0);
  Type element = elementType(result.getType());
  if (!element.isIntOrFloat())
    return op->emitError("the GPU lowering has atomics on numbers, not ") << element;
  FailureOr<LLVM::AtomicBinOp> kind = LLVM::AtomicBinOp::xchg;
  if (rmw && failed(kind = binOp(op, rmw.getKind(), element)))
    return failure();
  SmallVector<Value> ptrs = flat(ptr), values = flat(rmw ? rmw.getValue() : cas.getValue());
  SmallVector<Value> compares = cas ? flat(cas.getCmp()) : SmallVector<Value>();
  SmallVector<Value> masks = rmw && rmw.getMask() ? flat(rmw.getMask()) : SmallVector<Value>();
  const bool isTile = isa<RankedTensorType>(result.getType());
  std::optional<LinearLayout> layout;
  uint64_t copyRegisters = 0;
  Value first;
  if (isTile) {
    FailureOr<LinearLayout> laid = layoutOf(result, op);
    if (failed(laid))
      return failure();
    layout = *laid;
    copyRegisters = copyRegisterBits(*layout);
    first = firstCopy(*layout, loc);
  } else { // every thread has the scalar; the first performs the atomic
    first = firstThread(loc);
  }
  auto pick = [](const SmallVector<Value> &v, size_t r) { return v.size() == 1 ? v.front() : v[r]; };
  auto perform = [&](OpBuilder &builder, size_t r) -> Value {
    if (rmw)
      return LLVM::AtomicRMWOp::create(builder, loc, *kind, pick(ptrs, r), pick(values, r),
                                       LLVM::AtomicOrdering::acq_rel);
    auto exchange = LLVM::AtomicCmpXchgOp::create(builder, loc, pick(ptrs, r), pick(compares, r), pick(values, r),
                                                  LLVM::AtomicOrdering::acq_rel, LLVM::AtomicOrdering::acquire);
    return LLVM::ExtractValueOp::create(builder, loc, exchange, ArrayRef<int64_t>{0});
  };
  const size_t registers = isTile ? static_cast<size_t>(layout->in_size("register")) : 1;
  SmallVector<Value> old(registers);
  for (size_t r = 0; r < registers; ++r) {
    if (r & copyRegisters) {
      old[r] = old[r & ~copyRegisters];
      continue;
    }
    Value predicate = first;
    if (!masks.empty())
      predicate = predicate ? Value(arith::AndIOp::create(b, loc, predicate, pick(masks, r))) : pick(masks, r);
    if (!predicate) {
      old[r] = perform(b, r);
      continue;
    }
    auto branch = scf::IfOp::create(b, loc, TypeRange{element}, predicate, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&branch.getThenRegion().front());
    scf::YieldOp::create(b, loc, perform(b, r));
    b.setInsertionPointToStart(&branch.getElseRegion().front());
    Value zero = isa<FloatType>(element) ? Value(arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0)))
                                         : Value(arith::ConstantOp::create(b, loc, b.getIntegerAttr(element, 0)));
    scf::YieldOp::create(b, loc, zero);
    old[r] = branch.getResult(0);
  }
  if (first && !result.use_empty()) {
    // Pass the old values from the performing thread to the copies, by the element's
    // row-major place in the tile.
    ArrayRef<int64_t> shape = isTile ? cast<RankedTensorType>(result.getType()).getShape() : ArrayRef<int64_t>{};
    int64_t elements = 1;
    for (int64_t e : shape)
      elements *= e;
    Value buffer = sharedBuffer(element, elements, loc);
    auto offsetOf = [&](size_t r) {
      if (!isTile)
        return i32(0, loc);
      SmallVector<Value> coords;
      for (int d = 0; d < static_cast<int>(shape.size()); ++d)
        coords.push_back(coordinate(*layout, static_cast<int64_t>(r), d, loc));
      return rowMajorOffset(coords, shape, loc);
    };
    {
      OpBuilder::InsertionGuard guard(b);
      auto branch = scf::IfOp::create(b, loc, TypeRange{}, first, /*withElseRegion=*/false);
      b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
      for (size_t r = 0; r < registers; ++r)
        if (!(r & copyRegisters))
          storeShared(buffer, old[r], offsetOf(r), loc);
    }
    for (size_t r = 0; r < registers; ++r)
      old[r] = loadShared(buffer, element, offsetOf(r), loc);
  }
  if (isTile)
    mapTile(result, std::move(old));
  else
    mapScalar(result, old.front());
  return success();
}

} // namespace tegula::gpu::lowering
