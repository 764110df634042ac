// Tiles that cross threads through the block's shared memory: each thread writes the
// elements it holds (the first copy of each) where the tile's stored layout puts them,
// and reads back the elements its new layout gives it. The buffers are separate
// workgroup attributions here; placing them (by liveness) and ordering the writes
// before the reads (barriers) are passes of their own, so that this file only says
// what moves.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/Conversion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tegula::gpu::lowering {

using namespace mlir;

Type KernelLowering::sharedElementType(Type element) {
  return element.isInteger(1) ? IntegerType::get(element.getContext(), 8) : element;
}

Value KernelLowering::sharedBuffer(Type element, int64_t count, Location loc) {
  auto func = cast<::mlir::gpu::GPUFuncOp>(kernel_);
  auto space = ::mlir::gpu::AddressSpaceAttr::get(b.getContext(), ::mlir::gpu::AddressSpace::Workgroup);
  auto type = MemRefType::get({count}, sharedElementType(element), MemRefLayoutAttrInterface{}, space);
  Value buffer = func.addWorkgroupAttribution(type, loc);
  exchanges_[buffer] = static_cast<int64_t>(exchanges_.size());
  return buffer;
}

void KernelLowering::storeShared(Value buffer, Value value, Value index, Location loc) {
  if (value.getType().isInteger(1))
    value = arith::ExtUIOp::create(b, loc, b.getI8Type(), value);
  auto store = memref::StoreOp::create(b, loc, value, buffer,
                                       ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), index)});
  store->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
}

Value KernelLowering::loadShared(Value buffer, Type element, Value index, Location loc) {
  if (plantShiftExchange) { // the planted bug: the element after the one written for this read
    const int64_t count = cast<MemRefType>(buffer.getType()).getNumElements();
    index = arith::RemUIOp::create(b, loc, arith::AddIOp::create(b, loc, index, i32(1, loc)), i32(count, loc));
  }
  auto load =
      memref::LoadOp::create(b, loc, buffer, ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), index)});
  load->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
  Value value = load;
  if (element.isInteger(1))
    value = arith::TruncIOp::create(b, loc, element, value);
  return value;
}

Value KernelLowering::rowMajorOffset(ArrayRef<Value> coords, ArrayRef<int64_t> shape, Location loc) {
  Value offset;
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    Value term = stride == 1 ? coords[d] : Value(arith::MulIOp::create(b, loc, coords[d], i32(stride, loc)));
    offset = offset ? Value(arith::AddIOp::create(b, loc, offset, term)) : term;
    stride *= shape[d];
  }
  return offset ? offset : i32(0, loc);
}

namespace {

/// Where a 2-D tile's element (row, col) is stored under `swizzle`: the groups of `vec`
/// elements of a row are permuted by XOR with the row's phase, so that a warp reading a
/// column (or writing a row) spreads over the banks.
Value swizzledColumn(KernelLowering &l, Value row, Value col, const Swizzle &swizzle, Location loc) {
  if (swizzle.max_phase == 1)
    return col;
  OpBuilder &b = l.b;
  Value phase = arith::RemUIOp::create(b, loc, arith::DivUIOp::create(b, loc, row, l.i32(swizzle.per_phase, loc)),
                                       l.i32(swizzle.max_phase, loc));
  Value group = arith::DivUIOp::create(b, loc, col, l.i32(swizzle.vec, loc));
  Value within = arith::RemUIOp::create(b, loc, col, l.i32(swizzle.vec, loc));
  Value moved = arith::MulIOp::create(b, loc, arith::XOrIOp::create(b, loc, group, phase), l.i32(swizzle.vec, loc));
  return arith::AddIOp::create(b, loc, moved, within);
}

} // namespace

void KernelLowering::writeShared(Value buffer, Value tile, const LinearLayout &layout, Location loc,
                                 function_ref<Value(int64_t)> offsetOf, int64_t width) {
  const SmallVector<Value> &source = regs(tile);
  const uint64_t copies = copyRegisterBits(layout);
  OpBuilder::InsertionGuard guard(b);
  if (Value first = firstCopy(layout, loc)) {
    auto branch = scf::IfOp::create(b, loc, TypeRange{}, first, /*withElseRegion=*/false);
    b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
  }
  for (int64_t r = 0; r < static_cast<int64_t>(source.size()); r += width) {
    if (r & copies)
      continue;
    if (width == 1) {
      storeShared(buffer, source[r], offsetOf(r), loc);
      continue;
    }
    Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), offsetOf(r));
    Type element = source[r].getType();
    Value vector = vector::FromElementsOp::create(b, loc, VectorType::get({width}, element),
                                                  ValueRange(ArrayRef<Value>(source).slice(r, width)));
    const uint64_t bytes = static_cast<uint64_t>(width) * element.getIntOrFloatBitWidth() / 8;
    auto store = vector::StoreOp::create(b, loc, vector, buffer, ValueRange{index}, /*nontemporal=*/false,
                                         llvm::MaybeAlign(bytes));
    store->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
  }
}

LogicalResult KernelLowering::lowerSharedConversion(Operation *op, Value src, Value result) {
  Location loc = op->getLoc();
  auto type = cast<RankedTensorType>(src.getType());
  Type element = elementType(type);
  if (!element.isIntOrFloat())
    return op->emitError("the GPU lowering moves numbers between threads, not ") << element;
  FailureOr<LinearLayout> from = layoutOf(src, op), to = layoutOf(result, op);
  if (failed(from) || failed(to))
    return failure();
  ArrayRef<int64_t> shape = type.getShape();
  Swizzle swizzle;
  if (shape.size() == 2) {
    const int64_t bytes = std::max<int64_t>(1, sharedElementType(element).getIntOrFloatBitWidth() / 8);
    swizzle = plan_conversion(*from, *to, bytes).swizzle;
  }
  auto offsetOf = [&](const LinearLayout &layout, int64_t reg) {
    SmallVector<Value> coords;
    for (size_t d = 0; d < shape.size(); ++d)
      coords.push_back(coordinate(layout, reg, static_cast<int>(d), loc));
    if (shape.size() == 2)
      coords[1] = swizzledColumn(*this, coords[0], coords[1], swizzle, loc);
    return rowMajorOffset(coords, shape, loc);
  };
  Value buffer = sharedBuffer(element, type.getNumElements(), loc);
  writeShared(buffer, src, *from, loc, [&](int64_t r) { return offsetOf(*from, r); });
  SmallVector<Value> out;
  for (int64_t r = 0; r < to->in_size("register"); ++r)
    out.push_back(loadShared(buffer, element, offsetOf(*to, r), loc));
  mapTile(result, std::move(out));
  return success();
}

} // namespace tegula::gpu::lowering
