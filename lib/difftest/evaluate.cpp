// The fp64 reference: the program evaluated one program instance at a time, on every
// lane of the block (padding lanes compute what the kernel computes there, since
// reductions and scans see them), with a first-order bound on how far a correct
// backend's value can be from the exact one. Each float operation adds its own
// rounding (u of the dtype it computes in, which also covers a backend that computes
// bf16/f16 in f32 and rounds once) to the propagated errors of its operands.
#include "internal.h"

#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tegula::difftest {
namespace {
using kernels::unit_roundoff;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kU32 = std::ldexp(1.0, -24);

/// One value over the whole block, row-major [BM][BN]; vectors and scalars are stored
/// broadcast, which keeps every operation a lane-by-lane loop.
struct Field {
  std::vector<double> v, e;
};

int32_t wrap32(double x) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(x))); }

class Evaluator {
public:
  Evaluator(const Program &p, const Inputs &in) : p_(p), in_(in), lanes_(static_cast<size_t>(p.BM * p.BN)) {}

  Reference run() {
    Reference ref;
    size_t count = output_count(p_);
    ref.value.assign(count, 0);
    ref.bound.assign(count, 0);
    int64_t gm = (p_.M + p_.BM - 1) / p_.BM, gn = (p_.N + p_.BN - 1) / p_.BN;
    for (bm_ = 0; bm_ < gm; ++bm_)
      for (bn_ = 0; bn_ < gn; ++bn_) {
        Field f = eval(*p_.root);
        for (int64_t i = 0; i < p_.BM; ++i)
          for (int64_t j = 0; j < p_.BN; ++j) {
            int64_t r = row(i), c = col(j);
            size_t lane = static_cast<size_t>(i * p_.BN + j);
            int64_t at = -1;
            if (p_.root->shape == Shape::Tile && r < p_.M && c < p_.N)
              at = r * p_.N + c;
            else if (p_.root->shape == Shape::Row && i == 0 && c < p_.N)
              at = bm_ * p_.N + c;
            else if (p_.root->shape == Shape::Col && j == 0 && r < p_.M)
              at = bn_ * p_.M + r;
            if (at < 0)
              continue;
            ref.value[static_cast<size_t>(at)] = f.v[lane];
            double b = f.e[lane];
            ref.bound[static_cast<size_t>(at)] = std::isnan(b) || std::isnan(f.v[lane]) ? kInf : b;
          }
      }
    return ref;
  }

private:
  const Program &p_;
  const Inputs &in_;
  size_t lanes_;
  int64_t bm_ = 0, bn_ = 0;
  struct Frame {
    const Field *acc;
    double k;
  };
  std::vector<Frame> frames_;

  int64_t row(int64_t i) const { return bm_ * p_.BM + i; }
  int64_t col(int64_t j) const { return bn_ * p_.BN + j; }
  bool in_range(Shape s, int64_t i, int64_t j) const {
    bool r = row(i) < p_.M, c = col(j) < p_.N;
    return s == Shape::Tile ? r && c : s == Shape::Row ? c : s == Shape::Col ? r : true;
  }

  Field make(double v = 0, double e = 0) const { return {std::vector<double>(lanes_, v), std::vector<double>(lanes_, e)}; }

  /// Applies `fn(lane, i, j)` to every lane.
  template <typename Fn> void each(Fn fn) const {
    for (int64_t i = 0; i < p_.BM; ++i)
      for (int64_t j = 0; j < p_.BN; ++j)
        fn(static_cast<size_t>(i * p_.BN + j), i, j);
  }

  Field eval(const Expr &e) {
    switch (e.op) {
    case Op::Load: case Op::LoadRow: case Op::LoadCol: return load(e);
    case Op::IotaRow: case Op::IotaCol: {
      Field f = make();
      each([&](size_t l, int64_t i, int64_t j) { f.v[l] = static_cast<double>(e.op == Op::IotaRow ? col(j) : row(i)); });
      return f;
    }
    case Op::Const: return make(detail::round_to(e.dtype, e.value));
    case Op::LoopIndex: return make(frames_.back().k);
    case Op::Acc: return *frames_.back().acc;
    case Op::Where: return where(e);
    case Op::Reduce: return reduce(e, eval(*e.args[0]));
    case Op::Scan: return scan(e, eval(*e.args[0]));
    case Op::Loop: {
      Field acc = eval(*e.args[0]);
      for (int k = 0; k < e.amount; ++k) {
        frames_.push_back({&acc, static_cast<double>(k)});
        Field next = eval(*e.args[1]);
        frames_.pop_back();
        acc = std::move(next);
      }
      return acc;
    }
    default: break;
    }
    if (detail::is_binary(e.op))
      return binary(e, eval(*e.args[0]), eval(*e.args[1]));
    return unary(e, eval(*e.args[0]));
  }

  Field load(const Expr &e) {
    Field f = make();
    double other = detail::round_to(p_.dtype, e.value);
    const Buffer &buf = e.op == Op::LoadRow ? in_.row : e.op == Op::LoadCol ? in_.col : e.input == 0 ? in_.x0 : in_.x1;
    Shape s = e.op == Op::LoadRow ? Shape::Row : e.op == Op::LoadCol ? Shape::Col : Shape::Tile;
    each([&](size_t l, int64_t i, int64_t j) {
      if (!in_range(s, i, j)) {
        f.v[l] = other;
        return;
      }
      int64_t at = s == Shape::Row ? col(j) : s == Shape::Col ? row(i) : row(i) * p_.N + col(j);
      f.v[l] = kernels::read_element(buf, static_cast<size_t>(at));
    });
    return f;
  }

  Field binary(const Expr &e, const Field &a, const Field &b) {
    Field f = make();
    bool fl = detail::is_float(e.dtype);
    double u = unit_roundoff(e.dtype), tiny = detail::min_normal(e.dtype);
    for (size_t l = 0; l < lanes_; ++l) {
      double x = a.v[l], y = b.v[l], ex = a.e[l], ey = b.e[l];
      double v = 0, err = 0;
      if (!fl) {
        int64_t X = wrap32(x), Y = wrap32(y);
        switch (e.op) {
        case Op::Add: v = wrap32(static_cast<double>(X + Y)); break;
        case Op::Sub: v = wrap32(static_cast<double>(X - Y)); break;
        case Op::Mul: v = wrap32(static_cast<double>(static_cast<int64_t>(static_cast<uint32_t>(X) * static_cast<uint32_t>(Y)))); break;
        case Op::Min: v = static_cast<double>(std::min(X, Y)); break;
        case Op::Max: v = static_cast<double>(std::max(X, Y)); break;
        case Op::And: v = static_cast<double>(static_cast<int32_t>(X) & static_cast<int32_t>(Y)); break;
        case Op::Or: v = static_cast<double>(static_cast<int32_t>(X) | static_cast<int32_t>(Y)); break;
        case Op::Xor: v = static_cast<double>(static_cast<int32_t>(X) ^ static_cast<int32_t>(Y)); break;
        default: throw Error(ErrorCode::InvalidArgument, "difftest: integer op");
        }
        f.v[l] = v;
        continue;
      }
      switch (e.op) {
      case Op::Add: v = x + y, err = ex + ey; break;
      case Op::Sub: v = x - y, err = ex + ey; break;
      case Op::Mul: v = x * y, err = std::fabs(x) * ey + std::fabs(y) * ex + ex * ey; break;
      case Op::Div:
        v = x / y;
        err = std::fabs(y) > ey ? (ex + std::fabs(v) * ey) / (std::fabs(y) - ey) : kInf;
        break;
      case Op::Min: f.v[l] = std::min(x, y), f.e[l] = std::max(ex, ey); continue;
      case Op::Max: f.v[l] = std::max(x, y), f.e[l] = std::max(ex, ey); continue;
      default: throw Error(ErrorCode::InvalidArgument, "difftest: float op");
      }
      f.v[l] = v;
      f.e[l] = err + u * std::fabs(v) + tiny;
    }
    return f;
  }

  Field unary(const Expr &e, Field a) {
    const Expr &arg = *e.args[0];
    double u = unit_roundoff(e.dtype), tiny = detail::min_normal(e.dtype);
    // Transcendentals: the dtype's rounding plus a few f32 ulps of the math library.
    double lib = u + 8 * kU32;
    for (size_t l = 0; l < lanes_; ++l) {
      double &x = a.v[l], &ex = a.e[l];
      switch (e.op) {
      case Op::Neg: x = -x; break;
      case Op::Abs: x = std::fabs(x); break;
      case Op::Exp: {
        double v = std::exp(x);
        ex = v * std::expm1(ex) + lib * v + tiny;
        x = v;
        break;
      }
      case Op::Sigmoid: {
        double v = 1 / (1 + std::exp(-x));
        ex = std::min(0.25 * ex, 1.0) + lib * v + 4 * kU32 + tiny;
        x = v;
        break;
      }
      case Op::Tanh: {
        double v = std::tanh(x);
        ex = std::min(ex, 2.0) + lib * std::fabs(v) + 4 * kU32 + tiny;
        x = v;
        break;
      }
      case Op::Shl: x = wrap32(static_cast<double>(static_cast<int64_t>(static_cast<uint32_t>(wrap32(x)) << e.amount))); break;
      case Op::Shr: x = static_cast<double>(wrap32(x) >> e.amount); break;
      case Op::Cast:
        // Integer to integer is only i32 to i32 here; widening to f32 is exact; every
        // other conversion to a float (narrowing, bf16 <-> f16, from i32) rounds once.
        if (!detail::is_float(e.dtype) || e.dtype == arg.dtype)
          break;
        if (e.dtype == DType::F32 && detail::is_float(arg.dtype))
          break;
        ex = ex + u * std::fabs(x) + tiny;
        break;
      case Op::MaskPad: break; // below
      default: throw Error(ErrorCode::InvalidArgument, std::string("difftest: unary ") + detail::op_name(e.op));
      }
    }
    if (e.op == Op::MaskPad) {
      double neutral = detail::round_to(e.dtype, e.value);
      each([&](size_t l, int64_t i, int64_t j) {
        if (!in_range(arg.shape, i, j))
          a.v[l] = neutral, a.e[l] = 0;
      });
    }
    return a;
  }

  /// A float compare whose operands lie within their bounds of each other may go either
  /// way on a correct backend.
  Field where(const Expr &e) {
    Field l = eval(*e.args[0]), r = eval(*e.args[1]);
    Field a = eval(*e.args[2]), b = eval(*e.args[3]);
    DType cd = e.args[0]->dtype;
    double tiny = detail::min_normal(cd);
    Field f = make();
    for (size_t k = 0; k < lanes_; ++k) {
      double x = l.v[k], y = r.v[k];
      bool c = false;
      switch (e.cmp) {
      case CmpOp::Lt: c = x < y; break;
      case CmpOp::Le: c = x <= y; break;
      case CmpOp::Gt: c = x > y; break;
      case CmpOp::Ge: c = x >= y; break;
      case CmpOp::Eq: c = x == y; break;
      case CmpOp::Ne: c = x != y; break;
      }
      double slack = l.e[k] + r.e[k];
      bool ambiguous = slack > 0 && std::fabs(x - y) <= kBoundFactor * slack + tiny;
      const Field &pick = c ? a : b, &other = c ? b : a;
      f.v[k] = pick.v[k];
      f.e[k] = ambiguous ? std::max(pick.e[k], std::fabs(pick.v[k] - other.v[k]) + other.e[k]) : pick.e[k];
    }
    return f;
  }

  /// Lanes along the reduction or scan direction of `shape`/`axis`: true means down a
  /// column (over i), false along a row (over j).
  static bool over_rows(Shape shape, int axis) {
    return shape == Shape::Col || (shape == Shape::Tile && axis == 0);
  }

  Field reduce(const Expr &e, const Field &x) {
    Field f = make();
    bool fl = detail::is_float(e.dtype);
    double u = unit_roundoff(e.dtype), tiny = detail::min_normal(e.dtype);
    bool down = e.axis == 0;
    int64_t n = down ? p_.BM : p_.BN, m = down ? p_.BN : p_.BM;
    for (int64_t o = 0; o < m; ++o) {
      double v = 0, err = 0, mag = 0;
      for (int64_t t = 0; t < n; ++t) {
        size_t l = static_cast<size_t>(down ? t * p_.BN + o : o * p_.BN + t);
        double xv = x.v[l];
        if (e.reduce == ReduceOp::Sum) {
          v = fl ? v + xv : wrap32(v + xv);
          err += x.e[l], mag += std::fabs(xv);
        } else {
          bool take = t == 0 || (e.reduce == ReduceOp::Max ? xv > v : xv < v);
          v = take ? xv : v;
          err = std::max(err, x.e[l]);
        }
      }
      if (e.reduce == ReduceOp::Sum && fl)
        err += static_cast<double>(n - 1) * u * mag + static_cast<double>(n) * tiny;
      for (int64_t t = 0; t < n; ++t) {
        size_t l = static_cast<size_t>(down ? t * p_.BN + o : o * p_.BN + t);
        f.v[l] = v, f.e[l] = err;
      }
    }
    return f;
  }

  Field scan(const Expr &e, const Field &x) {
    Field f = make();
    bool fl = detail::is_float(e.dtype);
    double u = unit_roundoff(e.dtype), tiny = detail::min_normal(e.dtype);
    bool down = over_rows(e.args[0]->shape, e.axis);
    int64_t n = down ? p_.BM : p_.BN, m = down ? p_.BN : p_.BM;
    for (int64_t o = 0; o < m; ++o) {
      double v = 0, err = 0, mag = 0;
      for (int64_t t = 0; t < n; ++t) {
        size_t l = static_cast<size_t>(down ? t * p_.BN + o : o * p_.BN + t);
        double xv = x.v[l];
        if (e.scan == ScanOp::CumSum) {
          v = fl ? v + xv : wrap32(v + xv);
          err += x.e[l], mag += std::fabs(xv);
          f.v[l] = v;
          f.e[l] = fl ? err + static_cast<double>(t) * u * mag + static_cast<double>(t + 1) * tiny : 0;
        } else {
          v = t == 0 || xv > v ? xv : v;
          err = std::max(err, x.e[l]);
          f.v[l] = v, f.e[l] = err;
        }
      }
    }
    return f;
  }
};
} // namespace

size_t output_count(const Program &p) {
  int64_t gm = (p.M + p.BM - 1) / p.BM, gn = (p.N + p.BN - 1) / p.BN;
  switch (p.root ? p.root->shape : Shape::Tile) {
  case Shape::Row: return static_cast<size_t>(gm * p.N);
  case Shape::Col: return static_cast<size_t>(gn * p.M);
  default: return static_cast<size_t>(p.M * p.N);
  }
}

Inputs make_inputs(const Program &p, uint64_t input_seed) {
  Inputs in{Buffer(p.dtype, static_cast<size_t>(p.M * p.N)), Buffer(p.dtype, static_cast<size_t>(p.M * p.N)),
            Buffer(p.dtype, static_cast<size_t>(p.N)), Buffer(p.dtype, static_cast<size_t>(p.M))};
  // Integers in [-64, 64): products of a few stay far from overflow.
  double lo = p.dtype == DType::I32 ? -64 : -1, hi = -lo;
  Buffer *bufs[] = {&in.x0, &in.x1, &in.row, &in.col};
  for (uint64_t k = 0; k < 4; ++k)
    kernels::fill_uniform(*bufs[k], input_seed * 4 + k, lo, hi);
  return in;
}

Reference evaluate(const Program &program, const Inputs &inputs) { return Evaluator(program, inputs).run(); }

} // namespace tegula::difftest
