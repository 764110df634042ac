// Arithmetic on the typed vector unit (vt.*): integer tiles, f16 and f64 tiles,
// comparisons that make data masks, selects on them, casts, and index tiles or masks
// used as values. The f32 unit (TileToMaia.cpp) stays the path for f32 and bf16
// arithmetic it covers; everything here is one command per operation on whole tiles,
// except index tiles and masks made data, which take a command per row.
#include "dialects/tile/IR/TileDialect.h"

#include "backends/maia/Conversion/Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
namespace tile = tegula::tile;

namespace tegula::maia::lowering {

namespace {

bool isTile(Value v) { return isa<RankedTensorType>(v.getType()); }
Type elementOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }

/// The integer binary operators and their typed-unit kinds.
std::optional<mir::TypedKind> integerKind(Operation *op) {
  using K = mir::TypedKind;
  if (isa<arith::AddIOp>(op)) return K::Add;
  if (isa<arith::SubIOp>(op)) return K::Sub;
  if (isa<arith::MulIOp>(op)) return K::Mul;
  if (isa<arith::DivSIOp>(op)) return K::Div;
  if (isa<arith::RemSIOp>(op)) return K::Rem;
  if (isa<arith::MaxSIOp>(op)) return K::Max;
  if (isa<arith::MinSIOp>(op)) return K::Min;
  if (isa<arith::AndIOp>(op)) return K::And;
  if (isa<arith::OrIOp>(op)) return K::Or;
  if (isa<arith::XOrIOp>(op)) return K::Xor;
  if (isa<arith::ShLIOp>(op)) return K::Shl;
  if (isa<arith::ShRSIOp>(op)) return K::Shr;
  if (isa<arith::ShRUIOp>(op)) return K::ShrU;
  return std::nullopt;
}

std::optional<mir::TypedKind> floatKind(Operation *op) {
  using K = mir::TypedKind;
  if (isa<arith::AddFOp>(op)) return K::Add;
  if (isa<arith::SubFOp>(op)) return K::Sub;
  if (isa<arith::MulFOp>(op)) return K::Mul;
  if (isa<arith::DivFOp>(op)) return K::Div;
  if (isa<arith::MaxNumFOp>(op)) return K::Max;
  if (isa<arith::MinNumFOp>(op)) return K::Min;
  return std::nullopt;
}

/// A comparison as the typed unit's relation, and whether its operands swap.
struct Relation {
  mir::TypedKind kind;
  bool swap = false;
};
std::optional<Relation> relationOf(Operation *op) {
  using K = mir::TypedKind;
  if (auto c = dyn_cast<arith::CmpIOp>(op)) {
    using P = arith::CmpIPredicate;
    switch (c.getPredicate()) {
    case P::slt: return Relation{K::Lt};
    case P::sle: return Relation{K::Le};
    case P::sgt: return Relation{K::Lt, true};
    case P::sge: return Relation{K::Le, true};
    case P::eq: return Relation{K::Eq};
    case P::ne: return Relation{K::Ne};
    case P::ult: return Relation{K::LtU};
    case P::ule: return Relation{K::LeU};
    case P::ugt: return Relation{K::LtU, true};
    case P::uge: return Relation{K::LeU, true};
    }
  }
  if (auto c = dyn_cast<arith::CmpFOp>(op)) {
    using P = arith::CmpFPredicate;
    switch (c.getPredicate()) {
    case P::OLT: return Relation{K::Lt};
    case P::OLE: return Relation{K::Le};
    case P::OGT: return Relation{K::Lt, true};
    case P::OGE: return Relation{K::Le, true};
    case P::OEQ: return Relation{K::Eq};
    case P::UNE: return Relation{K::Ne};
    default: return std::nullopt;
    }
  }
  return std::nullopt;
}

} // namespace

int64_t Lowering::elementBits(double value, Type elem) {
  if (isa<IntegerType>(elem))
    return static_cast<int64_t>(value);
  APFloat f(value);
  bool lost;
  if (elem.isF16())
    f.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
  else if (elem.isBF16())
    f.convert(APFloat::BFloat(), APFloat::rmNearestTiesToEven, &lost);
  else if (elem.isF32())
    f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
  return static_cast<int64_t>(f.bitcastToAPInt().getZExtValue());
}

void Lowering::emitFill(const Buffer &buf, double value, int32_t sem) {
  if (buf.elem.isF32() || buf.elem.isBF16())
    mir::VectorFillOp::create(b_, loc(), cst(buf.offset), cst(fillBits(value, buf.elem)), words(buf), sem);
  else
    mir::TypedFillOp::create(b_, loc(), buf.elem, cst(buf.offset), cst(elementBits(value, buf.elem)),
                             cst(buf.numel()), sem);
}

void Lowering::typedFill(const Buffer &buf, Value bits) {
  int32_t sem = begin({}, {buf});
  mir::TypedFillOp::create(b_, loc(), buf.elem, cst(buf.offset), bits, cst(buf.numel()), sem);
}

void Lowering::typedBinary(mir::TypedKind kind, const Buffer &dst, const Buffer &lhs, const Buffer &rhs) {
  int32_t sem = begin({lhs, rhs}, {dst});
  mir::TypedBinaryOp::create(b_, loc(), kind, lhs.elem, cst(dst.offset), cst(lhs.offset), cst(rhs.offset),
                             cst(lhs.numel()), sem);
}

Buffer Lowering::typedConvert(const Buffer &src, Type to, Operation *op) {
  Buffer out = allocate(src.shape, to, op);
  int32_t sem = begin({src}, {out});
  mir::TypedConvertOp::create(b_, loc(), src.elem, to, cst(out.offset), cst(src.offset), cst(src.numel()), sem);
  return out;
}

/// Row `r` of a 2-D buffer (or the whole of a 1-D one) as a buffer of its own.
static Buffer rowOf(const Buffer &buf, int64_t r) {
  Buffer row = buf;
  row.shape = {buf.shape.back()};
  row.offset = buf.offset + r * buf.shape.back() * bytesOf(buf.elem);
  return row;
}

Buffer Lowering::materializeAffine(const Affine &a, ArrayRef<int64_t> shape, Type elem, Operation *user) {
  // base + sum_d s_d * i_d, row by row (a row is the last axis; the leading axes of any
  // rank are flattened): a fill (uniform rows), an iota (unit column stride) or a fill
  // plus the column steps (any other stride) per row, its start computed on the
  // control processor. A tall tile takes as many commands as it has rows.
  const int rank = static_cast<int>(shape.size());
  const int64_t cols = shape.empty() ? 1 : shape.back();
  int64_t rows = 1;
  for (int d = 0; d + 1 < rank; ++d)
    rows *= shape[d];
  Value colStride = shape.empty() ? Value() : a.strides.back();
  std::optional<int64_t> unit = colStride ? constOf(colStride) : std::optional<int64_t>(0);
  Buffer out = allocate(shape, elem, user);
  // The column steps c * stride, for a stride other than 0 and 1.
  std::optional<Buffer> steps;
  if (!unit || (*unit != 0 && *unit != 1)) {
    steps = allocate({cols}, elem, user);
    Buffer stride = allocate({cols}, elem, user);
    int32_t sem = begin({}, {*steps});
    mir::TypedIotaOp::create(b_, loc(), elem, cst(steps->offset), cst(0), cst(cols), sem);
    typedFill(stride, colStride);
    typedBinary(mir::TypedKind::Mul, *steps, *steps, stride);
  }
  Value base = a.base ? a.base : cst(0);
  for (int64_t r = 0; r < rows; ++r) {
    Buffer row = out;
    row.shape = {cols};
    row.offset = out.offset + r * cols * bytesOf(elem);
    Value start = base;
    for (int64_t d = rank - 2, left = r; d >= 0; --d) {
      const int64_t index = left % shape[d];
      left /= shape[d];
      if (index != 0)
        start = add(start, mul(a.strides[d], cst(index)));
    }
    int32_t sem = begin({}, {row});
    if (unit && *unit == 1)
      mir::TypedIotaOp::create(b_, loc(), elem, cst(row.offset), start, cst(cols), sem);
    else
      mir::TypedFillOp::create(b_, loc(), elem, cst(row.offset), start, cst(cols), sem);
    if (steps)
      typedBinary(mir::TypedKind::Add, row, row, *steps);
  }
  return out;
}

Buffer Lowering::materializeMask(const Mask &m, ArrayRef<int64_t> shape, Operation *user) {
  // Row r keeps the columns c < limit(r) = min(column limit, the diagonal's d + r, and
  // cols or 0 as r is below the row limit or not). Each row gets c - limit(r) by one
  // iota; one comparison with zero makes the mask.
  // The leading axes of a tile of rank above 2 are flattened into rows, each bounded
  // by its own limit.
  auto i32 = b_.getI32Type();
  const int rank = static_cast<int>(shape.size());
  const int64_t cols = shape.empty() ? 1 : shape.back();
  int64_t rows = 1;
  for (int d = 0; d + 1 < rank; ++d)
    rows *= shape[d];
  SmallVector<int64_t> flat{rows * cols};
  Buffer offsets = allocate(flat, i32, user), zero = allocate(flat, i32, user);
  for (int64_t r = 0; r < rows; ++r) {
    Value limit = cst(cols);
    if (rank >= 1 && m.limits[rank - 1])
      limit = min(limit, m.limits[rank - 1]);
    for (int64_t d = rank - 2, left = r; d >= 0; --d) {
      const int64_t index = left % shape[d];
      left /= shape[d];
      if (!m.limits[d])
        continue;
      // cols when the index is below its limit, else 0: min(max(limit - index, 0), 1) * cols.
      Value room = sub(m.limits[d], cst(index));
      Value positive = sub(cst(0), min(sub(cst(0), room), cst(0)));
      limit = min(limit, mul(min(positive, cst(1)), cst(cols)));
    }
    if (m.diagonal)
      limit = min(limit, add(m.diagonal, cst(r)));
    Buffer row = offsets;
    row.shape = {cols};
    row.offset = offsets.offset + r * cols * 4;
    int32_t sem = begin({}, {row});
    mir::TypedIotaOp::create(b_, loc(), i32, cst(row.offset), sub(cst(0), limit), cst(cols), sem);
  }
  typedFill(zero, cst(0));
  Buffer out = allocate(shape, b_.getI1Type(), user);
  int32_t sem = begin({offsets, zero}, {out});
  mir::TypedBinaryOp::create(b_, loc(), mir::TypedKind::Lt, i32, cst(out.offset), cst(offsets.offset),
                             cst(zero.offset), cst(rows * cols), sem);
  return out;
}

Buffer Lowering::materializeAs(Value v, Operation *user) {
  auto type = cast<RankedTensorType>(v.getType());
  Type elem = type.getElementType();
  Info i = info(v, user); // a copy: materializing grows the map
  if (auto *buf = std::get_if<Buffer>(&i))
    return *buf;
  if (auto *a = std::get_if<Affine>(&i))
    return materializeAffine(*a, type.getShape(), elem, user);
  if (auto *m = std::get_if<Mask>(&i))
    return materializeMask(*m, type.getShape(), user);
  if (auto *c = std::get_if<FloatConst>(&i)) {
    if (elem.isF32() || elem.isBF16())
      return materialize(v, user);
    if (c->bits)
      fail(user, "a float known only at run time fills f32 tiles only; cast it to f32 first");
    Buffer buf = allocate(type.getShape(), elem, user);
    fill(buf, c->value);
    return buf;
  }
  if (auto *col = std::get_if<ColBroadcast>(&i)) {
    if (col->vector.elem.isF32())
      return materialize(v, user);
    // Every row a copy of the vector (a conversion to its own type copies).
    Buffer out = allocate(type.getShape(), elem, user);
    for (int64_t r = 0; r < type.getDimSize(0); ++r)
      copyElements(rowOf(out, r), col->vector);
    return out;
  }
  if (auto *row = std::get_if<RowBroadcast>(&i)) {
    if (row->vector.elem.isF32())
      return materialize(v, user);
    Buffer out = allocate(type.getShape(), elem, user);
    typedRow(mir::TypedRowKind::Bcast, out, row->vector, type.getDimSize(1), type.getDimSize(0));
    return out;
  }
  return materialize(v, user); // refuses with what the operand is
}

Buffer Lowering::materializeScalar(Value v, Operation *user) {
  Type elem = v.getType();
  if (auto it = tiles_.find(v); it != tiles_.end()) {
    Info i = it->second; // a copy: filling grows the map
    if (auto *buf = std::get_if<Buffer>(&i))
      return *buf;
    if (auto *c = std::get_if<FloatConst>(&i)) {
      Buffer one = allocate({}, elem, user);
      if (c->bits) {
        if (!elem.isF32())
          fail(user, "a float known only at run time is held as f32 only; cast it to f32 first");
        fillWith(one, c->bits);
      } else {
        fill(one, c->value);
      }
      return one;
    }
    fail(user, "an operand is " + describe(i) + ", not a scalar value");
  }
  Value reg = scalar(v, user); // an integer (or bool) in a control-processor register
  Buffer one = allocate({}, elem, user);
  typedFill(one, reg);
  return one;
}

bool Lowering::lowerScalarOnVectorUnit(Operation *op) {
  // Float scalars the vector unit computed (reductions to a scalar) stay in TSRAM as
  // one-element buffers; arithmetic on them is one-element vector commands. A
  // comparison of float scalars is a one-byte mask held the same way (the control
  // processor has no float arithmetic).
  if (auto cmp = dyn_cast<arith::CmpFOp>(op); cmp && !isTile(cmp.getResult())) {
    std::optional<Relation> rel = relationOf(op);
    if (!rel)
      fail(op, "this comparison's predicate (unordered or ordered-not-equal) is not lowered");
    Buffer lhs = materializeScalar(op->getOperand(rel->swap ? 1 : 0), op);
    Buffer rhs = materializeScalar(op->getOperand(rel->swap ? 0 : 1), op);
    Buffer out = allocate({}, b_.getI1Type(), op);
    int32_t sem = begin({lhs, rhs}, {out});
    mir::TypedBinaryOp::create(b_, loc(), rel->kind, lhs.elem, cst(out.offset), cst(lhs.offset), cst(rhs.offset),
                               cst(1), sem);
    tiles_[cmp.getResult()] = out;
    return true;
  }
  if (op->getNumResults() != 1 || isTile(op->getResult(0)) || !isa<FloatType>(op->getResult(0).getType()))
    return false;
  auto held = [&](Value v) {
    auto it = tiles_.find(v);
    return it != tiles_.end() && std::holds_alternative<Buffer>(it->second);
  };
  Type elem = op->getResult(0).getType();
  Value result = op->getResult(0);
  // Casts to a float scalar the control processor cannot make (it converts integers to
  // f32 only, and has no float arithmetic): a one-element conversion.
  const bool castNotToF32 = isa<arith::SIToFPOp, arith::UIToFPOp>(op) && !elem.isF32();
  const bool floatCast = isa<arith::ExtFOp, arith::TruncFOp>(op);
  const bool function = isa<math::ExpOp, math::LogOp, math::SqrtOp, math::RsqrtOp, math::ErfOp, math::TanhOp,
                            math::SinOp, math::CosOp, math::Exp2Op, math::Log2Op, math::AbsFOp>(op);
  // Arithmetic on compile-time float scalars is folded: the operation in f64 on the
  // operands, rounded once to the type (as the typed unit rounds it).
  auto constant = [&](Value v) -> const FloatConst * {
    auto it = tiles_.find(v);
    auto *c = it == tiles_.end() ? nullptr : std::get_if<FloatConst>(&it->second);
    return c && !c->bits ? c : nullptr;
  };
  if (op->getNumOperands() >= 1 && llvm::all_of(op->getOperands(), constant) &&
      (floatKind(op) || isa<arith::NegFOp>(op))) {
    double x = constant(op->getOperand(0))->value;
    double value = -x;
    if (auto kind = floatKind(op)) {
      double y = constant(op->getOperand(1))->value;
      switch (*kind) {
      case mir::TypedKind::Add: value = x + y; break;
      case mir::TypedKind::Sub: value = x - y; break;
      case mir::TypedKind::Mul: value = x * y; break;
      case mir::TypedKind::Div: value = x / y; break;
      case mir::TypedKind::Max: value = std::fmax(x, y); break;
      default: value = std::fmin(x, y); break;
      }
    }
    APFloat f(value);
    bool lost;
    f.convert(cast<FloatType>(elem).getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    tiles_[result] = FloatConst{f.convertToDouble(), elem};
    return true;
  }
  // Float scalars known at run time (arguments, or constants next to them) are
  // computed there too.
  auto runtimeFloat = [&](Value v) {
    auto it = tiles_.find(v);
    auto *c = it == tiles_.end() ? nullptr : std::get_if<FloatConst>(&it->second);
    return c && c->bits;
  };
  const bool arithmetic = isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp, arith::MaxNumFOp,
                              arith::MinNumFOp, arith::NegFOp>(op);
  if (!llvm::any_of(op->getOperands(), held) && !(arithmetic && llvm::any_of(op->getOperands(), runtimeFloat)) &&
      !castNotToF32 && !floatCast && !function)
    return false;
  if (floatCast || castNotToF32) {
    auto known = tiles_.find(op->getOperand(0));
    const FloatConst *c = known == tiles_.end() ? nullptr : std::get_if<FloatConst>(&known->second);
    if (c && !c->bits && floatCast) {
      // A compile-time constant: rounded here, once, as the conversion would.
      APFloat f(c->value);
      bool lost;
      f.convert(cast<FloatType>(elem).getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      tiles_[result] = FloatConst{f.convertToDouble(), elem};
      return true;
    }
    Buffer src = materializeScalar(op->getOperand(0), op);
    if (isa<arith::UIToFPOp>(op))
      src.elem = IntegerType::get(op->getContext(), std::max(8u, src.elem.getIntOrFloatBitWidth()),
                                  IntegerType::Unsigned);
    tiles_[result] = typedConvert(src, elem, op);
    return true;
  }
  if (isa<math::AbsFOp>(op)) { // max(x, -x)
    Buffer x = materializeScalar(op->getOperand(0), op);
    Buffer out = allocate({}, elem, op);
    fill(out, -1.0);
    typedBinary(mir::TypedKind::Mul, out, out, x);
    typedBinary(mir::TypedKind::Max, out, out, x);
    tiles_[result] = out;
    return true;
  }
  if (auto kind = floatKind(op)) {
    Buffer lhs = materializeScalar(op->getOperand(0), op), rhs = materializeScalar(op->getOperand(1), op);
    Buffer out = allocate({}, elem, op);
    typedBinary(*kind, out, lhs, rhs);
    tiles_[result] = out;
    return true;
  }
  if (isa<arith::NegFOp>(op)) {
    Buffer x = materializeScalar(op->getOperand(0), op);
    Buffer out = allocate({}, elem, op);
    fill(out, -1.0);
    typedBinary(mir::TypedKind::Mul, out, out, x);
    tiles_[result] = out;
    return true;
  }
  if (isa<math::ExpOp, math::LogOp, math::SqrtOp, math::RsqrtOp, math::ErfOp, math::TanhOp, math::SinOp,
          math::CosOp, math::Exp2Op, math::Log2Op>(op)) {
    lowerTypedFunction(op);
    return true;
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    // c ? x : y with a control-processor condition (filled into a byte) or a condition
    // the vector unit holds (a comparison of float scalars).
    Buffer x = materializeScalar(select.getTrueValue(), op), y = materializeScalar(select.getFalseValue(), op);
    Buffer mask;
    if (held(select.getCondition())) {
      mask = std::get<Buffer>(tiles_[select.getCondition()]);
    } else {
      mask = allocate({}, b_.getI1Type(), op);
      typedFill(mask, scalar(select.getCondition(), op));
    }
    Buffer out = allocate({}, elem, op);
    int32_t sem = begin({mask, x, y}, {out});
    mir::TypedSelectOp::create(b_, loc(), elem, cst(out.offset), cst(mask.offset), cst(x.offset), cst(y.offset),
                               cst(1), sem);
    tiles_[result] = out;
    return true;
  }
  return false;
}

bool Lowering::lowerTyped(Operation *op) {
  if (op->getNumResults() != 1 || !isTile(op->getResult(0)))
    return false;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Type elem = type.getElementType();
  auto isData = [&](Value v) {
    auto it = tiles_.find(v);
    return it != tiles_.end() && (std::holds_alternative<Buffer>(it->second) ||
                                  std::holds_alternative<RowBroadcast>(it->second) ||
                                  std::holds_alternative<ColBroadcast>(it->second));
  };
  auto anyData = [&] { return llvm::any_of(op->getOperands(), isData); };
  const bool narrowFloat = elem.isF16() || elem.isF64();

  // Integer operators: on data tiles, or on index tiles where the result is not affine
  // (division, remainder, bitwise operators, shifts, products of two varying tiles).
  if (auto kind = integerKind(op)) {
    bool symbolic = !anyData();
    if (symbolic && isa<arith::AddIOp>(op))
      return false;
    if (symbolic && isa<arith::MulIOp>(op)) {
      auto uniform = [&](Value v) {
        auto *a = std::get_if<Affine>(&info(v, op));
        return a && llvm::all_of(a->strides, [](Value s) { return !s; });
      };
      if (uniform(op->getOperand(0)) || uniform(op->getOperand(1)))
        return false;
    }
    if (symbolic && isa<arith::AndIOp>(op) &&
        (std::holds_alternative<Mask>(info(op->getOperand(0), op)) ||
         std::holds_alternative<Mask>(info(op->getOperand(1), op)))) {
      // A mask and a mask or uniform condition stays a mask (TileToMaia.cpp) unless a
      // side is a data mask.
      return false;
    }
    Buffer lhs = materializeAs(op->getOperand(0), op), rhs = materializeAs(op->getOperand(1), op);
    Buffer out = allocate(type.getShape(), elem, op);
    typedBinary(*kind, out, lhs, rhs);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  // f16 and f64 arithmetic, in the type itself.
  if (auto kind = floatKind(op); kind && narrowFloat) {
    Buffer lhs = materializeAs(op->getOperand(0), op), rhs = materializeAs(op->getOperand(1), op);
    Buffer out = allocate(type.getShape(), elem, op);
    typedBinary(*kind, out, lhs, rhs);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  if (isa<arith::NegFOp, math::AbsFOp>(op) && narrowFloat) {
    // -x as x * -1 (keeps the sign of zero); |x| as max(x, -x).
    Buffer x = materializeAs(op->getOperand(0), op);
    Buffer out = allocate(type.getShape(), elem, op);
    fill(out, -1.0);
    typedBinary(mir::TypedKind::Mul, out, out, x);
    if (isa<math::AbsFOp>(op))
      typedBinary(mir::TypedKind::Max, out, out, x);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  // f64 functions in f64 (f32, f16 and bf16 take the f32 unit's where it has them).
  if (isa<math::ExpOp, math::LogOp, math::SqrtOp, math::RsqrtOp, math::ErfOp, math::TanhOp, math::SinOp,
          math::CosOp, math::Exp2Op, math::Log2Op>(op) &&
      elem.isF64()) {
    lowerTypedFunction(op);
    return true;
  }
  if (isa<math::AbsIOp>(op)) { // max(x, 0 - x), wrapping as the CPU does for the smallest value
    Buffer x = materializeAs(op->getOperand(0), op);
    Buffer out = allocate(type.getShape(), elem, op);
    typedFill(out, cst(0));
    typedBinary(mir::TypedKind::Sub, out, out, x);
    typedBinary(mir::TypedKind::Max, out, out, x);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  // Comparisons that are not index masks: a byte per element.
  if (isa<arith::CmpIOp, arith::CmpFOp>(op)) {
    if (isa<arith::CmpIOp>(op) && !anyData() && maskable(cast<arith::CmpIOp>(op)))
      return false;
    std::optional<Relation> rel = relationOf(op);
    if (!rel)
      fail(op, "this comparison's predicate (unordered or ordered-not-equal) is not lowered");
    Buffer lhs = materializeAs(op->getOperand(rel->swap ? 1 : 0), op);
    Buffer rhs = materializeAs(op->getOperand(rel->swap ? 0 : 1), op);
    Buffer out = allocate(type.getShape(), elem, op);
    int32_t sem = begin({lhs, rhs}, {out});
    mir::TypedBinaryOp::create(b_, loc(), rel->kind, lhs.elem, cst(out.offset), cst(lhs.offset), cst(rhs.offset),
                               cst(lhs.numel()), sem);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  // `where` with a data mask, or of a dtype the f32 select does not take.
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    Info &cond = info(select.getCondition(), op);
    bool indexMask = std::holds_alternative<Mask>(cond);
    if (indexMask && elem.isF32() && std::holds_alternative<FloatConst>(info(select.getFalseValue(), op)) &&
        type.getRank() <= 2)
      return false; // the f32 tail fill (TileToMaia.cpp)
    if (!isTile(select.getCondition()))
      fail(op, "a `where` on a scalar condition is not lowered for tiles");
    Buffer mask = materializeAs(select.getCondition(), op);
    Buffer x = materializeAs(select.getTrueValue(), op), y = materializeAs(select.getFalseValue(), op);
    Buffer out = allocate(type.getShape(), elem, op);
    int32_t sem = begin({mask, x, y}, {out});
    mir::TypedSelectOp::create(b_, loc(), elem, cst(out.offset), cst(mask.offset), cst(x.offset), cst(y.offset),
                               cst(out.numel()), sem);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  // Casts between any two dtypes but bf16 <-> f32 (the f32 unit's own).
  if (isa<arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp, arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
          arith::FPToUIOp, arith::ExtFOp, arith::TruncFOp>(op)) {
    Type from = elementOf(op->getOperand(0));
    if ((from.isBF16() && elem.isF32()) || (from.isF32() && elem.isBF16()))
      return false;
    Buffer src = materializeAs(op->getOperand(0), op);
    // Unsigned conversions read their source zero-extended; say so in the type.
    MLIRContext *ctx = op->getContext();
    Type srcType = src.elem, dstType = elem;
    if (isa<arith::ExtUIOp, arith::UIToFPOp>(op))
      srcType = IntegerType::get(ctx, std::max(8u, from.getIntOrFloatBitWidth()), IntegerType::Unsigned);
    if (isa<arith::FPToUIOp>(op))
      dstType = IntegerType::get(ctx, std::max(8u, elem.getIntOrFloatBitWidth()), IntegerType::Unsigned);
    Buffer out = allocate(type.getShape(), elem, op);
    int32_t sem = begin({src}, {out});
    mir::TypedConvertOp::create(b_, loc(), srcType, dstType, cst(out.offset), cst(src.offset), cst(src.numel()),
                                sem);
    tiles_[op->getResult(0)] = out;
    return true;
  }
  return false;
}

void Lowering::typedRow(mir::TypedRowKind kind, const Buffer &dst, const Buffer &src, int64_t cols, int64_t rows) {
  int32_t sem = begin({src}, {dst});
  mir::TypedRowOp::create(b_, loc(), kind, src.elem, cst(dst.offset), cst(src.offset), cst(cols), cst(rows), sem);
}

Buffer Lowering::widenedForAccumulation(const Buffer &buf, Operation *op) {
  if (!buf.elem.isF16() && !buf.elem.isBF16())
    return buf;
  return typedConvert(buf, b_.getF32Type(), op);
}

void Lowering::lowerTypedFunction(Operation *op) {
  using F = mir::TypedFunction;
  F fn = isa<math::ExpOp>(op)     ? F::Exp
         : isa<math::LogOp>(op)   ? F::Log
         : isa<math::SqrtOp>(op)  ? F::Sqrt
         : isa<math::RsqrtOp>(op) ? F::Rsqrt
         : isa<math::ErfOp>(op)   ? F::Erf
         : isa<math::TanhOp>(op)  ? F::Tanh
         : isa<math::SinOp>(op)   ? F::Sin
         : isa<math::CosOp>(op)   ? F::Cos
         : isa<math::Exp2Op>(op)  ? F::Exp2
                                  : F::Log2;
  Type resultType = op->getResult(0).getType();
  auto type = dyn_cast<RankedTensorType>(resultType);
  Buffer x = type ? materializeAs(op->getOperand(0), op) : materializeScalar(op->getOperand(0), op);
  Buffer out = type ? allocate(type.getShape(), type.getElementType(), op) : allocate({}, resultType, op);
  int32_t sem = begin({x}, {out});
  mir::TypedUnaryOp::create(b_, loc(), fn, x.elem, cst(out.offset), cst(x.offset), cst(x.numel()), sem);
  tiles_[op->getResult(0)] = out;
}

void Lowering::lowerTypedReduce(tile::ReduceOp red) {
  mir::TypedRowKind kind = mir::TypedRowKind::Sum;
  switch (red.getKind()) {
  case tile::ReduceKind::Sum: kind = mir::TypedRowKind::Sum; break;
  case tile::ReduceKind::Max: kind = mir::TypedRowKind::Max; break;
  case tile::ReduceKind::Min: kind = mir::TypedRowKind::Min; break;
  case tile::ReduceKind::ArgMax: kind = mir::TypedRowKind::ArgMax; break;
  case tile::ReduceKind::ArgMin: kind = mir::TypedRowKind::ArgMin; break;
  }
  // f16 and bf16 sums accumulate in f32 and are rounded once at the end, as on the CPU.
  lowerRowReduction(red, red.getSrc(), red.getResult(), red.getAxis(), kind, /*widen=*/true);
}

void Lowering::lowerReduceWith(tile::ReduceWithOp red) {
  // A combine function that is one operation of the row unit on its two elements (a
  // sum, maxNum or min) is that reduction, combined in the tile's own dtype as the
  // function says. Others would need the function applied column by column.
  Block &body = red.getCombiner().front();
  auto yield = cast<tile::YieldOp>(body.getTerminator());
  std::optional<mir::TypedRowKind> kind;
  if (body.getNumArguments() == 2 && yield.getValues().size() == 1 && body.getOperations().size() == 2) {
    Operation &only = body.front();
    Value x = body.getArgument(0), y = body.getArgument(1);
    bool onBoth = only.getNumOperands() == 2 && only.getNumResults() == 1 && yield.getValues()[0] == only.getResult(0) &&
                  ((only.getOperand(0) == x && only.getOperand(1) == y) ||
                   (only.getOperand(0) == y && only.getOperand(1) == x));
    if (onBoth && isa<arith::AddFOp, arith::AddIOp>(only))
      kind = mir::TypedRowKind::Sum;
    else if (onBoth && isa<arith::MaxNumFOp, arith::MaxSIOp>(only))
      kind = mir::TypedRowKind::Max;
    else if (onBoth && isa<arith::MinNumFOp, arith::MinSIOp>(only))
      kind = mir::TypedRowKind::Min;
  }
  if (!kind)
    fail(red, "a combine function is lowered when it is one `+`, `maximum` or `minimum` of its two elements; "
              "others are not lowered yet");
  lowerRowReduction(red, red.getSrc(), red.getResult(), red.getAxis(), *kind, /*widen=*/false);
}

void Lowering::lowerRowReduction(Operation *red, Value source, Value result, int64_t axis, mir::TypedRowKind kind,
                                 bool widen) {
  // Along the columns (axis 1) one row reduction; along the rows (axis 0) a transpose
  // first.
  auto type = cast<RankedTensorType>(source.getType());
  Type elem = type.getElementType();
  if (type.getRank() > 2)
    fail(red, "reductions are lowered for tiles of rank 1 or 2 only");
  // argmax and argmin compare in the tile's own dtype and yield i32 columns.
  const bool isArg = kind == mir::TypedRowKind::ArgMax || kind == mir::TypedRowKind::ArgMin;
  Buffer src = materializeAs(source, red);
  if (!isArg && widen)
    src = widenedForAccumulation(src, red);
  Type outElem = isArg ? b_.getI32Type() : src.elem;
  auto finish = [&](const Buffer &out) {
    tiles_[result] = isArg || src.elem == elem ? out : typedConvert(out, elem, red);
  };
  if (type.getRank() == 1) {
    // To a scalar: one row, held as a one-element buffer (a scalar of the vector unit).
    Buffer out = allocate({}, outElem, red);
    typedRow(kind, out, src, type.getDimSize(0), 1);
    return finish(out);
  }
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (axis == 0) {
    Buffer transposed = allocate({cols, rows}, src.elem, red);
    typedRow(mir::TypedRowKind::Trans, transposed, src, cols, rows);
    src = transposed;
    std::swap(rows, cols);
  }
  Buffer out = allocate({rows}, outElem, red);
  typedRow(kind, out, src, cols, rows);
  finish(out);
}

void Lowering::lowerVectorDot(tile::DotOp dot) {
  // acc[M,N] += A[M,K] B[K,N] as K rank-1 updates: column k of A (row k of A's
  // transpose) times row k of B. Operands narrower than the accumulator (f16, i8) are
  // widened to it first; their products are exact there, as on the CPU.
  auto aType = dot.getA().getType(), bType = dot.getB().getType();
  auto accType = dot.getAcc().getType();
  Type accElem = accType.getElementType();
  const int64_t m = aType.getDimSize(0), k = aType.getDimSize(1), n = bType.getDimSize(1);
  auto widened = [&](Buffer buf) { return buf.elem == accElem ? buf : typedConvert(buf, accElem, dot); };
  Buffer b;
  if (auto *t = std::get_if<Transposed>(&info(dot.getB(), dot))) {
    Buffer stored = t->buffer; // [N, K]
    b = allocate({k, n}, stored.elem, dot);
    typedRow(mir::TypedRowKind::Trans, b, stored, k, n);
  } else {
    b = materializeAs(dot.getB(), dot);
  }
  b = widened(b);
  Buffer a = widened(materializeAs(dot.getA(), dot));
  Buffer at = allocate({k, m}, accElem, dot);
  typedRow(mir::TypedRowKind::Trans, at, a, k, m);
  Buffer acc = materializeAs(dot.getAcc(), dot);
  // In place only when nothing else reads the old value (as for the tensor unit).
  if (!dot.getAcc().hasOneUse() || dot.getAcc().getParentBlock() != dot->getBlock()) {
    Buffer fresh = allocate(acc.shape, acc.elem, dot);
    copy(fresh, acc);
    acc = fresh;
  }
  for (int64_t step = 0; step < k; ++step) {
    Buffer column = rowOf(at, step), row = rowOf(b, step);
    int32_t sem = begin({acc, column, row}, {acc});
    mir::TypedGerOp::create(b_, loc(), accElem, cst(acc.offset), cst(column.offset), cst(row.offset), cst(n),
                            cst(m), sem);
  }
  tiles_[dot.getResult()] = acc;
}

void Lowering::lowerScan(tile::ScanOp scan) {
  // An inclusive scan along each row; along axis 0 between two transposes, and in
  // reverse between two row reversals. f16 and bf16 accumulate in f32.
  auto type = scan.getSrc().getType();
  if (type.getRank() > 2)
    fail(scan, "scans of tiles of rank 1 or 2 are lowered");
  Type elem = type.getElementType();
  const int64_t axis = static_cast<int32_t>(scan.getAxis());
  int64_t rows = type.getRank() == 2 ? type.getDimSize(0) : 1, cols = type.getShape().back();
  Buffer x = widenedForAccumulation(materializeAs(scan.getSrc(), scan), scan);
  auto step = [&](mir::TypedRowKind kind, bool transposes) {
    Buffer out = allocate({transposes ? cols : rows, transposes ? rows : cols}, x.elem, scan);
    typedRow(kind, out, x, cols, rows);
    x = out;
    if (transposes)
      std::swap(rows, cols);
  };
  const bool alongRows = type.getRank() == 2 && axis == 0;
  if (alongRows)
    step(mir::TypedRowKind::Trans, true);
  if (scan.getReverse())
    step(mir::TypedRowKind::Rev, false);
  step(scan.getKind() == tile::ScanKind::Sum   ? mir::TypedRowKind::ScanSum
       : scan.getKind() == tile::ScanKind::Max ? mir::TypedRowKind::ScanMax
                                               : mir::TypedRowKind::ScanMin,
       false);
  if (scan.getReverse())
    step(mir::TypedRowKind::Rev, false);
  if (alongRows)
    step(mir::TypedRowKind::Trans, true);
  x.shape.assign(type.getShape().begin(), type.getShape().end());
  tiles_[scan.getResult()] = x.elem == elem ? x : typedConvert(x, elem, scan);
}

bool Lowering::maskable(arith::CmpIOp cmp) {
  // The forms TileToMaia.cpp keeps symbolic: `index < bound` or `index <= bound` of a
  // unit-stride index and a uniform bound, or a bound varying along the rows only.
  if (cmp.getPredicate() != arith::CmpIPredicate::slt && cmp.getPredicate() != arith::CmpIPredicate::sle)
    return false;
  auto *x = std::get_if<Affine>(&info(cmp.getLhs(), cmp));
  auto *bound = std::get_if<Affine>(&info(cmp.getRhs(), cmp));
  if (!x || !bound)
    return false;
  auto varying = [&](const Affine &a, int &dim) {
    dim = -1;
    for (auto [d, s] : llvm::enumerate(a.strides)) {
      if (!s)
        continue;
      if (constOf(s) != std::optional<int64_t>(1) || dim >= 0)
        return false;
      dim = static_cast<int>(d);
    }
    return true;
  };
  int xDim, bDim;
  if (!varying(*x, xDim) || !varying(*bound, bDim) || xDim < 0)
    return false;
  return bDim < 0 || (x->strides.size() == 2 && xDim == 1 && bDim == 0);
}

} // namespace tegula::maia::lowering
