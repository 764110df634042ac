// Global loads and stores, per thread. Where tegula-coalesce-gpu-accesses gave an access
// its layout, the registers that step along the layout's fastest dimension are
// contiguous and aligned in memory (the axis info proved it), so each run of them is one
// vector access; elsewhere every register is an access of its own. A mask that is off
// skips the access (the load yields `other`); of threads or registers holding copies of
// an element, only the first stores it.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

int64_t byteWidth(Type t) { return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8); }

Value zeroOf(OpBuilder &b, Location loc, Type t) {
  if (isa<FloatType>(t))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(t, 0.0));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 0));
}

} // namespace

// Only where the access kept the layout it was given for its vectors.
int64_t accessVector(Operation *op, Value ptr, const LinearLayout &layout) {
  Attribute access = op->getAttr(ir::kAccessLayoutAttrName);
  auto widest = op->getAttrOfType<DenseI64ArrayAttr>(ir::kWidestVectorAttrName);
  auto type = dyn_cast<RankedTensorType>(ptr.getType());
  if (!access || !widest || widest.size() != 2 || !type || type.getEncoding() != access)
    return 1;
  return std::min(contiguous_registers(layout, static_cast<int>(widest[0])), widest[1]);
}

LogicalResult KernelLowering::lowerLoad(Operation *op) {
  auto load = cast<tile::LoadOp>(op);
  Location loc = op->getLoc();
  Type element = elementType(load.getType());
  if (!element.isIntOrFloat())
    return op->emitError("the GPU lowering loads numbers, not ") << element;
  SmallVector<Value> ptrs = flat(load.getPtr());
  SmallVector<Value> masks = load.getMask() ? flat(load.getMask()) : SmallVector<Value>();
  SmallVector<Value> others = load.getOther() ? flat(load.getOther()) : SmallVector<Value>();
  int64_t vec = 1;
  if (isa<RankedTensorType>(load.getType())) {
    FailureOr<LinearLayout> layout = layoutOf(load.getPtr(), op);
    if (failed(layout))
      return failure();
    vec = accessVector(op, load.getPtr(), *layout);
  }
  const int64_t bytes = byteWidth(element);
  Type loaded = vec == 1 ? element : Type(VectorType::get({vec}, element));
  SmallVector<Value> out;
  for (size_t first = 0; first < ptrs.size(); first += vec) {
    auto emitLoad = [&](OpBuilder &builder) -> Value {
      return LLVM::LoadOp::create(builder, loc, loaded, ptrs[first], static_cast<unsigned>(vec * bytes));
    };
    Value value;
    if (masks.empty()) {
      value = emitLoad(b);
    } else {
      auto branch = scf::IfOp::create(b, loc, TypeRange{loaded}, masks[first], /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&branch.getThenRegion().front());
      scf::YieldOp::create(b, loc, emitLoad(b));
      b.setInsertionPointToStart(&branch.getElseRegion().front());
      SmallVector<Value> fallback;
      for (int64_t i = 0; i < vec; ++i)
        fallback.push_back(others.empty() ? zeroOf(b, loc, element) : others[first + i]);
      scf::YieldOp::create(b, loc, vec == 1 ? fallback.front()
                                            : Value(vector::FromElementsOp::create(b, loc, loaded, fallback)));
      value = branch.getResult(0);
    }
    if (vec == 1) {
      out.push_back(value);
      continue;
    }
    for (int64_t i = 0; i < vec; ++i)
      out.push_back(vector::ExtractOp::create(b, loc, value, i));
  }
  if (isa<RankedTensorType>(load.getType()))
    mapTile(load.getResult(), std::move(out));
  else
    mapScalar(load.getResult(), out.front());
  return success();
}

LogicalResult KernelLowering::lowerStore(Operation *op) {
  auto store = cast<tile::StoreOp>(op);
  Location loc = op->getLoc();
  Type element = elementType(store.getValue().getType());
  if (!element.isIntOrFloat())
    return op->emitError("the GPU lowering stores numbers, not ") << element;
  SmallVector<Value> ptrs = flat(store.getPtr()), values = flat(store.getValue());
  SmallVector<Value> masks = store.getMask() ? flat(store.getMask()) : SmallVector<Value>();
  int64_t vec = 1;
  uint64_t copyRegisters = 0;
  Value first; // this thread holds the first copy of its elements
  if (isa<RankedTensorType>(store.getPtr().getType())) {
    FailureOr<LinearLayout> layout = layoutOf(store.getPtr(), op);
    if (failed(layout))
      return failure();
    vec = accessVector(op, store.getPtr(), *layout);
    copyRegisters = copyRegisterBits(*layout);
    first = firstCopy(*layout, loc);
  } else { // a scalar: every thread has it, the first stores it
    first = firstThread(loc);
  }
  const int64_t bytes = byteWidth(element);
  for (size_t r = 0; r < ptrs.size(); r += vec) {
    if (r & copyRegisters)
      continue;
    Value stored = values[r];
    if (vec > 1)
      stored = vector::FromElementsOp::create(b, loc, VectorType::get({vec}, element),
                                              ValueRange(values).slice(r, vec));
    Value predicate = first;
    if (!masks.empty())
      predicate = predicate ? Value(arith::AndIOp::create(b, loc, predicate, masks[r])) : masks[r];
    OpBuilder::InsertionGuard guard(b);
    if (predicate) {
      auto branch = scf::IfOp::create(b, loc, TypeRange{}, predicate, /*withElseRegion=*/false);
      b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
    }
    LLVM::StoreOp::create(b, loc, stored, ptrs[r], static_cast<unsigned>(vec * bytes));
  }
  return success();
}

} // namespace tegula::gpu::lowering
