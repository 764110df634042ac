// Verifiers of the tile dialect's operations. Each message says what is wrong in the
// terms a kernel author uses (shapes, dtypes, axes), since the DSL surfaces them.
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tegula::tile;

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string out = "[";
  llvm::raw_string_ostream os(out);
  llvm::interleave(shape, os, ",");
  os << "]";
  return out;
}

/// Pointee type of a pointer or of a tile of pointers.
static Type pointeeOf(Type ptrLike) {
  return cast<PointerType>(elementTypeOf(ptrLike)).getPointeeType();
}

static LogicalResult verifySameShape(Operation *op, Type a, StringRef aName, Type b,
                                     StringRef bName) {
  if (isa<RankedTensorType>(a) != isa<RankedTensorType>(b))
    return op->emitOpError() << bName << " is " << (isa<RankedTensorType>(b) ? "a tile" : "a scalar")
                             << " but " << aName << " is " << (isa<RankedTensorType>(a) ? "a tile" : "a scalar");
  if (shapeOf(a) != shapeOf(b))
    return op->emitOpError() << bName << " shape " << shapeString(shapeOf(b))
                             << " does not match " << aName << " shape "
                             << shapeString(shapeOf(a));
  return success();
}

/// Types equal up to their encodings: a backend may lay tiles out (the GPU lowering's
/// layouts) without changing what a tile is.
static bool sameTile(Type a, Type b) {
  auto ta = dyn_cast<RankedTensorType>(a), tb = dyn_cast<RankedTensorType>(b);
  if (!ta || !tb)
    return a == b;
  return ta.getShape() == tb.getShape() && ta.getElementType() == tb.getElementType();
}

LogicalResult RangeOp::verify() {
  auto type = getResult().getType();
  if (type.getRank() != 1)
    return emitOpError() << "result must be a 1-D tile, got rank " << type.getRank();
  // I32Attr getters are unsigned; the range is signed.
  int64_t start = static_cast<int32_t>(getStart()), end = static_cast<int32_t>(getEnd());
  if (end <= start)
    return emitOpError() << "empty range [" << start << ", " << end << ")";
  if (type.getDimSize(0) != end - start)
    return emitOpError() << "result has " << type.getDimSize(0) << " elements but the range ["
                         << start << ", " << end << ") has " << end - start;
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto src = getSrc().getType();
  auto dst = getResult().getType();
  if (src.getRank() != dst.getRank())
    return emitOpError() << "cannot broadcast rank " << src.getRank() << " to rank "
                         << dst.getRank() << "; use expand_dims first";
  for (auto [i, pair] : llvm::enumerate(llvm::zip(src.getShape(), dst.getShape()))) {
    auto [s, d] = pair;
    if (s != d && s != 1)
      return emitOpError() << "dimension " << i << " of " << shapeString(src.getShape())
                           << " is " << s << ", neither 1 nor " << d;
  }
  return success();
}

LogicalResult ExpandDimsOp::verify() {
  auto src = getSrc().getType();
  auto dst = getResult().getType();
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis > src.getRank())
    return emitOpError() << "axis " << axis << " out of range for rank " << src.getRank();
  SmallVector<int64_t> expected(src.getShape());
  expected.insert(expected.begin() + axis, 1);
  if (ArrayRef<int64_t>(expected) != dst.getShape())
    return emitOpError() << "result shape " << shapeString(dst.getShape()) << " should be "
                         << shapeString(expected);
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto src = getSrc().getType();
  auto dst = getResult().getType();
  if (src.getNumElements() != dst.getNumElements())
    return emitOpError() << "cannot reshape " << shapeString(src.getShape()) << " ("
                         << src.getNumElements() << " elements) to "
                         << shapeString(dst.getShape()) << " (" << dst.getNumElements()
                         << " elements)";
  return success();
}

LogicalResult TransOp::verify() {
  auto src = getSrc().getType();
  auto dst = getResult().getType();
  ArrayRef<int32_t> order = getOrder();
  if (static_cast<int64_t>(order.size()) != src.getRank())
    return emitOpError() << "order has " << order.size() << " entries for a rank-"
                         << src.getRank() << " tile";
  SmallVector<bool> seen(order.size(), false);
  SmallVector<int64_t> expected;
  for (int32_t d : order) {
    if (d < 0 || d >= src.getRank() || seen[d])
      return emitOpError() << "order is not a permutation of 0.." << src.getRank() - 1;
    seen[d] = true;
    expected.push_back(src.getDimSize(d));
  }
  if (ArrayRef<int64_t>(expected) != dst.getShape())
    return emitOpError() << "result shape " << shapeString(dst.getShape()) << " should be "
                         << shapeString(expected);
  return success();
}

LogicalResult AddPtrOp::verify() {
  if (elementTypeOf(getOffset().getType()).getIntOrFloatBitWidth() < 8)
    return emitOpError() << "offsets must be integers of at least 8 bits, got "
                         << elementTypeOf(getOffset().getType());
  if (isa<RankedTensorType>(getOffset().getType()) && !isa<RankedTensorType>(getPtr().getType()))
    return emitOpError() << "a scalar pointer takes a scalar offset; splat the pointer first";
  if (isa<RankedTensorType>(getPtr().getType()) && isa<RankedTensorType>(getOffset().getType()))
    return verifySameShape(*this, getPtr().getType(), "pointer", getOffset().getType(),
                           "offset");
  return success();
}

/// Shared checks of masked memory operations: the mask and `other` have the pointer's
/// shape, and `other` only comes with a mask.
static LogicalResult verifyMasked(Operation *op, Type ptrType, Value mask, Value other,
                                  Type valueType) {
  if (mask && failed(verifySameShape(op, ptrType, "pointer", mask.getType(), "mask")))
    return failure();
  if (other && !mask)
    return op->emitOpError() << "`other` is given without a mask";
  if (other && !sameTile(other.getType(), valueType))
    return op->emitOpError() << "`other` has type " << other.getType() << ", expected "
                             << valueType;
  return success();
}

LogicalResult LoadOp::verify() {
  Type ptrType = getPtr().getType();
  Type resultType = getResult().getType();
  if (failed(verifySameShape(*this, ptrType, "pointer", resultType, "result")))
    return failure();
  if (elementTypeOf(resultType) != pointeeOf(ptrType))
    return emitOpError() << "loads " << elementTypeOf(resultType) << " through a pointer to "
                         << pointeeOf(ptrType);
  if (isa<PointerType>(pointeeOf(ptrType)))
    return emitOpError() << "loading pointers from memory is not supported; load integer offsets";
  return verifyMasked(*this, ptrType, getMask(), getOther(), resultType);
}

LogicalResult StoreOp::verify() {
  Type ptrType = getPtr().getType();
  Type valueType = getValue().getType();
  if (failed(verifySameShape(*this, ptrType, "pointer", valueType, "value")))
    return failure();
  if (elementTypeOf(valueType) != pointeeOf(ptrType))
    return emitOpError() << "stores " << elementTypeOf(valueType) << " through a pointer to "
                         << pointeeOf(ptrType);
  return verifyMasked(*this, ptrType, getMask(), Value(), valueType);
}

LogicalResult GatherOp::verify() {
  auto resultType = getResult().getType();
  if (getIndices().getType().getShape() != resultType.getShape())
    return emitOpError() << "indices shape " << shapeString(getIndices().getType().getShape())
                         << " does not match result shape " << shapeString(resultType.getShape());
  if (resultType.getElementType() != getBase().getType().getPointeeType())
    return emitOpError() << "gathers " << resultType.getElementType()
                         << " through a pointer to " << getBase().getType().getPointeeType();
  if (getMask() && getMask().getType() != RankedTensorType::get(resultType.getShape(),
                                                                 getMask().getType().getElementType()))
    return emitOpError() << "mask shape " << shapeString(getMask().getType().getShape())
                         << " does not match indices shape " << shapeString(resultType.getShape());
  if (getOther() && !getMask())
    return emitOpError() << "`other` is given without a mask";
  if (getOther() && getOther().getType() != Type(resultType))
    return emitOpError() << "`other` has type " << getOther().getType() << ", expected "
                         << resultType;
  return success();
}

LogicalResult MakeDescOp::verify() {
  auto type = getResult().getType();
  if (type.getRank() == 0)
    return emitOpError() << "a descriptor needs at least one dimension";
  if (getShape().size() != type.getRank() || getStrides().size() != type.getRank())
    return emitOpError() << "a rank-" << type.getRank() << " descriptor needs " << type.getRank()
                         << " sizes and strides, got " << getShape().size() << " and "
                         << getStrides().size();
  if (type.getElementType() != getBase().getType().getPointeeType())
    return emitOpError() << "descriptor of " << type.getElementType()
                         << " over a pointer to " << getBase().getType().getPointeeType();
  for (int64_t d : type.getBlockShape())
    if (d <= 0)
      return emitOpError() << "block dimensions must be positive, got "
                           << shapeString(type.getBlockShape());
  return success();
}

static LogicalResult verifyDescAccess(Operation *op, TensorDescType desc, size_t numOffsets,
                                      RankedTensorType block) {
  if (numOffsets != desc.getRank())
    return op->emitOpError() << "a rank-" << desc.getRank() << " descriptor takes "
                             << desc.getRank() << " offsets, got " << numOffsets;
  if (block != desc.getBlockType())
    return op->emitOpError() << "block type " << block << " does not match the descriptor's "
                             << desc.getBlockType();
  return success();
}

LogicalResult DescLoadOp::verify() {
  return verifyDescAccess(*this, getDesc().getType(), getOffsets().size(), getResult().getType());
}

LogicalResult DescStoreOp::verify() {
  return verifyDescAccess(*this, getDesc().getType(), getOffsets().size(), getValue().getType());
}

LogicalResult AtomicRMWOp::verify() {
  Type ptrType = getPtr().getType();
  Type valueType = getValue().getType();
  if (failed(verifySameShape(*this, ptrType, "pointer", valueType, "value")))
    return failure();
  if (elementTypeOf(valueType) != pointeeOf(ptrType))
    return emitOpError() << "atomic on " << elementTypeOf(valueType) << " through a pointer to "
                         << pointeeOf(ptrType);
  if (getResult().getType() != valueType)
    return emitOpError() << "result type " << getResult().getType() << " must be the value type "
                         << valueType;
  Type elem = elementTypeOf(valueType);
  if (!elem.isF32() && !elem.isInteger(32) && !elem.isInteger(64) && !elem.isF64())
    return emitOpError() << "atomics support f32, f64, i32 and i64, not " << elem;
  return verifyMasked(*this, ptrType, getMask(), Value(), valueType);
}

LogicalResult AtomicCASOp::verify() {
  Type ptrType = getPtr().getType();
  if (failed(verifySameShape(*this, ptrType, "pointer", getValue().getType(), "value")))
    return failure();
  Type elem = elementTypeOf(getValue().getType());
  if (elem != pointeeOf(ptrType))
    return emitOpError() << "compare-and-swap of " << elem << " through a pointer to "
                         << pointeeOf(ptrType);
  if (!elem.isInteger(32) && !elem.isInteger(64))
    return emitOpError() << "compare-and-swap supports i32 and i64, not " << elem;
  return success();
}

LogicalResult DotOp::verify() {
  auto a = getA().getType(), b = getB().getType(), acc = getAcc().getType();
  if (a.getRank() != 2 || b.getRank() != 2 || acc.getRank() != 2)
    return emitOpError() << "operands must be 2-D tiles, got ranks " << a.getRank() << ", "
                         << b.getRank() << ", " << acc.getRank();
  if (a.getDimSize(1) != b.getDimSize(0))
    return emitOpError() << "inner dimensions differ: a is " << shapeString(a.getShape())
                         << ", b is " << shapeString(b.getShape());
  if (acc.getDimSize(0) != a.getDimSize(0) || acc.getDimSize(1) != b.getDimSize(1))
    return emitOpError() << "accumulator is " << shapeString(acc.getShape()) << ", expected ["
                         << a.getDimSize(0) << "," << b.getDimSize(1) << "]";
  if (a.getElementType() != b.getElementType())
    return emitOpError() << "operand dtypes differ: " << a.getElementType() << " and "
                         << b.getElementType();
  Type in = a.getElementType(), out = acc.getElementType();
  bool floatOk = isa<FloatType>(in) && in.getIntOrFloatBitWidth() <= 32 && out.isF32();
  bool intOk = in.isInteger(8) && out.isInteger(32);
  if (!floatOk && !intOk)
    return emitOpError() << "cannot accumulate " << in << " products in " << out
                         << " (use f32 for float inputs, i32 for i8)";
  return success();
}

LogicalResult ReduceOp::verify() {
  auto src = getSrc().getType();
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= src.getRank())
    return emitOpError() << "axis " << axis << " out of range for rank " << src.getRank();
  if (!isa<FloatType, IntegerType>(src.getElementType()))
    return emitOpError() << "cannot reduce tiles of " << src.getElementType();
  SmallVector<int64_t> expected(src.getShape());
  expected.erase(expected.begin() + axis);
  bool isArg = getKind() == ReduceKind::ArgMax || getKind() == ReduceKind::ArgMin;
  Type expectedElem = isArg ? IntegerType::get(getContext(), 32) : src.getElementType();
  Type expectedType = expected.empty() ? expectedElem
                                       : Type(RankedTensorType::get(expected, expectedElem));
  if (!sameTile(getResult().getType(), expectedType))
    return emitOpError() << "result type " << getResult().getType() << " should be "
                         << expectedType;
  return success();
}

LogicalResult ScanOp::verify() {
  auto src = getSrc().getType();
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= src.getRank())
    return emitOpError() << "axis " << axis << " out of range for rank " << src.getRank();
  if (!isa<FloatType, IntegerType>(src.getElementType()))
    return emitOpError() << "cannot scan tiles of " << src.getElementType();
  return success();
}

LogicalResult ReduceWithOp::verify() {
  auto src = getSrc().getType();
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= src.getRank())
    return emitOpError() << "axis " << axis << " out of range for rank " << src.getRank();
  SmallVector<int64_t> expected(src.getShape());
  expected.erase(expected.begin() + axis);
  Type elem = src.getElementType();
  Type expectedType = expected.empty() ? elem : Type(RankedTensorType::get(expected, elem));
  if (!sameTile(getResult().getType(), expectedType))
    return emitOpError() << "result type " << getResult().getType() << " should be " << expectedType;
  Block &body = getCombiner().front();
  if (body.getNumArguments() != 2 || body.getArgument(0).getType() != elem ||
      body.getArgument(1).getType() != elem)
    return emitOpError() << "the combiner takes two " << elem << " elements";
  // The block may be empty: the parser verifies before any terminator is required.
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield || yield.getValues().size() != 1 || yield.getValues()[0].getType() != elem)
    return emitOpError() << "the combiner must yield one " << elem;
  return success();
}

LogicalResult JoinOp::verify() {
  SmallVector<int64_t> expected(getLhs().getType().getShape());
  expected.push_back(2);
  if (getResult().getType().getShape() != ArrayRef<int64_t>(expected) ||
      getResult().getType().getElementType() != getLhs().getType().getElementType())
    return emitOpError() << "result should be " << shapeString(expected) << " of "
                         << getLhs().getType().getElementType();
  return success();
}

LogicalResult SplitOp::verify() {
  auto src = getSrc().getType();
  if (src.getRank() < 2 || src.getShape().back() != 2)
    return emitOpError() << "the last dimension must be 2, got " << shapeString(src.getShape())
                         << " (and halves of rank 0 are not tiles)";
  if (getLhs().getType().getShape() != src.getShape().drop_back() ||
      getLhs().getType().getElementType() != src.getElementType())
    return emitOpError() << "halves should be " << shapeString(src.getShape().drop_back());
  return success();
}

LogicalResult PrintOp::verify() {
  for (Value v : getValues())
    if (!isa<FloatType, IntegerType>(elementTypeOf(v.getType())))
      return emitOpError() << "can print integers and floats, not " << v.getType();
  return success();
}

Value tegula::tile::combineElements(OpBuilder &b, Location loc, ReduceKind kind, Value x, Value y) {
  const bool isFloat = isa<FloatType>(x.getType());
  switch (kind) {
  case ReduceKind::Sum:
    return isFloat ? Value(arith::AddFOp::create(b, loc, x, y)) : Value(arith::AddIOp::create(b, loc, x, y));
  case ReduceKind::Max:
    return isFloat ? Value(arith::MaxNumFOp::create(b, loc, x, y)) : Value(arith::MaxSIOp::create(b, loc, x, y));
  case ReduceKind::Min:
    return isFloat ? Value(arith::MinNumFOp::create(b, loc, x, y)) : Value(arith::MinSIOp::create(b, loc, x, y));
  default:
    llvm_unreachable("arg reductions do not combine values");
  }
}

tegula::tile::ReduceKind tegula::tile::combiningKind(ScanKind kind) {
  switch (kind) {
  case ScanKind::Sum:
    return ReduceKind::Sum;
  case ScanKind::Max:
    return ReduceKind::Max;
  case ScanKind::Min:
    return ReduceKind::Min;
  }
  llvm_unreachable("a scan kind without a combining function");
}

std::string tegula::tile::sourcePosition(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fused = dyn_cast<FusedLoc>(loc); fused && !fused.getLocations().empty())
    loc = fused.getLocations().front();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":" << file.getColumn();
  else
    loc.print(os);
  return text;
}

#define GET_OP_CLASSES
#include "dialects/tile/IR/TileOps.cpp.inc"
