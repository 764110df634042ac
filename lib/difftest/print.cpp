// Programs as DSL source: one `auto vN = ...;` statement per operation, in the order
// the interpreting kernel traces them, so a printed failure can be pasted into a test.
#include "internal.h"

#include <sstream>

namespace tegula::difftest {
namespace {

std::string number(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

/// Concatenation by appending (GCC 12 warns, wrongly, on `"literal" + temporary`).
template <typename... A> std::string cat(const A &...parts) {
  std::string s;
  ((s += parts), ...);
  return s;
}

std::string dtype_str(DType d) { return std::string(dtype_name(d)); }

struct Named {
  std::string text;
  Shape shape;
};

class Printer {
public:
  explicit Printer(const Program &p) : p_(p) {}

  std::string run() {
    const Program &p = p_;
    std::string t = dtype_str(p.dtype);
    std::ostringstream os;
    os << "// difftest program";
    if (p.seed)
      os << " " << p.seed << " (replay: tegula xcheck --programs 1 --seed " << p.seed << ")";
    os << "\n// " << t << "; M = " << p.M << ", N = " << p.N << "; blocks BM = " << p.BM << ", BN = " << p.BN
       << "; launch Grid(cdiv(M, " << p.BM << "), cdiv(N, " << p.BN << ")) with x0, x1 [M*N], r [N], c [M], ";
    switch (p.root->shape) {
    case Shape::Row: os << "out [cdiv(M, " << p.BM << ") * N] (one row per block row)"; break;
    case Shape::Col: os << "out [cdiv(N, " << p.BN << ") * M] (one column per block column)"; break;
    default: os << "out [M*N]"; break;
    }
    os << ", M, N\n#include \"tegula/dsl.h\"\nusing namespace tegula::dsl;\n\n";
    os << "void difftest_kernel(Ptr<" << t << "> x0, Ptr<" << t << "> x1, Ptr<" << t << "> r, Ptr<" << t
       << "> c, Ptr<" << t << "> out, Int M, Int N) {\n";
    line(cat("auto rows = program_id(0) * ", std::to_string(p.BM), " + arange(", std::to_string(p.BM), ");"));
    line(cat("auto cols = program_id(1) * ", std::to_string(p.BN), " + arange(", std::to_string(p.BN), ");"));
    line("auto row_ok = rows < M;");
    line("auto col_ok = cols < N;");
    line("auto mask = row_ok.col() && col_ok.row();");
    line("auto offs = rows.col() * N + cols.row();");
    Named root = emit(*p.root);
    switch (root.shape) {
    case Shape::Row: line("store(out + program_id(0) * N + cols, " + root.text + ", col_ok);"); break;
    case Shape::Col: line("store(out + program_id(1) * M + rows, " + root.text + ", row_ok);"); break;
    default: line("store(out + offs, " + root.text + ", mask);"); break;
    }
    os << body_.str() << "}\n";
    return os.str();
  }

private:
  const Program &p_;
  std::ostringstream body_;
  int indent_ = 1;
  int next_ = 0;
  std::vector<std::string> accs_;

  void line(const std::string &s) { body_ << std::string(static_cast<size_t>(indent_) * 2, ' ') << s << "\n"; }

  Named bind(const std::string &expr, Shape shape) {
    std::string name = cat("v", std::to_string(next_++));
    line(cat("auto ", name, " = ", expr, ";"));
    return {name, shape};
  }

  static std::string lift(const Named &n, Shape to) {
    if (to != Shape::Tile || n.shape == Shape::Tile || n.shape == Shape::Scalar)
      return n.text;
    return n.text + (n.shape == Shape::Row ? ".row()" : ".col()");
  }

  static const char *mask_for(Shape s) { return s == Shape::Tile ? "mask" : s == Shape::Row ? "col_ok" : "row_ok"; }

  Named emit(const Expr &e) {
    std::string t = dtype_str(e.dtype);
    switch (e.op) {
    case Op::Load:
      return bind(cat("load(x", std::to_string(e.input), " + offs, mask, ", number(e.value), ")"), Shape::Tile);
    case Op::LoadRow: return bind(cat("load(r + cols, col_ok, ", number(e.value), ")"), Shape::Row);
    case Op::LoadCol: return bind(cat("load(c + rows, row_ok, ", number(e.value), ")"), Shape::Col);
    case Op::IotaRow: return {"cols", Shape::Row};
    case Op::IotaCol: return {"rows", Shape::Col};
    case Op::Const: return {cat("scalar<", t, ">(", number(e.value), ")"), Shape::Scalar};
    case Op::LoopIndex: return {cat("cast<", t, ">(k)"), Shape::Scalar};
    case Op::Acc: return {accs_.empty() ? "acc" : accs_.back(), e.shape};
    case Op::Loop: {
      Named init = emit(*e.args[0]);
      Named acc = bind(init.text, init.shape);
      line(cat("for (auto k : range(0, ", std::to_string(e.amount), ").carry(", acc.text, ")) {"));
      ++indent_;
      accs_.push_back(acc.text);
      Named body = emit(*e.args[1]);
      accs_.pop_back();
      line(cat(acc.text, " = ", body.text, ";"));
      --indent_;
      line("}");
      return acc;
    }
    case Op::Where: {
      Named l = emit(*e.args[0]), r = emit(*e.args[1]), a = emit(*e.args[2]), b = emit(*e.args[3]);
      static const char *cmps[] = {" < ", " <= ", " > ", " >= ", " == ", " != "};
      return bind(cat("where(", lift(l, e.shape), cmps[static_cast<int>(e.cmp)], lift(r, e.shape), ", ",
                      lift(a, e.shape), ", ", lift(b, e.shape), ")"),
                  e.shape);
    }
    default: break;
    }
    if (detail::is_binary(e.op)) {
      Named a = emit(*e.args[0]), b = emit(*e.args[1]);
      std::string x = lift(a, e.shape), y = lift(b, e.shape);
      switch (e.op) {
      case Op::Min: return bind(cat("minimum(", x, ", ", y, ")"), e.shape);
      case Op::Max: return bind(cat("maximum(", x, ", ", y, ")"), e.shape);
      default: break;
      }
      static const char *ops[] = {" + ", " - ", " * ", " / ", "", "", " & ", " | ", " ^ "};
      return bind(cat(x, ops[static_cast<int>(e.op) - static_cast<int>(Op::Add)], y), e.shape);
    }
    Named a = emit(*e.args[0]);
    const std::string &x = a.text;
    std::string ax = std::to_string(e.axis);
    switch (e.op) {
    case Op::Neg: return bind(cat("-", x), e.shape);
    case Op::Abs: return bind(cat("abs(", x, ")"), e.shape);
    case Op::Exp: return bind(cat("exp(", x, ")"), e.shape);
    case Op::Sigmoid: return bind(cat("sigmoid(", x, ")"), e.shape);
    case Op::Tanh: return bind(cat("tanh(", x, ")"), e.shape);
    case Op::Shl: return bind(cat(x, " << ", std::to_string(e.amount)), e.shape);
    case Op::Shr: return bind(cat(x, " >> ", std::to_string(e.amount)), e.shape);
    case Op::Cast: return bind(cat("cast<", t, ">(", x, ")"), e.shape);
    case Op::MaskPad: return bind(cat(std::string("where("), mask_for(a.shape), ", ", x, ", ", number(e.value), ")"), e.shape);
    case Op::Reduce: {
      static const char *names[] = {"sum", "max", "min"};
      return bind(cat(std::string(names[static_cast<int>(e.reduce)]), "(", x, ", ", ax, ")"), e.shape);
    }
    case Op::Scan:
      return bind(cat(std::string(e.scan == ScanOp::CumSum ? "cumsum" : "cummax"), "(", x, ", ", ax, ")"), e.shape);
    default: return bind(cat("/* ", std::string(detail::op_name(e.op)), " */ ", x), e.shape);
    }
  }
};
} // namespace

std::string to_dsl(const Program &program) { return Printer(program).run(); }

} // namespace tegula::difftest
