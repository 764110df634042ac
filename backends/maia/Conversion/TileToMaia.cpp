// tegula-convert-tile-to-maia. Data tiles live in TSRAM buffers at static offsets;
// index tiles, masks and pointer tiles are kept symbolic (affine in the block's
// indices) so that a masked load or store through `base + rows.col() * N + cols.row()`
// becomes one 2-D DMA whose row and column counts come from the mask. See Passes.td.
#include "backends/maia/Conversion/Passes.h"
#include "dialects/tile/IR/TileDialect.h"

#include "backends/maia/Conversion/Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

namespace tegula::maia {
#define GEN_PASS_DEF_TEGULACONVERTTILETOMAIA
#include "backends/maia/Conversion/Passes.h.inc"
} // namespace tegula::maia

using namespace mlir;
using namespace tegula::maia::lowering;
namespace tile = tegula::tile;

namespace tegula::maia::lowering {

void Lowering::lowerElementwise(Operation *op) {
  Value result = op->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  Type elem = type.getElementType();
  if (elem.isBF16() || elem.isF16()) {
    // bf16 and f16 functions are f32 ones rounded once, as on the CPU: widen the
    // operands, compute, narrow the result (f16 arithmetic is the typed unit's).
    lowerWidened(op);
    return;
  }
  if (!elem.isF32())
    fail(op, "vector arithmetic is lowered in f32 (and bf16 through f32); cast " +
                 std::to_string(elem.getIntOrFloatBitWidth()) + "-bit floats to f32 first");
  if (isa<math::TanhOp, math::SinOp, math::CosOp, math::Exp2Op, math::Log2Op>(op)) {
    lowerTypedFunction(op); // functions the f32 unit lacks, on the typed unit in f32
    return;
  }
  if (lowerBroadcastOperand(op))
    return;
  if (isa<math::ExpOp, math::SqrtOp, math::ErfOp, math::LogOp>(op)) {
    mir::VectorUnaryKind kind = isa<math::ExpOp>(op)    ? mir::VectorUnaryKind::Exp
                                : isa<math::SqrtOp>(op) ? mir::VectorUnaryKind::Sqrt
                                : isa<math::ErfOp>(op)  ? mir::VectorUnaryKind::Erf
                                                        : mir::VectorUnaryKind::Log;
    Buffer x = materialize(op->getOperand(0), op);
    Buffer out = allocate(type.getShape(), elem, op);
    int32_t sem = begin({x}, {out});
    mir::VectorUnaryOp::create(b_, loc(), kind, cst(out.offset), cst(x.offset), cst(x.numel()), sem);
    tiles_[result] = out;
    return;
  }
  if (isa<arith::NegFOp>(op)) { // x * -1 (not 0 - x, which would turn -0 into +0)
    Buffer x = materialize(op->getOperand(0), op);
    Buffer minusOne = allocate(type.getShape(), elem, op);
    fill(minusOne, -1.0);
    int32_t sem = begin({minusOne, x}, {minusOne});
    mir::VectorBinaryOp::create(b_, loc(), mir::VectorKind::Mul, cst(minusOne.offset), cst(minusOne.offset),
                                cst(x.offset), cst(x.numel()), sem);
    tiles_[result] = minusOne;
    return;
  }
  if (isa<math::AbsFOp>(op)) { // max(x, -x): exact, and a NaN stays a NaN
    Buffer x = materialize(op->getOperand(0), op);
    Buffer out = allocate(type.getShape(), elem, op);
    fill(out, -1.0);
    vector(mir::VectorKind::Mul, out, out, x);
    vector(mir::VectorKind::Max, out, out, x);
    tiles_[result] = out;
    return;
  }
  if (isa<arith::MinNumFOp>(op)) { // -max(-a, -b): exact; max drops a NaN as minnum does
    Buffer a = materialize(op->getOperand(0), op), bb = materialize(op->getOperand(1), op);
    Buffer out = allocate(type.getShape(), elem, op), minusB = allocate(type.getShape(), elem, op);
    fill(out, -1.0);
    vector(mir::VectorKind::Mul, out, out, a);
    fill(minusB, -1.0);
    vector(mir::VectorKind::Mul, minusB, minusB, bb);
    vector(mir::VectorKind::Max, out, out, minusB);
    fill(minusB, -1.0);
    vector(mir::VectorKind::Mul, out, out, minusB);
    tiles_[result] = out;
    return;
  }
  mir::VectorKind kind;
  if (isa<arith::AddFOp>(op))
    kind = mir::VectorKind::Add;
  else if (isa<arith::SubFOp>(op))
    kind = mir::VectorKind::Sub;
  else if (isa<arith::MulFOp>(op))
    kind = mir::VectorKind::Mul;
  else if (isa<arith::MaxNumFOp>(op)) // the vector unit's max drops NaNs, as maxnum does
    kind = mir::VectorKind::Max;
  else if (isa<arith::DivFOp>(op))
    kind = mir::VectorKind::Div;
  else
    fail(op, "no vector-unit sequence is written for it");
  Buffer lhs = materialize(op->getOperand(0), op), rhs = materialize(op->getOperand(1), op);
  Buffer out = allocate(type.getShape(), elem, op);
  int32_t sem = begin({lhs, rhs}, {out});
  mir::VectorBinaryOp::create(b_, loc(), kind, cst(out.offset), cst(lhs.offset), cst(rhs.offset), cst(out.numel()), sem);
  tiles_[result] = out;
}

bool Lowering::lowerBroadcastOperand(Operation *op) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (op->getNumOperands() != 2 || type.getRank() != 2)
    return false;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  bool commutes = isa<arith::AddFOp, arith::MulFOp>(op);
  // The broadcast vector's operand index (the other side is the matrix).
  int side = -1;
  for (int i : {1, 0}) {
    Info &in = info(op->getOperand(i), op);
    if ((std::holds_alternative<RowBroadcast>(in) || std::holds_alternative<ColBroadcast>(in)) &&
        (i == 1 || commutes)) {
      side = i;
      break;
    }
  }
  if (side < 0)
    return false;
  Info vectorInfo = info(op->getOperand(side), op); // a copy: materialize may grow the map
  bool row = std::holds_alternative<RowBroadcast>(vectorInfo);
  // The row unit takes x - v[:,None], x / v[:,None] and x * v[:,None]; the column unit
  // x + w[None,:] and x * w[None,:]. Other operators take the broadcast materialized as a
  // whole tile (materialize), one more vector pass.
  std::optional<mir::RowKind> rowKind;
  if (isa<arith::SubFOp>(op))
    rowKind = mir::RowKind::Sub;
  else if (isa<arith::DivFOp>(op))
    rowKind = mir::RowKind::Div;
  else if (isa<arith::MulFOp>(op))
    rowKind = mir::RowKind::Mul;
  if (row ? !rowKind : !commutes)
    return false;
  Buffer vector = row ? std::get<RowBroadcast>(vectorInfo).vector : std::get<ColBroadcast>(vectorInfo).vector;
  Buffer x = materialize(op->getOperand(1 - side), op);
  Buffer out = allocate(type.getShape(), type.getElementType(), op);
  int32_t sem = begin({x, vector}, {out});
  if (row)
    mir::RowOp::create(b_, loc(), *rowKind, cst(out.offset), cst(x.offset), cst(vector.offset), cst(cols), cst(rows),
                       sem);
  else
    mir::ColOp::create(b_, loc(), isa<arith::AddFOp>(op) ? mir::ColKind::Add : mir::ColKind::Mul, cst(out.offset),
                       cst(x.offset), cst(vector.offset), cst(cols), cst(rows), sem);
  tiles_[op->getResult(0)] = out;
  return true;
}

void Lowering::lowerSelect(arith::SelectOp op) {
  // where(mask, x, c) with an index mask: x, then c over each row's masked-off tail
  // (columns past the limit) and over the rows past the row limit (a tail that starts
  // at cols * (limit - r), clamped to the row).
  auto type = cast<RankedTensorType>(op.getType());
  if (!type.getElementType().isF32() || type.getRank() > 2)
    fail(op, "`where` is lowered for f32 tiles of rank 1 or 2");
  Mask mask = as<Mask>(op.getCondition(), op, "a mask of index comparisons");
  FloatConst fill = as<FloatConst>(op.getFalseValue(), op, "a float constant where the mask is false");
  Buffer x = materialize(op.getTrueValue(), op);
  Buffer out = allocate(type.getShape(), type.getElementType(), op);
  copy(out, x);
  int64_t cols = type.getShape().back(), rows = type.getRank() == 2 ? type.getDimSize(0) : 1;
  Value bits = splatBits(fill, type.getElementType(), op);
  auto tail = [&](Value first, int32_t step) {
    int32_t sem = begin({}, {out});
    mir::FillTailOp::create(b_, loc(), cst(out.offset), first, bits, cst(cols), cst(rows), step, sem);
  };
  if (Value limit = mask.limits[type.getRank() - 1])
    tail(limit, 0);
  if (type.getRank() == 2 && mask.limits[0])
    tail(mul(mask.limits[0], cst(cols)), static_cast<int32_t>(-cols));
  if (mask.diagonal) // row r keeps columns c < diagonal + r
    tail(mask.diagonal, 1);
  tiles_[op.getResult()] = out;
}

void Lowering::lowerWidened(Operation *op) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  auto f32 = Float32Type::get(op->getContext());
  auto convert = [&](const Buffer &src, Type to, mir::VectorUnaryKind kind) {
    if (!src.elem.isBF16() && !to.isBF16())
      return typedConvert(src, to, op);
    Buffer out = allocate(src.shape, to, op);
    int32_t sem = begin({src}, {out});
    mir::VectorUnaryOp::create(b_, loc(), kind, cst(out.offset), cst(src.offset), cst(src.numel()), sem);
    return out;
  };
  // Temporary f32 values stand in for the operands while the op itself is lowered.
  SmallVector<Value> wideOperands;
  for (Value operand : op->getOperands()) {
    Info &i = info(operand, op);
    Value stand = UnrealizedConversionCastOp::create(b_, loc(), RankedTensorType::get(cast<RankedTensorType>(operand.getType()).getShape(), f32), ValueRange{}).getResult(0);
    if (auto *c = std::get_if<FloatConst>(&i)) {
      FloatConst wide{c->value, f32, c->bits};
      tiles_[stand] = wide;
    } else if (std::holds_alternative<RowBroadcast>(i)) {
      Buffer vec = std::get<RowBroadcast>(i).vector;
      tiles_[stand] = RowBroadcast{convert(vec, f32, mir::VectorUnaryKind::ToF32)};
    } else if (std::holds_alternative<ColBroadcast>(i)) {
      Buffer vec = std::get<ColBroadcast>(i).vector;
      tiles_[stand] = ColBroadcast{convert(vec, f32, mir::VectorUnaryKind::ToF32)};
    } else {
      Buffer narrow = materialize(operand, op);
      tiles_[stand] = convert(narrow, f32, mir::VectorUnaryKind::ToF32);
    }
    wideOperands.push_back(stand);
  }
  Operation *wide = b_.clone(*op);
  wide->setOperands(wideOperands);
  wide->getResult(0).setType(RankedTensorType::get(type.getShape(), f32));
  lowerElementwise(wide);
  Buffer result = std::get<Buffer>(tiles_[wide->getResult(0)]);
  tiles_[op->getResult(0)] = convert(result, type.getElementType(), mir::VectorUnaryKind::ToBf16);
  // The stand-ins were only keys of the map; they never reach the output.
  tiles_.erase(wide->getResult(0));
  wide->erase();
  for (Value v : wideOperands) {
    tiles_.erase(v);
    v.getDefiningOp()->erase();
  }
}

void Lowering::lowerOp(Operation *op) {
  loc_ = op->getLoc();
  current_ = op;
  auto isTile = [](Value v) { return isa<RankedTensorType>(v.getType()); };
  if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = c.getValue();
    if (auto dense = dyn_cast<SplatElementsAttr>(value)) {
      Type elem = dense.getElementType();
      if (isa<FloatType>(elem))
        tiles_[c.getResult()] = FloatConst{dense.getSplatValue<APFloat>().convertToDouble(), elem};
      else // a bool splat is 0 or 1, as comparisons make them
        tiles_[c.getResult()] = Affine{cst(elem.isInteger(1) ? dense.getSplatValue<APInt>().getZExtValue()
                                                             : dense.getSplatValue<APInt>().getSExtValue()),
                                       SmallVector<Value>(dense.getType().getRank())};
      return;
    }
    if (auto i = dyn_cast<IntegerAttr>(value)) { // a bool is 0 or 1
      scalars_[c.getResult()] = cst(i.getType().isInteger(1) ? (i.getValue().isZero() ? 0 : 1) : i.getInt());
      return;
    }
    if (auto f = dyn_cast<FloatAttr>(value)) {
      tiles_[c.getResult()] = FloatConst{f.getValueAsDouble(), f.getType()};
      return;
    }
    fail(op, "constants of this type are not held (bool constants, and tiles that are not splats)");
  }
  if (auto pid = dyn_cast<tile::ProgramIdOp>(op)) {
    int32_t axis = static_cast<int32_t>(pid.getAxis());
    scalars_[pid.getResult()] =
        squares_ ? squarePid_[axis] : Value(mir::ProgramIdOp::create(b_, loc(), b_.getI64Type(), axis));
    return;
  }
  if (auto n = dyn_cast<tile::NumProgramsOp>(op)) {
    int32_t axis = static_cast<int32_t>(n.getAxis());
    scalars_[n.getResult()] = mir::NumProgramsOp::create(b_, loc(), b_.getI64Type(), axis);
    return;
  }
  if (lowerScalarOnVectorUnit(op)) // float scalars held in TSRAM (reductions to a scalar)
    return;
  // Scalar integer arithmetic.
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::MinSIOp, arith::DivSIOp>(op) &&
      !isTile(op->getResult(0))) {
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    Value r = isa<arith::AddIOp>(op)     ? Value(arith::AddIOp::create(b_, loc(), a, c))
              : isa<arith::SubIOp>(op)   ? Value(arith::SubIOp::create(b_, loc(), a, c))
              : isa<arith::MulIOp>(op)   ? Value(arith::MulIOp::create(b_, loc(), a, c))
              : isa<arith::DivSIOp>(op)  ? Value(arith::DivSIOp::create(b_, loc(), a, c))
                                         : Value(arith::MinSIOp::create(b_, loc(), a, c));
    scalars_[op->getResult(0)] = r;
    return;
  }
  if (isa<arith::MaxSIOp>(op) && !isTile(op->getResult(0))) { // a + c - min(a, c), exact modulo 2^64
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    scalars_[op->getResult(0)] = sub(add(a, c), min(a, c));
    return;
  }
  if (isa<math::AbsIOp>(op) && !isTile(op->getResult(0))) { // -min(-x, x), wrapping as abs does
    Value x = scalar(op->getOperand(0), op);
    scalars_[op->getResult(0)] = sub(cst(0), min(sub(cst(0), x), x));
    return;
  }
  if (isa<arith::RemSIOp>(op) && !isTile(op->getResult(0))) { // a - (a / c) c, truncating as remsi does
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    scalars_[op->getResult(0)] = sub(a, mul(arith::DivSIOp::create(b_, loc(), a, c), c));
    return;
  }
  if (auto branch = dyn_cast<scf::IfOp>(op))
    return lowerIf(branch);
  const bool boolWidened = isa<arith::ExtUIOp>(op) && op->getOperand(0).getType().isInteger(1);
  if ((isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp>(op) || boolWidened) && !isTile(op->getResult(0))) {
    // Registers hold i64, sign-extended: a widened integer keeps its value, and so does
    // a bool (0 or 1) widened without sign.
    scalars_[op->getResult(0)] = scalar(op->getOperand(0), op);
    return;
  }
  // Scalar conditions are 0/1 integers (the branch instructions compare registers;
  // there are no flag registers): a < b is min(max(b - a, 0), 1).
  if (auto cmp = dyn_cast<arith::CmpIOp>(op); cmp && !isTile(cmp.getResult())) {
    Value a = scalar(cmp.getLhs(), op), c = scalar(cmp.getRhs(), op);
    auto less = [&](Value x, Value y) { return min(sub(cst(0), min(sub(x, y), cst(0))), cst(1)); };
    using P = arith::CmpIPredicate;
    Value flag;
    switch (cmp.getPredicate()) {
    case P::slt: flag = less(a, c); break;
    case P::sle: flag = less(a, add(c, cst(1))); break;
    case P::sgt: flag = less(c, a); break;
    case P::sge: flag = sub(cst(1), less(a, c)); break;
    case P::eq: flag = sub(cst(1), add(less(a, c), less(c, a))); break;
    case P::ne: flag = add(less(a, c), less(c, a)); break;
    default: fail(op, "unsigned comparisons of scalars are not lowered");
    }
    scalars_[cmp.getResult()] = flag;
    return;
  }
  if (isa<arith::AndIOp, arith::OrIOp, arith::XOrIOp, arith::ShLIOp, arith::ShRSIOp, arith::ShRUIOp>(op) &&
      !isTile(op->getResult(0)) && !op->getResult(0).getType().isInteger(1)) {
    // Bitwise operators and shifts of integer scalars. Registers hold the value
    // sign-extended to 64 bits: a narrower result is sign-extended again, and a logical
    // shift reads its operand zero-extended.
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    const int64_t width = op->getResult(0).getType().getIntOrFloatBitWidth(), spare = 64 - width;
    auto signExtend = [&](Value v) -> Value {
      if (spare == 0)
        return v;
      return arith::ShRSIOp::create(b_, loc(), arith::ShLIOp::create(b_, loc(), v, cst(spare)), cst(spare));
    };
    Value r;
    if (isa<arith::AndIOp>(op))
      r = arith::AndIOp::create(b_, loc(), a, c);
    else if (isa<arith::OrIOp>(op))
      r = arith::OrIOp::create(b_, loc(), a, c);
    else if (isa<arith::XOrIOp>(op))
      r = arith::XOrIOp::create(b_, loc(), a, c);
    else if (isa<arith::ShLIOp>(op))
      r = signExtend(arith::ShLIOp::create(b_, loc(), a, c));
    else if (isa<arith::ShRSIOp>(op))
      r = arith::ShRSIOp::create(b_, loc(), a, c);
    else {
      Value zeroExtended =
          spare == 0 ? a : Value(arith::ShRUIOp::create(b_, loc(), arith::ShLIOp::create(b_, loc(), a, cst(spare)), cst(spare)));
      r = signExtend(arith::ShRUIOp::create(b_, loc(), zeroExtended, c));
    }
    scalars_[op->getResult(0)] = r;
    return;
  }
  if (isa<arith::AndIOp, arith::OrIOp>(op) && !isTile(op->getResult(0)) && op->getResult(0).getType().isInteger(1)) {
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    scalars_[op->getResult(0)] =
        isa<arith::AndIOp>(op) ? min(a, c) : sub(cst(0), min(sub(cst(0), a), sub(cst(0), c)));
    return;
  }
  if (auto select = dyn_cast<arith::SelectOp>(op); select && !isTile(select.getResult())) {
    // c ? x : y as y + c (x - y), on integers or on f32 bit patterns.
    Value flag = scalar(select.getCondition(), op);
    if (isa<FloatType>(select.getType())) {
      Type f32 = select.getType();
      Value x = splatBits(as<FloatConst>(select.getTrueValue(), op, "a float"), f32, op);
      Value y = splatBits(as<FloatConst>(select.getFalseValue(), op, "a float"), f32, op);
      tiles_[select.getResult()] = FloatConst{0.0, f32, add(y, mul(flag, sub(x, y)))};
    } else {
      Value x = scalar(select.getTrueValue(), op), y = scalar(select.getFalseValue(), op);
      scalars_[select.getResult()] = add(y, mul(flag, sub(x, y)));
    }
    return;
  }
  if (auto toFloat = dyn_cast<arith::SIToFPOp>(op); toFloat && !isTile(toFloat.getResult())) {
    if (!toFloat.getType().isF32())
      fail(op, "the control processor's conversions of integers are lowered to f32 only");
    tiles_[toFloat.getResult()] =
        FloatConst{0.0, toFloat.getType(), mir::CvtfOp::create(b_, loc(), b_.getI64Type(), scalar(toFloat.getIn(), op))};
    return;
  }
  if (lowerTyped(op))
    return;
  if (auto select = dyn_cast<arith::SelectOp>(op); select && isTile(select.getResult()))
    return lowerSelect(select);
  // Index tiles, masks and pointer tiles (symbolic).
  if (auto r = dyn_cast<tile::RangeOp>(op)) {
    tiles_[r.getResult()] = Affine{r.getStart() ? cst(static_cast<int32_t>(r.getStart())) : Value(), {cst(1)}};
    return;
  }
  if (auto s = dyn_cast<tile::SplatOp>(op)) {
    auto type = s.getResult().getType();
    Value src = s.getSrc();
    SmallVector<Value> zeros(type.getRank());
    if (isa<tile::PointerType>(src.getType()))
      tiles_[s.getResult()] = PtrTile{scalar(src, op), Affine{Value(), zeros},
                                      cast<tile::PointerType>(src.getType()).getPointeeType()};
    else if (isa<FloatType>(src.getType()) || (tiles_.count(src) && std::holds_alternative<Buffer>(tiles_[src]))) {
      if (std::holds_alternative<Buffer>(info(src, op))) {
        // A scalar computed by the vector unit (a reduction, a comparison of float
        // scalars): every element a copy.
        Buffer one = std::get<Buffer>(info(src, op));
        Buffer out = allocate(type.getShape(), one.elem, op);
        typedRow(mir::TypedRowKind::Bcast, out, one, out.numel(), 1);
        tiles_[s.getResult()] = out;
        return;
      }
      FloatConst c = as<FloatConst>(src, op, "a float scalar");
      tiles_[s.getResult()] = c;
    }
    else
      tiles_[s.getResult()] = Affine{scalar(src, op), zeros};
    return;
  }
  if (auto e = dyn_cast<tile::ExpandDimsOp>(op)) {
    int64_t axis = static_cast<int32_t>(e.getAxis());
    Info &i = info(e.getSrc(), op);
    if (auto *a = std::get_if<Affine>(&i)) {
      Affine out = *a;
      out.strides.insert(out.strides.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *m = std::get_if<Mask>(&i)) {
      if (m->diagonal)
        fail(op, "a diagonal mask does not change rank in this lowering");
      Mask out = *m;
      out.limits.insert(out.limits.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *p = std::get_if<PtrTile>(&i)) {
      PtrTile out = *p;
      out.offsets.strides.insert(out.offsets.strides.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *buf = std::get_if<Buffer>(&i)) {
      Buffer out = *buf;
      out.shape.insert(out.shape.begin() + axis, 1);
      tiles_[e.getResult()] = out;
    } else if (auto *c = std::get_if<FloatConst>(&i)) {
      FloatConst copy = *c;
      tiles_[e.getResult()] = copy;
    } else {
      fail(op, "cannot expand this tile");
    }
    return;
  }
  if (auto bc = dyn_cast<tile::BroadcastOp>(op)) {
    Info &i = info(bc.getSrc(), op);
    auto srcShape = bc.getSrc().getType().getShape();
    auto dstShape = bc.getResult().getType().getShape();
    if (auto *buf = std::get_if<Buffer>(&i)) {
      // [rows, 1] -> [rows, cols] is a row broadcast (a value per row), [1, cols] ->
      // [rows, cols] a column broadcast (a value per column); which one a [1, 1] source
      // is depends on the axis that grows. Anything else would need copies.
      if (srcShape.size() == 2 && srcShape[1] == 1 && srcShape[0] == dstShape[0]) {
        tiles_[bc.getResult()] = RowBroadcast{*buf};
        return;
      }
      if (srcShape.size() == 2 && srcShape[0] == 1 && srcShape[1] == dstShape[1]) {
        tiles_[bc.getResult()] = ColBroadcast{*buf};
        return;
      }
      fail(op, "data tiles are broadcast along one axis only ([rows,1] or [1,cols] -> [rows,cols])");
    }
    Info copy = i; // copied first: inserting into the map may move `i`
    tiles_[bc.getResult()] = copy; // symbolic tiles and constants do not depend on the size
    return;
  }
  if (isa<arith::AddIOp, arith::MulIOp>(op)) {
    Affine &x = as<Affine>(op->getOperand(0), op, "an index tile");
    Affine &y = as<Affine>(op->getOperand(1), op, "an index tile");
    Affine out;
    if (isa<arith::AddIOp>(op)) {
      out.base = add(x.base, y.base);
      for (auto [s, t] : llvm::zip(x.strides, y.strides))
        out.strides.push_back(add(s, t));
    } else {
      // One side must be uniform (a splat) for the product to stay affine.
      bool xUniform = llvm::all_of(x.strides, [](Value v) { return !v; });
      bool yUniform = llvm::all_of(y.strides, [](Value v) { return !v; });
      if (!xUniform && !yUniform)
        fail(op, "the product of two varying index tiles is not affine");
      Affine &v = xUniform ? y : x;
      Value k = xUniform ? x.base : y.base;
      out.base = mul(v.base, k);
      for (Value s : v.strides)
        out.strides.push_back(mul(s, k));
    }
    tiles_[op->getResult(0)] = out;
    return;
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(op); cmp && isTile(cmp.getResult())) {
    // `x < b` and `x <= b` (as x < b + 1) of a unit-stride index x and a uniform bound;
    // or, in 2-D, `col <= row + s` / `col < row + s`: a bound on the diagonal.
    bool inclusive = cmp.getPredicate() == arith::CmpIPredicate::sle;
    if (cmp.getPredicate() != arith::CmpIPredicate::slt && !inclusive)
      fail(op, "comparisons of integer tiles are lowered as masks `index < bound` and `index <= bound` only");
    Affine &x = as<Affine>(cmp.getLhs(), op, "an index tile");
    Affine &bound = as<Affine>(cmp.getRhs(), op, "a bound");
    auto varyingDim = [&](const Affine &a, const char *what) {
      int varying = -1;
      for (auto [d, s] : llvm::enumerate(a.strides)) {
        if (!s)
          continue;
        auto c = constOf(s);
        if (!c || *c != 1 || varying >= 0)
          fail(op, std::string("a mask must compare unit-stride indices (as arange or rows.col()); ") + what +
                       " is not one");
        varying = static_cast<int>(d);
      }
      return varying;
    };
    int xDim = varyingDim(x, "the left side"), bDim = varyingDim(bound, "the bound");
    Mask m;
    m.limits.resize(x.strides.size());
    Value limit = sub(bound.base, x.base);
    if (inclusive)
      limit = add(limit, cst(1));
    if (xDim < 0)
      fail(op, "a mask over a uniform value is a scalar condition; use if_else");
    if (bDim < 0) {
      m.limits[xDim] = limit;
    } else if (x.strides.size() == 2 && xDim == 1 && bDim == 0) {
      m.diagonal = limit; // col - row < bound.base - x.base
    } else {
      fail(op, "a mask's bound may vary only along the rows, against an index along the columns");
    }
    tiles_[cmp.getResult()] = m;
    return;
  }
  if (auto a = dyn_cast<arith::AndIOp>(op); a && isTile(a.getResult())) {
    // A mask and a splat scalar condition (0 or 1): the condition bounds the last
    // dimension at 0 or leaves it alone.
    for (int side : {0, 1}) {
      auto *flag = std::get_if<Affine>(&info(op->getOperand(side), op));
      if (!flag)
        continue;
      if (!llvm::all_of(flag->strides, [](Value s) { return !s; }))
        fail(op, "bitwise operations on index tiles are not lowered; `&` combines a mask with a uniform condition only");
      Value condition = flag->base ? flag->base : cst(0);
      Mask out = as<Mask>(op->getOperand(1 - side), op, "a mask");
      Value &last = out.limits.back();
      Value gate = mul(condition, cst(int64_t{1} << 30));
      last = last ? min(last, gate) : gate;
      tiles_[a.getResult()] = out;
      return;
    }
    Mask &x = as<Mask>(a.getLhs(), op, "a mask"), &y = as<Mask>(a.getRhs(), op, "a mask");
    Mask out;
    for (auto [s, t] : llvm::zip(x.limits, y.limits))
      out.limits.push_back(!s ? t : !t ? s : min(s, t));
    out.diagonal = !x.diagonal ? y.diagonal : !y.diagonal ? x.diagonal : min(x.diagonal, y.diagonal);
    tiles_[a.getResult()] = out;
    return;
  }
  if (auto ap = dyn_cast<tile::AddPtrOp>(op)) {
    if (!isTile(ap.getResult())) {
      Value off = scalar(ap.getOffset(), op);
      int64_t esize = bytesOf(cast<tile::PointerType>(ap.getType()).getPointeeType());
      scalars_[ap.getResult()] = add(scalar(ap.getPtr(), op), mul(off, cst(esize)));
      return;
    }
    if (std::holds_alternative<PtrData>(info(ap.getPtr(), op)) || !std::holds_alternative<Affine>(info(ap.getOffset(), op)))
      return lowerDataAddPtr(ap); // offsets of data: an indexed access
    PtrTile p = as<PtrTile>(ap.getPtr(), op, "a tile of pointers");
    Affine &o = as<Affine>(ap.getOffset(), op, "an index tile");
    p.offsets.base = add(p.offsets.base, o.base);
    for (auto [s, t] : llvm::zip(p.offsets.strides, o.strides))
      s = add(s, t);
    tiles_[ap.getResult()] = p;
    return;
  }
  if (isa<tile::LoadOp, tile::StoreOp>(op))
    return lowerLoadStore(op);
  if (auto atomic = dyn_cast<tile::AtomicRMWOp>(op))
    return lowerAtomic(atomic);
  if (auto cas = dyn_cast<tile::AtomicCASOp>(op))
    return lowerAtomicCas(cas);
  if (auto gather = dyn_cast<tile::GatherOp>(op))
    return lowerGather(gather);
  if (auto md = dyn_cast<tile::MakeDescOp>(op)) {
    Desc d;
    d.base = scalar(md.getBase(), op);
    for (Value v : md.getShape())
      d.shape.push_back(scalar(v, op));
    for (Value v : md.getStrides())
      d.strides.push_back(scalar(v, op));
    d.elem = md.getType().getElementType();
    tiles_[md.getResult()] = d;
    return;
  }
  if (isa<tile::DescLoadOp, tile::DescStoreOp>(op))
    return lowerDesc(op);
  if (auto scan = dyn_cast<tile::ScanOp>(op))
    return lowerScan(scan);
  if (auto red = dyn_cast<tile::ReduceWithOp>(op))
    return lowerReduceWith(red);
  if (auto reshape = dyn_cast<tile::ReshapeOp>(op))
    return lowerReshape(reshape);
  if (auto join = dyn_cast<tile::JoinOp>(op))
    return lowerJoin(join);
  if (auto print = dyn_cast<tile::PrintOp>(op))
    return lowerPrint(print);
  if (auto check = dyn_cast<tile::AssertOp>(op))
    return lowerAssert(check);
  if (auto split = dyn_cast<tile::SplitOp>(op))
    return lowerSplit(split);
  if (auto tr = dyn_cast<tile::TransOp>(op)) {
    if (tr.getSrc().getType().getRank() != 2)
      return lowerPermute(tr);
    tiles_[tr.getResult()] = Transposed{materialize(tr.getSrc(), op)};
    return;
  }
  if (auto dot = dyn_cast<tile::DotOp>(op)) {
    auto aType = dot.getA().getType();
    if (!aType.getElementType().isBF16())
      return lowerVectorDot(dot); // the tensor unit takes bf16 only
    // B given transposed (stored [N, K]) is read as such by mma.t.
    std::optional<Buffer> bTransposed;
    if (auto *t = std::get_if<Transposed>(&info(dot.getB(), op)))
      bTransposed = t->buffer;
    Buffer a = materialize(dot.getA(), op), bb = bTransposed ? *bTransposed : materialize(dot.getB(), op);
    Buffer acc = materialize(dot.getAcc(), op);
    // Accumulate in place only when nothing else reads the old value: one use, and not
    // from inside a loop that the accumulator was defined outside of (each iteration
    // would add to the previous one's result).
    if (!dot.getAcc().hasOneUse() || dot.getAcc().getParentBlock() != op->getBlock()) {
      Buffer fresh = allocate(acc.shape, acc.elem, op);
      copy(fresh, acc);
      acc = fresh;
    }
    int32_t sem = begin({a, bb, acc}, {acc}, CommandKind::Tensor);
    Value m = cst(aType.getDimSize(0)), n = cst(dot.getB().getType().getDimSize(1));
    int32_t k = static_cast<int32_t>(aType.getDimSize(1));
    if (bTransposed)
      mir::MmaTOp::create(b_, loc(), cst(acc.offset), cst(a.offset), cst(bb.offset), m, n, k, sem);
    else
      mir::MmaOp::create(b_, loc(), cst(acc.offset), cst(a.offset), cst(bb.offset), m, n, k, sem);
    tiles_[dot.getResult()] = acc;
    return;
  }
  if (auto red = dyn_cast<tile::ReduceOp>(op)) {
    auto type = red.getSrc().getType();
    const int64_t axis = static_cast<int32_t>(red.getAxis());
    if (type.getRank() > 2)
      fail(op, "reductions are lowered for tiles of rank 1 or 2 only");
    if (!type.getElementType().isF32() || type.getRank() == 1 ||
        (red.getKind() != tile::ReduceKind::Max && red.getKind() != tile::ReduceKind::Sum))
      return lowerTypedReduce(red); // other dtypes and kinds: the typed unit's row operations
    if (type.getRank() == 1)
      fail(op, "reductions to a scalar are not lowered (reductions along an axis are)");
    if (axis == 0) {
      // Down the columns: the first row, then one vector operation per further row (a
      // tile of R rows takes R - 1 commands: slow for tall tiles).
      const int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
      Buffer src = materialize(red.getSrc(), op);
      Buffer out = allocate({cols}, type.getElementType(), op);
      auto row = [&](int64_t r) {
        Buffer view = src;
        view.shape = {cols};
        view.offset = src.offset + r * cols * bytesOf(src.elem);
        return view;
      };
      copy(out, row(0));
      for (int64_t r = 1; r < rows; ++r)
        vector(red.getKind() == tile::ReduceKind::Max ? mir::VectorKind::Max : mir::VectorKind::Add, out, out, row(r));
      tiles_[red.getResult()] = out;
      return;
    }
    Buffer src = materialize(red.getSrc(), op);
    Buffer out = allocate({type.getDimSize(0)}, type.getElementType(), op);
    int32_t sem = begin({src}, {out});
    mir::RowOp::create(b_, loc(), red.getKind() == tile::ReduceKind::Max ? mir::RowKind::Max : mir::RowKind::Sum,
                       cst(out.offset), cst(src.offset), Value(), cst(type.getDimSize(1)), cst(type.getDimSize(0)), sem);
    tiles_[red.getResult()] = out;
    return;
  }
  if (isa<arith::ExtFOp, arith::TruncFOp>(op) && isTile(op->getResult(0))) {
    auto from = cast<RankedTensorType>(op->getOperand(0).getType()).getElementType();
    auto to = cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
    bool widen = from.isBF16() && to.isF32(), narrow = from.isF32() && to.isBF16();
    if (!widen && !narrow)
      fail(op, "the vector unit's conversions between bf16 and f32 are the only casts of tiles lowered");
    Buffer src = materialize(op->getOperand(0), op);
    Buffer out = allocate(src.shape, to, op);
    int32_t sem = begin({src}, {out});
    mir::VectorUnaryOp::create(b_, loc(), widen ? mir::VectorUnaryKind::ToF32 : mir::VectorUnaryKind::ToBf16,
                               cst(out.offset), cst(src.offset), cst(src.numel()), sem);
    tiles_[op->getResult(0)] = out;
    return;
  }
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp, arith::MaxNumFOp, arith::MinNumFOp,
          arith::NegFOp, math::ExpOp, math::SqrtOp, math::ErfOp, math::LogOp, math::AbsFOp, math::TanhOp,
          math::SinOp, math::CosOp, math::Exp2Op, math::Log2Op>(op) &&
      isTile(op->getResult(0)))
    return lowerElementwise(op);
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return lowerFor(loop);
  if (isa<func::ReturnOp>(op)) {
    drain();
    func::ReturnOp::create(b_, loc());
    return;
  }
  // Name the operation: the kernel's line alone does not say which of its constructs
  // the lowering lacks.
  fail(op, "no lowering is written for '" + op->getName().getStringRef().str() + "'");
}

void Lowering::lowerKernel(func::FuncOp src, func::FuncOp dst) {
  Block *entry = dst.addEntryBlock();
  b_.setInsertionPointToStart(entry);
  loc_ = src.getLoc();
  for (auto [i, arg] : llvm::enumerate(src.getArguments())) {
    if (isa<RankedTensorType>(arg.getType()))
      fail(src, "tile-typed kernel arguments are not lowered");
    Value read = mir::ArgOp::create(b_, loc(), b_.getI64Type(), static_cast<int32_t>(i));
    if (isa<FloatType>(arg.getType())) {
      // A float argument arrives as its f32 bit pattern (the launcher converts it).
      if (!arg.getType().isF32())
        fail(src, "float arguments are lowered as f32 only");
      tiles_[arg] = FloatConst{0.0, arg.getType(), read};
      continue;
    }
    scalars_[arg] = read;
  }
  planClusterSharing(src);
  if (squares_) {
    dst->setAttr(mir::kClusterSquaresAttrName, b_.getUnitAttr());
    mapSquareLanes();
  }
  for (Operation &op : src.getBody().front())
    lowerOp(&op);
  if (!debugSites_.empty()) {
    SmallVector<Attribute> sites;
    for (const std::string &site : debugSites_)
      sites.push_back(b_.getStringAttr(site));
    dst->setAttr(mir::kDebugSitesAttrName, b_.getArrayAttr(sites));
  }
}

} // namespace tegula::maia::lowering

namespace {

struct ConvertTileToMaiaPass : public tegula::maia::impl::TegulaConvertTileToMaiaBase<ConvertTileToMaiaPass> {
  using TegulaConvertTileToMaiaBase::TegulaConvertTileToMaiaBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    PlantedBug bug = PlantedBug::None;
    if (plantBug == "drop-wait")
      bug = PlantedBug::DropWait;
    else if (plantBug == "overflow-tsram")
      bug = PlantedBug::OverflowTsram;
    else if (plantBug == "dma-past-end")
      bug = PlantedBug::DmaPastEnd;
    else if (plantBug == "drop-barrier")
      bug = PlantedBug::DropBarrier;
    else if (!plantBug.empty()) {
      module.emitError() << "unknown plant-bug '" << plantBug
                         << "' (drop-wait, overflow-tsram, dma-past-end, drop-barrier)";
      return signalPassFailure();
    }
    if (semaphores < 2 || semaphores > 32) {
      module.emitError() << "semaphores must be 2..32 (s0 is not used), got " << static_cast<int64_t>(semaphores);
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tile::kKernelAttrName))
        kernels.push_back(func);
    for (func::FuncOp src : kernels) {
      OpBuilder b(src);
      auto dst = func::FuncOp::create(b, src.getLoc(), src.getSymName(), b.getFunctionType({}, {}));
      dst->setAttr(mir::kKernelAttrName, b.getUnitAttr());
      Lowering lowering(b, tsramBytes, bug, clusterTiles, csramBytes, semaphores);
      try {
        lowering.lowerKernel(src, dst);
      } catch (const LoweringError &e) {
        Operation *at = e.op ? e.op : src.getOperation();
        at->emitError() << e.what();
        return signalPassFailure();
      }
      src.erase();
    }
  }
};

} // namespace
