// The kernel language's operations: each checks what C++ types cannot (shapes, axes),
// builds tile-dialect IR at the caller's source line, and verifies it.
#include "trace_state.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace tegula::dsl::detail {

using namespace mlir;

namespace {

template <typename Op, typename... Args> Value build(Loc loc, Args &&...args) {
  TraceState &s = state(loc);
  auto op = Op::create(s.builder, location(s, loc), std::forward<Args>(args)...);
  verify_op(op, loc);
  return op->getResult(0);
}

template <typename Op, typename... Args> void build_void(Loc loc, Args &&...args) {
  TraceState &s = state(loc);
  auto op = Op::create(s.builder, location(s, loc), std::forward<Args>(args)...);
  verify_op(op, loc);
}

bool is_float(DType d) { return dtype_is_float(d); }

/// numpy-style result shape of two operands; scalars take the other's shape.
std::vector<int64_t> broadcast_shape(const Node &a, const Node &b, Loc loc) {
  if (a.shape.empty())
    return b.shape;
  if (b.shape.empty())
    return a.shape;
  if (a.shape.size() != b.shape.size())
    fail("cannot broadcast shapes " + shape_string(a.shape) + " and " + shape_string(b.shape) +
             " of different ranks; use expand_dims/row()/col() first",
         loc);
  std::vector<int64_t> out;
  for (size_t d = 0; d < a.shape.size(); ++d) {
    int64_t x = a.shape[d], y = b.shape[d];
    if (x != y && x != 1 && y != 1)
      fail("cannot broadcast shapes " + shape_string(a.shape) + " and " + shape_string(b.shape) +
               ": dimension " + std::to_string(d) + " is " + std::to_string(x) + " vs " + std::to_string(y),
           loc);
    out.push_back(x == 1 ? y : x);
  }
  return out;
}

void require_same_dtype(const Node &a, const Node &b, const char *what, Loc loc) {
  if (a.dtype != b.dtype || a.is_pointer != b.is_pointer)
    fail(std::string(what) + " of " + std::string(dtype_name(a.dtype)) + " and " +
             std::string(dtype_name(b.dtype)) + "; cast one first",
         loc);
}

/// f16/bf16 transcendental math is computed in f32 and rounded back, as GPUs do.
bool widen_for_math(DType d) { return d == DType::F16 || d == DType::BF16; }

} // namespace

Node broadcast_to(const Node &a, const std::vector<int64_t> &shape, Loc loc) {
  require_bound(a, "tile", loc);
  if (a.shape == shape)
    return a;
  TraceState &s = state(loc);
  Type type = tile_type(s.context, shape, a.dtype, a.is_pointer);
  if (a.shape.empty())
    return node_of(build<tile::SplatOp>(loc, type, value_of(a)));
  if (a.shape.size() > shape.size())
    fail("cannot broadcast " + shape_string(a.shape) + " to the lower-rank " + shape_string(shape), loc);
  Node src = a;
  while (src.shape.size() < shape.size())
    src = expand_dims(src, 0, loc);
  for (size_t d = 0; d < shape.size(); ++d)
    if (src.shape[d] != shape[d] && src.shape[d] != 1)
      fail("cannot broadcast " + shape_string(a.shape) + " to " + shape_string(shape), loc);
  if (src.shape == shape)
    return src;
  return node_of(build<tile::BroadcastOp>(loc, type, value_of(src)));
}

Node program_id(int axis, Loc loc) {
  if (axis < 0 || axis > 2)
    fail("program_id axis must be 0, 1 or 2, got " + std::to_string(axis), loc);
  TraceState &s = state(loc);
  return node_of(build<tile::ProgramIdOp>(loc, s.builder.getI32Type(), axis));
}

Node num_programs(int axis, Loc loc) {
  if (axis < 0 || axis > 2)
    fail("num_programs axis must be 0, 1 or 2, got " + std::to_string(axis), loc);
  TraceState &s = state(loc);
  return node_of(build<tile::NumProgramsOp>(loc, s.builder.getI32Type(), axis));
}

Node arange(int64_t start, int64_t end, Loc loc) {
  if (end <= start)
    fail("arange(" + std::to_string(start) + ", " + std::to_string(end) + ") is empty", loc);
  if (start < INT32_MIN || end > INT32_MAX)
    fail("arange bounds must fit in i32", loc);
  TraceState &s = state(loc);
  auto type = RankedTensorType::get({end - start}, s.builder.getI32Type());
  return node_of(build<tile::RangeOp>(loc, type, static_cast<int32_t>(start), static_cast<int32_t>(end)));
}

/// A scalar constant, or a splat tile of it when `shape` is not empty.
static Node splat_constant(TypedAttr scalar, const std::vector<int64_t> &shape, Loc loc) {
  TypedAttr attr = scalar;
  if (!shape.empty())
    attr = DenseElementsAttr::get(RankedTensorType::get(shape, scalar.getType()), scalar);
  return node_of(build<arith::ConstantOp>(loc, attr));
}

Node constant(DType dtype, const std::vector<int64_t> &shape, double value, Loc loc) {
  if (!is_float(dtype))
    return constant_int(dtype, shape, static_cast<int64_t>(value), loc);
  TraceState &s = state(loc);
  return splat_constant(s.builder.getFloatAttr(scalar_type(s.context, dtype), value), shape, loc);
}

Node constant_int(DType dtype, const std::vector<int64_t> &shape, int64_t value, Loc loc) {
  if (is_float(dtype))
    return constant(dtype, shape, static_cast<double>(value), loc);
  TraceState &s = state(loc);
  return splat_constant(s.builder.getIntegerAttr(scalar_type(s.context, dtype), value), shape, loc);
}

/// Both operands of an elementwise op, checked and broadcast to their common shape.
static std::pair<Node, Node> elementwise_operands(const Node &a, const Node &b, const char *what, Loc loc) {
  require_bound(a, "tile", loc);
  require_bound(b, "tile", loc);
  require_same_dtype(a, b, what, loc);
  std::vector<int64_t> shape = broadcast_shape(a, b, loc);
  return {broadcast_to(a, shape, loc), broadcast_to(b, shape, loc)};
}

Node binary(BinaryOp op, const Node &a0, const Node &b0, Loc loc) {
  auto [a, b] = elementwise_operands(a0, b0, "arithmetic", loc);
  Value x = value_of(a), y = value_of(b);
  bool f = is_float(a.dtype);
  switch (op) {
  case BinaryOp::Add: return node_of(f ? build<arith::AddFOp>(loc, x, y) : build<arith::AddIOp>(loc, x, y));
  case BinaryOp::Sub: return node_of(f ? build<arith::SubFOp>(loc, x, y) : build<arith::SubIOp>(loc, x, y));
  case BinaryOp::Mul: return node_of(f ? build<arith::MulFOp>(loc, x, y) : build<arith::MulIOp>(loc, x, y));
  case BinaryOp::Div: return node_of(f ? build<arith::DivFOp>(loc, x, y) : build<arith::DivSIOp>(loc, x, y));
  case BinaryOp::Rem: return node_of(f ? build<arith::RemFOp>(loc, x, y) : build<arith::RemSIOp>(loc, x, y));
  case BinaryOp::Min: return node_of(f ? build<arith::MinNumFOp>(loc, x, y) : build<arith::MinSIOp>(loc, x, y));
  case BinaryOp::Max: return node_of(f ? build<arith::MaxNumFOp>(loc, x, y) : build<arith::MaxSIOp>(loc, x, y));
  case BinaryOp::And: return node_of(build<arith::AndIOp>(loc, x, y));
  case BinaryOp::Or: return node_of(build<arith::OrIOp>(loc, x, y));
  case BinaryOp::Xor: return node_of(build<arith::XOrIOp>(loc, x, y));
  case BinaryOp::Shl: return node_of(build<arith::ShLIOp>(loc, x, y));
  case BinaryOp::Shr: return node_of(build<arith::ShRSIOp>(loc, x, y));
  case BinaryOp::ShrLogical: return node_of(build<arith::ShRUIOp>(loc, x, y));
  }
  fail("unknown binary operation", loc);
}

Node compare(CompareOp op, const Node &a0, const Node &b0, Loc loc) {
  auto [a, b] = elementwise_operands(a0, b0, "comparison", loc);
  if (is_float(a.dtype)) {
    static const arith::CmpFPredicate preds[] = {arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
                                                 arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE,
                                                 arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE};
    return node_of(build<arith::CmpFOp>(loc, preds[static_cast<int>(op)], value_of(a), value_of(b)));
  }
  static const arith::CmpIPredicate preds[] = {arith::CmpIPredicate::slt, arith::CmpIPredicate::sle,
                                               arith::CmpIPredicate::sgt, arith::CmpIPredicate::sge,
                                               arith::CmpIPredicate::eq, arith::CmpIPredicate::ne};
  return node_of(build<arith::CmpIOp>(loc, preds[static_cast<int>(op)], value_of(a), value_of(b)));
}

Node unary(UnaryOp op, const Node &a, Loc loc) {
  require_bound(a, "tile", loc);
  Value x = value_of(a);
  if (op == UnaryOp::Neg) {
    if (is_float(a.dtype))
      return node_of(build<arith::NegFOp>(loc, x));
    return binary(BinaryOp::Sub, constant_int(a.dtype, {}, 0, loc), a, loc);
  }
  if (op == UnaryOp::Not)
    return binary(BinaryOp::Xor, a, constant_int(DType::I1, {}, 1, loc), loc);
  if (op == UnaryOp::Abs)
    return node_of(is_float(a.dtype) ? build<math::AbsFOp>(loc, x) : build<math::AbsIOp>(loc, x));
  if (widen_for_math(a.dtype))
    return cast(unary(op, cast(a, DType::F32, loc), loc), a.dtype, loc);
  switch (op) {
  case UnaryOp::Exp: return node_of(build<math::ExpOp>(loc, x));
  case UnaryOp::Exp2: return node_of(build<math::Exp2Op>(loc, x));
  case UnaryOp::Log: return node_of(build<math::LogOp>(loc, x));
  case UnaryOp::Log2: return node_of(build<math::Log2Op>(loc, x));
  case UnaryOp::Sqrt: return node_of(build<math::SqrtOp>(loc, x));
  case UnaryOp::Rsqrt:
    return binary(BinaryOp::Div, constant(a.dtype, {}, 1.0, loc), unary(UnaryOp::Sqrt, a, loc), loc);
  case UnaryOp::Sigmoid: {
    Node e = unary(UnaryOp::Exp, unary(UnaryOp::Neg, a, loc), loc);
    Node one = constant(a.dtype, {}, 1.0, loc);
    return binary(BinaryOp::Div, one, binary(BinaryOp::Add, one, e, loc), loc);
  }
  case UnaryOp::Tanh: return node_of(build<math::TanhOp>(loc, x));
  case UnaryOp::Erf: return node_of(build<math::ErfOp>(loc, x));
  case UnaryOp::Sin: return node_of(build<math::SinOp>(loc, x));
  case UnaryOp::Cos: return node_of(build<math::CosOp>(loc, x));
  default: break;
  }
  fail("unknown unary operation", loc);
}

Node select(const Node &cond0, const Node &a0, const Node &b0, Loc loc) {
  require_bound(cond0, "mask", loc);
  require_same_dtype(a0, b0, "where", loc);
  std::vector<int64_t> shape = broadcast_shape(broadcast_to(a0, broadcast_shape(a0, b0, loc), loc), cond0, loc);
  Node c = broadcast_to(cond0, shape, loc), a = broadcast_to(a0, shape, loc), b = broadcast_to(b0, shape, loc);
  return node_of(build<arith::SelectOp>(loc, value_of(c), value_of(a), value_of(b)));
}

Node cast(const Node &a, DType to, Loc loc) {
  require_bound(a, "tile", loc);
  if (a.dtype == to)
    return a;
  TraceState &s = state(loc);
  Type type = tile_type(s.context, a.shape, to);
  Value x = value_of(a);
  bool fromFloat = is_float(a.dtype), toFloat = is_float(to);
  size_t fromBits = dtype_size(a.dtype) * 8, toBits = dtype_size(to) * 8;
  if (a.dtype == DType::I1)
    return node_of(toFloat ? build<arith::UIToFPOp>(loc, type, x) : build<arith::ExtUIOp>(loc, type, x));
  if (to == DType::I1)
    return compare(CompareOp::Ne, a, fromFloat ? constant(a.dtype, {}, 0.0, loc) : constant_int(a.dtype, {}, 0, loc), loc);
  if (fromFloat && toFloat) {
    // f16 <-> bf16 have equal widths: go through f32.
    if (fromBits == toBits)
      return cast(cast(a, DType::F32, loc), to, loc);
    return node_of(fromBits < toBits ? build<arith::ExtFOp>(loc, type, x) : build<arith::TruncFOp>(loc, type, x));
  }
  if (!fromFloat && !toFloat)
    return node_of(fromBits < toBits ? build<arith::ExtSIOp>(loc, type, x) : build<arith::TruncIOp>(loc, type, x));
  if (fromFloat)
    return node_of(build<arith::FPToSIOp>(loc, type, x));
  return node_of(build<arith::SIToFPOp>(loc, type, x));
}

Node expand_dims(const Node &a, int axis, Loc loc) {
  require_bound(a, "tile", loc);
  int rank = static_cast<int>(a.shape.size());
  if (rank == 0)
    fail("expand_dims of a scalar; use broadcast_to", loc);
  if (axis < 0 || axis > rank)
    fail("expand_dims axis " + std::to_string(axis) + " out of range for a rank-" + std::to_string(rank) + " tile", loc);
  std::vector<int64_t> shape = a.shape;
  shape.insert(shape.begin() + axis, 1);
  TraceState &s = state(loc);
  return node_of(build<tile::ExpandDimsOp>(loc, tile_type(s.context, shape, a.dtype, a.is_pointer), value_of(a), axis));
}

Node reshape(const Node &a, const std::vector<int64_t> &shape, Loc loc) {
  require_bound(a, "tile", loc);
  TraceState &s = state(loc);
  return node_of(build<tile::ReshapeOp>(loc, tile_type(s.context, shape, a.dtype, a.is_pointer), value_of(a)));
}

Node permute(const Node &a, const std::vector<int32_t> &order, Loc loc) {
  require_bound(a, "tile", loc);
  if (order.size() != a.shape.size())
    fail("permute order has " + std::to_string(order.size()) + " entries for a rank-" +
             std::to_string(a.shape.size()) + " tile", loc);
  std::vector<int64_t> shape;
  for (int32_t d : order) {
    if (d < 0 || d >= static_cast<int32_t>(a.shape.size()))
      fail("permute order is not a permutation", loc);
    shape.push_back(a.shape[d]);
  }
  TraceState &s = state(loc);
  return node_of(build<tile::TransOp>(loc, tile_type(s.context, shape, a.dtype, a.is_pointer), value_of(a),
                                      s.builder.getDenseI32ArrayAttr(order)));
}

Node add_offset(const Node &pointer, const Node &offset, Loc loc) {
  require_bound(pointer, "pointer", loc);
  require_bound(offset, "offset", loc);
  std::vector<int64_t> shape = broadcast_shape(pointer, offset, loc);
  Node p = broadcast_to(pointer, shape, loc), o = broadcast_to(offset, shape, loc);
  TraceState &s = state(loc);
  return node_of(build<tile::AddPtrOp>(loc, tile_type(s.context, shape, p.dtype, true), value_of(p), value_of(o)));
}

Node load(const Node &pointer, const Node *mask, const Node *other, Loc loc) {
  require_bound(pointer, "pointer", loc);
  if (!pointer.is_pointer)
    fail("load needs pointers", loc);
  TraceState &s = state(loc);
  Type type = tile_type(s.context, pointer.shape, pointer.dtype);
  Value m = mask ? value_of(*mask) : Value();
  Value o = other ? value_of(*other) : Value();
  if (mask && mask->shape != pointer.shape)
    fail("mask shape " + shape_string(mask->shape) + " differs from pointer shape " + shape_string(pointer.shape), loc);
  return node_of(build<tile::LoadOp>(loc, type, value_of(pointer), m, o));
}

void store(const Node &pointer, const Node &value0, const Node *mask, Loc loc) {
  require_bound(pointer, "pointer", loc);
  require_bound(value0, "value", loc);
  if (value0.dtype != pointer.dtype)
    fail("store of " + std::string(dtype_name(value0.dtype)) + " through a pointer to " +
             std::string(dtype_name(pointer.dtype)) + "; cast the value first", loc);
  Node value = broadcast_to(value0, pointer.shape, loc);
  if (mask && mask->shape != pointer.shape)
    fail("mask shape " + shape_string(mask->shape) + " differs from pointer shape " + shape_string(pointer.shape), loc);
  build_void<tile::StoreOp>(loc, value_of(pointer), value_of(value), mask ? value_of(*mask) : Value());
}

Node gather(const Node &base, const Node &indices, const Node *mask, const Node *other, Loc loc) {
  require_bound(base, "pointer", loc);
  require_bound(indices, "indices", loc);
  if (!base.shape.empty())
    fail("gather takes a scalar base pointer", loc);
  TraceState &s = state(loc);
  Type type = tile_type(s.context, indices.shape, base.dtype);
  return node_of(build<tile::GatherOp>(loc, type, value_of(base), value_of(indices),
                                       mask ? value_of(*mask) : Value(), other ? value_of(*other) : Value()));
}

Node atomic(AtomicOp op, const Node &pointer, const Node &value0, const Node *mask, Loc loc) {
  require_bound(pointer, "pointer", loc);
  Node value = broadcast_to(value0, pointer.shape, loc);
  auto kind = static_cast<tile::AtomicKind>(static_cast<int>(op));
  return node_of(build<tile::AtomicRMWOp>(loc, value_of(value).getType(), kind, value_of(pointer),
                                          value_of(value), mask ? value_of(*mask) : Value()));
}

Node atomic_cas(const Node &pointer, const Node &cmp0, const Node &value0, Loc loc) {
  require_bound(pointer, "pointer", loc);
  Node cmp = broadcast_to(cmp0, pointer.shape, loc), value = broadcast_to(value0, pointer.shape, loc);
  return node_of(build<tile::AtomicCASOp>(loc, value_of(value).getType(), value_of(pointer), value_of(cmp),
                                          value_of(value)));
}

DescNode make_desc(const Node &base, const std::vector<Node> &shape, const std::vector<Node> &strides,
                   const std::vector<int64_t> &block, Loc loc) {
  require_bound(base, "pointer", loc);
  if (!base.shape.empty() || !base.is_pointer)
    fail("make_desc takes a scalar base pointer", loc);
  if (shape.size() != block.size() || strides.size() != block.size())
    fail("make_desc: a rank-" + std::to_string(block.size()) + " block needs " + std::to_string(block.size()) +
             " sizes and strides, got " + std::to_string(shape.size()) + " and " + std::to_string(strides.size()), loc);
  TraceState &s = state(loc);
  SmallVector<Value> shapeValues, strideValues;
  for (const Node &n : shape)
    shapeValues.push_back(value_of(n));
  for (const Node &n : strides)
    strideValues.push_back(value_of(n));
  auto type = tile::TensorDescType::get(&s.context, block, scalar_type(s.context, base.dtype));
  DescNode desc;
  desc.value = build<tile::MakeDescOp>(loc, type, value_of(base), shapeValues, strideValues).getAsOpaquePointer();
  desc.block = block;
  desc.dtype = base.dtype;
  return desc;
}

Node desc_load(const DescNode &desc, const std::vector<Node> &offsets, Loc loc) {
  TraceState &s = state(loc);
  if (offsets.size() != desc.block.size())
    fail("a rank-" + std::to_string(desc.block.size()) + " descriptor takes " + std::to_string(desc.block.size()) +
             " offsets, got " + std::to_string(offsets.size()), loc);
  SmallVector<Value> offs;
  for (const Node &n : offsets)
    offs.push_back(value_of(n));
  Type type = tile_type(s.context, desc.block, desc.dtype);
  return node_of(build<tile::DescLoadOp>(loc, type, Value::getFromOpaquePointer(desc.value), offs));
}

void desc_store(const DescNode &desc, const std::vector<Node> &offsets, const Node &value, Loc loc) {
  require_bound(value, "value", loc);
  if (value.shape != desc.block)
    fail("storing a " + shape_string(value.shape) + " tile through a descriptor of " +
             shape_string(desc.block) + " blocks", loc);
  if (offsets.size() != desc.block.size())
    fail("a rank-" + std::to_string(desc.block.size()) + " descriptor takes " + std::to_string(desc.block.size()) +
             " offsets, got " + std::to_string(offsets.size()), loc);
  SmallVector<Value> offs;
  for (const Node &n : offsets)
    offs.push_back(value_of(n));
  build_void<tile::DescStoreOp>(loc, Value::getFromOpaquePointer(desc.value), offs, value_of(value));
}

Node join(const Node &a, const Node &b, Loc loc) {
  require_bound(a, "tile", loc);
  require_bound(b, "tile", loc);
  require_same_dtype(a, b, "join", loc);
  if (a.shape != b.shape || a.shape.empty())
    fail("join takes two tiles of one shape, got " + shape_string(a.shape) + " and " + shape_string(b.shape), loc);
  std::vector<int64_t> shape = a.shape;
  shape.push_back(2);
  TraceState &s = state(loc);
  return node_of(build<tile::JoinOp>(loc, tile_type(s.context, shape, a.dtype, a.is_pointer), value_of(a), value_of(b)));
}

std::pair<Node, Node> split(const Node &a, Loc loc) {
  require_bound(a, "tile", loc);
  if (a.shape.size() < 2 || a.shape.back() != 2)
    fail("split needs a tile of rank 2 or more whose last dimension is 2, got " + shape_string(a.shape), loc);
  std::vector<int64_t> half(a.shape.begin(), a.shape.end() - 1);
  TraceState &s = state(loc);
  Type type = tile_type(s.context, half, a.dtype, a.is_pointer);
  auto op = tile::SplitOp::create(s.builder, location(s, loc), type, type, value_of(a));
  verify_op(op, loc);
  return {node_of(op.getLhs()), node_of(op.getRhs())};
}

Node dot(const Node &a, const Node &b, const Node &acc, Precision precision, Loc loc) {
  require_bound(a, "tile", loc);
  require_bound(b, "tile", loc);
  require_bound(acc, "accumulator", loc);
  if (a.shape.size() != 2 || b.shape.size() != 2 || acc.shape.size() != 2)
    fail("dot takes 2-D tiles, got " + shape_string(a.shape) + " x " + shape_string(b.shape) + " + " +
             shape_string(acc.shape), loc);
  if (a.shape[1] != b.shape[0] || acc.shape[0] != a.shape[0] || acc.shape[1] != b.shape[1])
    fail("dot shapes do not agree: " + shape_string(a.shape) + " x " + shape_string(b.shape) + " + " +
             shape_string(acc.shape), loc);
  auto inputPrecision = static_cast<tile::InputPrecision>(static_cast<int>(precision));
  return node_of(build<tile::DotOp>(loc, value_of(acc).getType(), value_of(a), value_of(b), value_of(acc),
                                    inputPrecision));
}

Node reduce(ReduceOp op, const Node &a, int axis, Loc loc) {
  require_bound(a, "tile", loc);
  int rank = static_cast<int>(a.shape.size());
  if (axis < 0 || axis >= rank)
    fail("reduction axis " + std::to_string(axis) + " out of range for a rank-" + std::to_string(rank) + " tile", loc);
  std::vector<int64_t> shape = a.shape;
  shape.erase(shape.begin() + axis);
  bool arg = op == ReduceOp::ArgMax || op == ReduceOp::ArgMin;
  TraceState &s = state(loc);
  Type type = tile_type(s.context, shape, arg ? DType::I32 : a.dtype);
  auto kind = static_cast<tile::ReduceKind>(static_cast<int>(op));
  return node_of(build<tile::ReduceOp>(loc, type, value_of(a), kind, axis));
}

Node scan(ScanOp op, const Node &a, int axis, bool reverse, Loc loc) {
  require_bound(a, "tile", loc);
  int rank = static_cast<int>(a.shape.size());
  if (axis < 0 || axis >= rank)
    fail("scan axis " + std::to_string(axis) + " out of range for a rank-" + std::to_string(rank) + " tile", loc);
  auto kind = static_cast<tile::ScanKind>(static_cast<int>(op));
  return node_of(build<tile::ScanOp>(loc, value_of(a).getType(), value_of(a), kind, axis, reverse));
}

Node reduce_with(const Node &a, int axis, const std::function<Node(const Node &, const Node &)> &combine, Loc loc) {
  require_bound(a, "tile", loc);
  int rank = static_cast<int>(a.shape.size());
  if (axis < 0 || axis >= rank)
    fail("reduction axis " + std::to_string(axis) + " out of range for a rank-" + std::to_string(rank) + " tile", loc);
  std::vector<int64_t> shape = a.shape;
  shape.erase(shape.begin() + axis);
  TraceState &s = state(loc);
  Location l = location(s, loc);
  Type elem = scalar_type(s.context, a.dtype);
  auto op = tile::ReduceWithOp::create(s.builder, l, tile_type(s.context, shape, a.dtype), value_of(a), axis);
  Block *body = s.builder.createBlock(&op.getCombiner(), {}, {elem, elem}, {l, l});
  {
    OpBuilder::InsertionGuard guard(s.builder);
    s.builder.setInsertionPointToStart(body);
    push_scope();
    Node result;
    try {
      result = combine(node_of(body->getArgument(0)), node_of(body->getArgument(1)));
    } catch (...) {
      pop_scope();
      throw;
    }
    pop_scope();
    if (!result.shape.empty() || value_of(result).getType() != elem)
      fail("a reduce combiner must return one scalar of the tile's dtype", loc);
    tile::YieldOp::create(s.builder, l, ValueRange{value_of(result)});
  }
  s.builder.setInsertionPointAfter(op);
  verify_op(op, loc);
  return node_of(op.getResult());
}

void print(const std::string &prefix, const std::vector<Node> &values, Loc loc) {
  SmallVector<Value> operands;
  for (const Node &n : values) {
    require_bound(n, "tile", loc);
    if (n.is_pointer)
      fail("device_print cannot print pointers", loc);
    operands.push_back(value_of(n));
  }
  build_void<tile::PrintOp>(loc, prefix, operands);
}

void assert_true(const Node &condition, const std::string &message, Loc loc) {
  require_bound(condition, "condition", loc);
  if (condition.dtype != DType::I1 || condition.is_pointer)
    fail("device_assert needs a Bool condition", loc);
  build_void<tile::AssertOp>(loc, value_of(condition), message);
}

} // namespace tegula::dsl::detail
