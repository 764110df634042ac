// The program representation's rules: which node is well typed, its dtype and shape,
// and the rebuilding of trees that the minimizer needs.
#include "internal.h"

#include "tegula/runtime/half.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace tegula::difftest {
namespace detail {

Shape broadcast(Shape a, Shape b) {
  if (a == b || b == Shape::Scalar)
    return a;
  if (a == Shape::Scalar)
    return b;
  return Shape::Tile; // Row with Col, or anything with a Tile
}

bool fits(Shape a, Shape bound) { return a == Shape::Scalar || a == bound || bound == Shape::Tile; }

const char *shape_name(Shape shape) {
  switch (shape) {
  case Shape::Scalar: return "scalar";
  case Shape::Row: return "row";
  case Shape::Col: return "col";
  case Shape::Tile: return "tile";
  }
  return "?";
}

const char *op_name(Op op) {
  static const char *names[] = {"load", "load_row", "load_col", "iota_row", "iota_col", "const",
                                "loop_index", "acc", "add", "sub", "mul", "div", "min", "max",
                                "and", "or", "xor", "neg", "abs", "exp", "sigmoid", "tanh",
                                "shl", "shr", "cast", "where", "reduce", "scan", "mask_pad", "loop"};
  return names[static_cast<int>(op)];
}

bool is_leaf(Op op) { return op <= Op::Acc; }
bool is_binary(Op op) { return op >= Op::Add && op <= Op::Xor; }
bool is_float(DType dtype) { return dtype == DType::F32 || dtype == DType::BF16 || dtype == DType::F16; }

namespace {
struct LoopFrame {
  DType dtype;
  Shape shape;
};

int arity(Op op) {
  if (is_leaf(op))
    return 0;
  if (is_binary(op))
    return 2;
  if (op == Op::Where)
    return 4;
  if (op == Op::Loop)
    return 2;
  return 1;
}

bool fail(std::string *why, std::string text) {
  if (why)
    *why = std::move(text);
  return false;
}

/// The dtype and shape of `op` over already typed `args`; the loop stack gives Acc
/// and LoopIndex their meaning.
bool infer(Op op, DType hint, const std::vector<ExprRef> &args, const Expr &f,
           const std::vector<LoopFrame> &loops, DType &dtype, Shape &shape, std::string *why) {
  if (static_cast<int>(args.size()) != arity(op))
    return fail(why, std::string(op_name(op)) + ": wrong operand count");
  auto a = [&](int i) { return args[i].get(); };
  switch (op) {
  case Op::Load: dtype = hint, shape = Shape::Tile; return f.input == 0 || f.input == 1 ? true : fail(why, "load: input");
  case Op::LoadRow: dtype = hint, shape = Shape::Row; return true;
  case Op::LoadCol: dtype = hint, shape = Shape::Col; return true;
  case Op::IotaRow: dtype = DType::I32, shape = Shape::Row; return true;
  case Op::IotaCol: dtype = DType::I32, shape = Shape::Col; return true;
  case Op::Const: dtype = hint, shape = Shape::Scalar; return true;
  case Op::LoopIndex:
    dtype = hint, shape = Shape::Scalar;
    return loops.empty() ? fail(why, "loop index outside a loop") : true;
  case Op::Acc:
    if (loops.empty())
      return fail(why, "acc outside a loop");
    dtype = loops.back().dtype, shape = loops.back().shape;
    return true;
  case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Min: case Op::Max:
  case Op::And: case Op::Or: case Op::Xor:
    if (a(0)->dtype != a(1)->dtype)
      return fail(why, std::string(op_name(op)) + ": dtypes differ");
    if (op == Op::Div && !is_float(a(0)->dtype))
      return fail(why, "div: integer");
    if ((op == Op::And || op == Op::Or || op == Op::Xor) && is_float(a(0)->dtype))
      return fail(why, "bitwise: float");
    dtype = a(0)->dtype, shape = broadcast(a(0)->shape, a(1)->shape);
    return true;
  case Op::Neg: case Op::Abs:
    dtype = a(0)->dtype, shape = a(0)->shape;
    return true;
  case Op::Exp: case Op::Sigmoid: case Op::Tanh:
    dtype = a(0)->dtype, shape = a(0)->shape;
    return is_float(dtype) ? true : fail(why, "math on integers");
  case Op::Shl: case Op::Shr:
    dtype = a(0)->dtype, shape = a(0)->shape;
    return !is_float(dtype) && f.amount >= 0 && f.amount < 31 ? true : fail(why, "shift");
  case Op::Cast:
    dtype = hint, shape = a(0)->shape;
    // Float to integer truncation is not generated: its reference would be ambiguous.
    return is_float(hint) || !is_float(a(0)->dtype) ? true : fail(why, "cast float to int");
  case Op::Where:
    if (a(0)->dtype != a(1)->dtype || a(2)->dtype != a(3)->dtype)
      return fail(why, "where: dtypes differ");
    dtype = a(2)->dtype;
    shape = broadcast(broadcast(a(0)->shape, a(1)->shape), broadcast(a(2)->shape, a(3)->shape));
    return true;
  case Op::Reduce:
    if (a(0)->shape != Shape::Tile || (f.axis != 0 && f.axis != 1))
      return fail(why, "reduce needs a tile");
    dtype = a(0)->dtype, shape = f.axis == 0 ? Shape::Row : Shape::Col;
    return true;
  case Op::Scan:
    dtype = a(0)->dtype, shape = a(0)->shape;
    if (shape == Shape::Scalar || (shape != Shape::Tile && f.axis != 0) || f.axis < 0 || f.axis > 1)
      return fail(why, "scan axis");
    return true;
  case Op::MaskPad:
    dtype = a(0)->dtype, shape = a(0)->shape;
    return shape != Shape::Scalar ? true : fail(why, "mask_pad of a scalar");
  case Op::Loop:
    dtype = a(0)->dtype, shape = a(0)->shape;
    if (a(1)->dtype != dtype || a(1)->shape != shape)
      return fail(why, "loop body changes the carried type");
    return f.amount >= 1 ? true : fail(why, "loop trips");
  }
  return fail(why, "unknown op");
}

ExprRef retype_in(const ExprRef &e, std::vector<LoopFrame> &loops, std::string *why) {
  std::vector<ExprRef> args;
  bool changed = false;
  for (size_t i = 0; i < e->args.size(); ++i) {
    if (e->op == Op::Loop && i == 1) {
      if (!loops.empty()) {
        fail(why, "nested loops");
        return nullptr;
      }
      loops.push_back({args[0]->dtype, args[0]->shape});
    }
    ExprRef arg = retype_in(e->args[i], loops, why);
    if (e->op == Op::Loop && i == 1)
      loops.pop_back();
    if (!arg)
      return nullptr;
    changed |= arg != e->args[i];
    args.push_back(std::move(arg));
  }
  DType dtype;
  Shape shape;
  if (!infer(e->op, e->dtype, args, *e, loops, dtype, shape, why))
    return nullptr;
  if (!changed && dtype == e->dtype && shape == e->shape)
    return e;
  auto out = std::make_shared<Expr>(*e);
  out->args = std::move(args);
  out->dtype = dtype;
  out->shape = shape;
  return out;
}

size_t count_nodes(const Expr &e) {
  size_t n = 1;
  for (const ExprRef &arg : e.args)
    n += count_nodes(*arg);
  return n;
}

const Expr *find(const Expr &e, size_t &index) {
  if (index == 0)
    return &e;
  --index;
  for (const ExprRef &arg : e.args)
    if (const Expr *hit = find(*arg, index))
      return hit;
  return nullptr;
}

ExprRef replace(const ExprRef &e, size_t &index, const ExprRef &with) {
  if (index == 0)
    return with;
  --index;
  for (size_t i = 0; i < e->args.size(); ++i) {
    size_t before = index;
    size_t size = count_nodes(*e->args[i]);
    if (before < size) {
      auto out = std::make_shared<Expr>(*e);
      out->args[i] = replace(e->args[i], index, with);
      return out;
    }
    index -= size;
  }
  return e;
}
} // namespace

ExprRef make(Op op, DType dtype, std::vector<ExprRef> args, const Expr &fields) {
  auto e = std::make_shared<Expr>(fields);
  e->op = op;
  e->dtype = dtype;
  e->args = std::move(args);
  // Acc is typed by its loop; the generator fills its dtype and shape in `fields`.
  if (op == Op::Acc)
    return e;
  std::vector<LoopFrame> loops;
  if (op == Op::LoopIndex)
    loops.push_back({dtype, Shape::Scalar});
  DType d;
  Shape s;
  std::string why;
  for (const ExprRef &arg : e->args)
    if (!arg)
      throw std::logic_error(std::string("difftest: null operand of ") + op_name(op));
  if (!infer(op, dtype, e->args, *e, loops, d, s, &why))
    throw std::logic_error("difftest: ill-typed node: " + why);
  e->dtype = d;
  e->shape = s;
  return e;
}

ExprRef retype(const ExprRef &expr, std::string *why) {
  std::vector<LoopFrame> loops;
  return retype_in(expr, loops, why);
}

double round_to(DType dtype, double value) {
  switch (dtype) {
  case DType::F32: return static_cast<float>(value);
  case DType::BF16: return bf16_to_float(float_to_bf16(static_cast<float>(value)));
  case DType::F16: return f16_to_float(float_to_f16(static_cast<float>(value)));
  case DType::I32: return static_cast<double>(static_cast<int32_t>(value)); // truncation, as full<T> does
  default: return value;
  }
}

double min_normal(DType dtype) {
  switch (dtype) {
  case DType::F16: return std::ldexp(1.0, -14);
  case DType::F32: case DType::BF16: return std::ldexp(1.0, -126);
  default: return 0;
  }
}

ExprRef node_at(const ExprRef &root, size_t index) {
  const Expr *hit = find(*root, index);
  if (!hit)
    return nullptr;
  // Hand out a shared handle without copying: walk again keeping the owning pointer.
  std::vector<const ExprRef *> stack{&root};
  while (!stack.empty()) {
    const ExprRef *top = stack.back();
    stack.pop_back();
    if (top->get() == hit)
      return *top;
    for (auto it = (*top)->args.rbegin(); it != (*top)->args.rend(); ++it)
      stack.push_back(&*it);
  }
  return nullptr;
}

ExprRef replace_at(const ExprRef &root, size_t index, const ExprRef &replacement) {
  return replace(root, index, replacement);
}

} // namespace detail

bool validate(const Program &program, std::string *why) {
  if (!program.root)
    return detail::fail(why, "no root");
  if (program.M < 1 || program.N < 1 || program.BM < 1 || program.BN < 1)
    return detail::fail(why, "sizes");
  ExprRef typed = detail::retype(program.root, why);
  if (!typed)
    return false;
  if (typed != program.root)
    return detail::fail(why, "stored dtypes or shapes are stale");
  if (typed->shape == Shape::Scalar || typed->dtype != program.dtype)
    return detail::fail(why, "the root must be a vector or tile of the program's dtype");
  return true;
}

size_t node_count(const ExprRef &expr) { return expr ? detail::count_nodes(*expr) : 0; }

size_t program_size(const Program &program) {
  // Sizes weigh little next to nodes but still order "same tree, smaller M" first.
  return node_count(program.root) * 1000 + static_cast<size_t>(program.M + program.N + program.BM + program.BN);
}

const char *status_name(Status status) {
  switch (status) {
  case Status::Pass: return "pass";
  case Status::Fail: return "FAIL";
  case Status::Refused: return "refused";
  case Status::Error: return "ERROR";
  }
  return "?";
}

bool Report::ok() const {
  for (const auto &[backend, t] : tally)
    if (t.fail || t.error)
      return false;
  return true;
}

} // namespace tegula::difftest
