// The trace-time interpreter: a kernel template whose meta-parameter is the program.
// Walking the tree emits exactly the DSL calls that to_dsl() prints, so a printed
// program traces to the same IR (up to source locations).
#include "kernel.h"
#include "internal.h"

#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <variant>
#include <vector>

namespace tegula::difftest {
namespace {
using namespace tegula::dsl;

using AnyTile = std::variant<Tile<f32>, Tile<bf16>, Tile<f16>, Tile<i32>>;

struct Val {
  AnyTile t;
  Shape shape;
};

/// Which DSL construct each line of this file traces, so that a backend's refusal
/// (which names the traced op's source line) can be reported by construct. Each call
/// sits on the same line as its SITE().
std::mutex sites_mutex;
std::map<int, std::string> &sites() {
  static std::map<int, std::string> table;
  return table;
}
void note_site(int line, const char *construct) {
  std::lock_guard<std::mutex> lock(sites_mutex);
  sites().emplace(line, construct);
}
#define SITE(construct) note_site(__LINE__, construct)

[[noreturn]] void ill_typed(const char *what) {
  throw Error(ErrorCode::InvalidArgument, std::string("difftest: ill-typed program at ") + what);
}

/// A value of dtype `To` from a tile of any of our dtypes.
template <typename From> AnyTile cast_to(DType to, const Tile<From> &x) {
  switch (to) {
  case DType::F32: SITE("cast<f32>"); return cast<f32>(x);
  case DType::BF16: SITE("cast<bf16>"); return cast<bf16>(x);
  case DType::F16: SITE("cast<f16>"); return cast<f16>(x);
  case DType::I32: SITE("cast<i32>"); return cast<i32>(x);
  default: ill_typed("cast");
  }
}

AnyTile constant(DType dtype, double value) {
  switch (dtype) {
  case DType::F32: SITE("scalar<f32>"); return scalar<f32>(value);
  case DType::BF16: SITE("scalar<bf16>"); return scalar<bf16>(value);
  case DType::F16: SITE("scalar<f16>"); return scalar<f16>(value);
  case DType::I32: SITE("scalar<i32>"); return scalar<i32>(value);
  default: ill_typed("constant");
  }
}

/// A vector entering a 2-D operation becomes [1, BN] or [BM, 1].
AnyTile lift(const Val &v, Shape to) {
  if (to != Shape::Tile || v.shape == Shape::Tile || v.shape == Shape::Scalar)
    return v.t;
  bool row = v.shape == Shape::Row;
  return std::visit(
      [&](const auto &x) -> AnyTile {
        if (row) {
          SITE(".row()"); return x.row();
        }
        SITE(".col()"); return x.col();
      },
      v.t);
}

template <typename T> class Interpreter {
public:
  Interpreter(const Program &p, Ptr<T> x0, Ptr<T> x1, Ptr<T> r, Ptr<T> c, Ptr<T> out, Int M, Int N)
      : p_(p), x0_(x0), x1_(x1), r_(r), c_(c), out_(out), M_(M), N_(N) {}

  void run() {
    SITE("program_id"); Int pid_m = program_id(0), pid_n = program_id(1);
    SITE("rows = program_id(0) * BM + arange(BM)"); rows_ = pid_m * static_cast<double>(p_.BM) + arange(p_.BM);
    SITE("cols = program_id(1) * BN + arange(BN)"); cols_ = pid_n * static_cast<double>(p_.BN) + arange(p_.BN);
    SITE("row_ok = rows < M"); row_ok_ = rows_ < M_;
    SITE("col_ok = cols < N"); col_ok_ = cols_ < N_;
    SITE("mask = row_ok.col() && col_ok.row()"); mask_ = row_ok_.col() && col_ok_.row();
    SITE("offs = rows.col() * N + cols.row()"); offs_ = rows_.col() * N_ + cols_.row();
    Val root = eval(*p_.root);
    const auto *value = std::get_if<Tile<T>>(&root.t);
    if (!value)
      ill_typed("root dtype");
    switch (root.shape) {
    case Shape::Tile: SITE("store of a tile"); store(out_ + offs_, *value, mask_); break;
    case Shape::Row: SITE("store of a row vector"); store(out_ + pid_m * N_ + cols_, *value, col_ok_); break;
    case Shape::Col: SITE("store of a column vector"); store(out_ + pid_n * M_ + rows_, *value, row_ok_); break;
    case Shape::Scalar: ill_typed("scalar root");
    }
  }

private:
  struct Frame {
    std::function<AnyTile()> acc;
    Int k;
  };

  const Program &p_;
  Ptr<T> x0_, x1_, r_, c_, out_;
  Int M_, N_;
  Tile<i32> rows_, cols_, offs_;
  Bool row_ok_, col_ok_, mask_;
  std::vector<Frame> frames_;

  const Bool &mask_for(Shape s) const { return s == Shape::Tile ? mask_ : s == Shape::Row ? col_ok_ : row_ok_; }

  Val eval(const Expr &e) {
    switch (e.op) {
    case Op::Load: SITE("load(x + offs, mask, other)"); return {load((e.input == 0 ? x0_ : x1_) + offs_, mask_, e.value), Shape::Tile};
    case Op::LoadRow: SITE("load(r + cols, col_ok, other)"); return {load(r_ + cols_, col_ok_, e.value), Shape::Row};
    case Op::LoadCol: SITE("load(c + rows, row_ok, other)"); return {load(c_ + rows_, row_ok_, e.value), Shape::Col};
    case Op::IotaRow: return {cols_, Shape::Row};
    case Op::IotaCol: return {rows_, Shape::Col};
    case Op::Const: return {constant(e.dtype, e.value), Shape::Scalar};
    case Op::LoopIndex:
      if (frames_.empty())
        ill_typed("loop index");
      SITE("cast<T>(k)"); return {cast_to(e.dtype, frames_.back().k), Shape::Scalar};
    case Op::Acc:
      if (frames_.empty())
        ill_typed("acc");
      return {frames_.back().acc(), e.shape};
    case Op::Where: return where_op(e);
    case Op::Loop: return loop(e);
    default: break;
    }
    if (is_binary_op(e.op))
      return binary(e.op, eval(*e.args[0]), eval(*e.args[1]));
    Val x = eval(*e.args[0]);
    return {unary(e, x), e.shape};
  }

  static bool is_binary_op(Op op) { return op >= Op::Add && op <= Op::Xor; }

  Val binary(Op op, const Val &a, const Val &b) {
    Shape s = detail::broadcast(a.shape, b.shape);
    AnyTile la = lift(a, s), lb = lift(b, s);
    AnyTile r = std::visit(
        [&](const auto &x, const auto &y) -> AnyTile {
          using X = std::decay_t<decltype(x)>;
          if constexpr (!std::is_same_v<X, std::decay_t<decltype(y)>>) {
            ill_typed("binary dtypes");
          } else {
            using E = typename X::element_type;
            switch (op) {
            case Op::Add: SITE("a + b"); return x + y;
            case Op::Sub: SITE("a - b"); return x - y;
            case Op::Mul: SITE("a * b"); return x * y;
            case Op::Min: SITE("minimum"); return minimum(x, y);
            case Op::Max: SITE("maximum"); return maximum(x, y);
            default: break;
            }
            if constexpr (FloatDType<E>) {
              if (op == Op::Div) {
                SITE("a / b"); return x / y;
              }
            } else {
              if (op == Op::And) {
                SITE("a & b"); return x & y;
              }
              if (op == Op::Or) {
                SITE("a | b"); return x | y;
              }
              if (op == Op::Xor) {
                SITE("a ^ b"); return x ^ y;
              }
            }
            ill_typed("binary op");
          }
        },
        la, lb);
    return {r, s};
  }

  AnyTile unary(const Expr &e, const Val &v) {
    return std::visit(
        [&](const auto &x) -> AnyTile {
          using E = typename std::decay_t<decltype(x)>::element_type;
          switch (e.op) {
          case Op::Neg: SITE("-a"); return -x;
          case Op::Abs: SITE("abs"); return abs(x);
          case Op::Cast: return cast_to(e.dtype, x);
          case Op::MaskPad: SITE("where(mask, a, neutral)"); return where(mask_for(v.shape), x, e.value);
          case Op::Reduce:
            if (e.reduce == ReduceOp::Sum) {
              SITE("sum"); return sum(x, e.axis);
            }
            if (e.reduce == ReduceOp::Max) {
              SITE("max (reduction)"); return dsl::max(x, e.axis);
            }
            SITE("min (reduction)"); return dsl::min(x, e.axis);
          case Op::Scan:
            if (e.scan == ScanOp::CumSum) {
              SITE("cumsum"); return cumsum(x, e.axis);
            }
            SITE("cummax"); return cummax(x, e.axis);
          default: break;
          }
          if constexpr (FloatDType<E>) {
            if (e.op == Op::Exp) {
              SITE("exp"); return exp(x);
            }
            if (e.op == Op::Sigmoid) {
              SITE("sigmoid"); return sigmoid(x);
            }
            if (e.op == Op::Tanh) {
              SITE("tanh"); return tanh(x);
            }
          } else {
            if (e.op == Op::Shl) {
              SITE("a << n"); return x << static_cast<long long>(e.amount);
            }
            if (e.op == Op::Shr) {
              SITE("a >> n"); return x >> static_cast<long long>(e.amount);
            }
          }
          ill_typed(detail::op_name(e.op));
        },
        v.t);
  }

  Val where_op(const Expr &e) {
    Val l = eval(*e.args[0]), r = eval(*e.args[1]);
    Val a = eval(*e.args[2]), b = eval(*e.args[3]);
    Shape s = e.shape;
    AnyTile ll = lift(l, s), lr = lift(r, s), la = lift(a, s), lb = lift(b, s);
    Bool cond = std::visit(
        [&](const auto &x, const auto &y) -> Bool {
          if constexpr (!std::is_same_v<std::decay_t<decltype(x)>, std::decay_t<decltype(y)>>) {
            ill_typed("compare dtypes");
          } else {
            switch (e.cmp) {
            case CmpOp::Lt: SITE("a < b"); return x < y;
            case CmpOp::Le: SITE("a <= b"); return x <= y;
            case CmpOp::Gt: SITE("a > b"); return x > y;
            case CmpOp::Ge: SITE("a >= b"); return x >= y;
            case CmpOp::Eq: SITE("a == b"); return x == y;
            case CmpOp::Ne: SITE("a != b"); return x != y;
            }
            ill_typed("compare");
          }
        },
        ll, lr);
    AnyTile out = std::visit(
        [&](const auto &x, const auto &y) -> AnyTile {
          if constexpr (!std::is_same_v<std::decay_t<decltype(x)>, std::decay_t<decltype(y)>>)
            ill_typed("where dtypes");
          else {
            SITE("where(a <cmp> b, x, y)"); return where(cond, x, y);
          }
        },
        la, lb);
    return {out, s};
  }

  Val loop(const Expr &e) {
    Val init = eval(*e.args[0]);
    return std::visit(
        [&](const auto &first) -> Val {
          using X = std::decay_t<decltype(first)>;
          X acc = first;
          SITE("for (auto k : range(0, trips).carry(acc))"); for (auto k : range(0, static_cast<int64_t>(e.amount)).carry(acc)) {
            frames_.push_back({[&]() -> AnyTile { return acc; }, k});
            Val body = eval(*e.args[1]);
            frames_.pop_back();
            const X *next = std::get_if<X>(&body.t);
            if (!next || body.shape != init.shape)
              ill_typed("loop body type");
            acc = *next;
          }
          return {acc, init.shape};
        },
        init.t);
  }
};

struct ProgramMeta {
  std::shared_ptr<const Program> program;
};

template <typename T>
void program_kernel(Ptr<T> x0, Ptr<T> x1, Ptr<T> r, Ptr<T> c, Ptr<T> out, Int M, Int N, ProgramMeta meta) {
  Interpreter<T>(*meta.program, x0, x1, r, c, out, M, N).run();
}
} // namespace

namespace detail {
dsl::TracedKernel trace_program(const Program &program) {
  ProgramMeta meta{std::make_shared<const Program>(program)};
  std::vector<std::string> names = {"x0", "x1", "r", "c", "out", "M", "N"};
  switch (program.dtype) {
  case DType::F32: return dsl::trace("difftest", &program_kernel<f32>, names, meta);
  case DType::BF16: return dsl::trace("difftest", &program_kernel<bf16>, names, meta);
  case DType::F16: return dsl::trace("difftest", &program_kernel<f16>, names, meta);
  case DType::I32: return dsl::trace("difftest", &program_kernel<i32>, names, meta);
  default: throw Error(ErrorCode::Unsupported, "difftest: programs are f32, bf16, f16 or i32");
  }
}

std::string name_sites(const std::string &message) {
  static const std::regex loc(R"re(loc\("[^"]*difftest/kernel\.cpp":([0-9]+):[0-9]+\))re");
  std::string out;
  auto begin = std::sregex_iterator(message.begin(), message.end(), loc);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += message.substr(last, static_cast<size_t>(it->position()) - last);
    int line = std::stoi((*it)[1].str());
    std::lock_guard<std::mutex> lock(sites_mutex);
    auto site = sites().find(line);
    out += '`';
    out += site == sites().end() ? "line " + std::to_string(line) : site->second;
    out += '`';
    last = static_cast<size_t>(it->position() + it->length());
  }
  return out + message.substr(last);
}
} // namespace detail

} // namespace tegula::difftest
