// Random well-typed programs. Every node carries a static bound on the magnitude of
// its values on every lane (padding lanes included), which keeps the generated
// arithmetic inside each dtype's range: f16 tops out at 65504, and integer programs
// must never overflow i32.
#include "internal.h"

#include <algorithm>
#include <cmath>

namespace tegula::difftest {
namespace {
using detail::make;
using detail::Rng;

/// Magnitude limits: products of two in-range f16 values stay finite, sums of a few
/// hundred integers stay far from 2^31.
constexpr double kFloatLimit = 200;
constexpr double kIntLimit = 1 << 24;

struct Gen {
  ExprRef e;
  double mag; ///< upper bound of |value| on every lane
};

/// The smallest power of two at or above `x` (exact in every dtype we use).
double pow2_above(double x) { return std::ldexp(1.0, std::max(0, static_cast<int>(std::ceil(std::log2(std::max(x, 1.0)))))); }

class Generator {
public:
  Generator(uint64_t seed, const GenOptions &options) : rng_(seed), opts_(options) {}

  Program run(uint64_t seed) {
    Program p;
    p.seed = seed;
    p.dtype = opts_.dtypes.empty() ? DType::F32 : opts_.dtypes[rng_.below(static_cast<int>(opts_.dtypes.size()))];
    static const int64_t bms[] = {1, 2, 4, 8, 16, 16, 32};
    static const int64_t bns[] = {1, 4, 8, 16, 16, 32, 64};
    p.BM = rng_.pick(bms);
    p.BN = rng_.pick(bns);
    p.M = size_for(p.BM);
    p.N = size_for(p.BN);
    prog_ = &p;
    limit_ = is_int() ? kIntLimit : kFloatLimit;
    static const Shape roots[] = {Shape::Tile, Shape::Tile, Shape::Tile, Shape::Row, Shape::Col};
    Gen g = expr(p.dtype, rng_.pick(roots), opts_.max_depth);
    if (g.e->shape == Shape::Scalar)
      g = binary(Op::Add, load(Shape::Tile), g);
    p.root = g.e;
    return p;
  }

private:
  Rng rng_;
  const GenOptions &opts_;
  Program *prog_ = nullptr;
  double limit_ = kFloatLimit;
  int nodes_ = 0;
  bool in_loop_ = false;
  int trips_ = 0;

  bool is_int() const { return prog_->dtype == DType::I32; }

  /// Mostly not a multiple of the block; sometimes 1 or exactly one block.
  int64_t size_for(int64_t block) {
    switch (rng_.below(8)) {
    case 0: return 1;
    case 1: return block;
    default: return 1 + rng_.below(static_cast<int>(std::min<int64_t>(block * 3, 100)));
    }
  }

  /// A load whose shape fits `bound`; `full` insists on the [BM, BN] tile.
  Gen load(Shape bound, bool full = false) {
    static const double fothers[] = {0, 0, 1, -1, 0.5, 2};
    static const double iothers[] = {0, 0, 1, -1, 7};
    Expr f;
    f.value = is_int() ? rng_.pick(iothers) : rng_.pick(fothers);
    double in = is_int() ? 64 : 1;
    Op op = Op::Load;
    if (bound == Shape::Row || (bound == Shape::Tile && !full && rng_.chance(0.12)))
      op = Op::LoadRow;
    else if (bound == Shape::Col || (bound == Shape::Tile && !full && rng_.chance(0.12)))
      op = Op::LoadCol;
    f.input = rng_.below(2);
    return {make(op, prog_->dtype, {}, f), std::max(in, std::fabs(f.value))};
  }

  Gen constant(DType dtype) {
    static const double fvals[] = {0.5, 1, 2, 0.25, -1, 1.5, -0.75, 3};
    static const double ivals[] = {1, 2, 3, -1, 5, 7, 12};
    Expr f;
    f.value = is_float_dtype(dtype) ? rng_.pick(fvals) : rng_.pick(ivals);
    return {make(Op::Const, dtype, {}, f), std::fabs(f.value)};
  }

  static bool is_float_dtype(DType d) { return detail::is_float(d); }

  Gen iota(Shape bound) {
    bool row = bound == Shape::Row || (bound == Shape::Tile && rng_.chance(0.5));
    double mag = static_cast<double>(std::max(prog_->M, prog_->N) + std::max(prog_->BM, prog_->BN));
    return {make(row ? Op::IotaRow : Op::IotaCol, DType::I32, {}), mag};
  }

  Gen leaf(DType dtype, Shape bound) {
    if (in_loop_ && rng_.chance(0.15))
      return {make(Op::LoopIndex, dtype, {}), static_cast<double>(trips_)};
    if (bound == Shape::Scalar || rng_.chance(0.1))
      return constant(dtype);
    if (dtype == prog_->dtype)
      return load(bound);
    if (dtype == DType::I32)
      return iota(bound);
    // Another float dtype inside a float program: a cast of a load.
    Gen in = load(bound);
    return {make(Op::Cast, dtype, {in.e}), in.mag};
  }

  /// A leaf-like value of `dtype` with the full [BM, BN] shape.
  Gen tile_leaf(DType dtype) {
    if (dtype == prog_->dtype)
      return load(Shape::Tile, true);
    if (dtype == DType::I32)
      return binary(Op::Add, {make(Op::IotaRow, dtype, {}), 200}, {make(Op::IotaCol, dtype, {}), 200});
    Gen in = load(Shape::Tile, true);
    return {make(Op::Cast, dtype, {in.e}), in.mag};
  }

  Gen binary(Op op, Gen a, Gen b) {
    double mag = a.mag + b.mag;
    if (op == Op::Mul)
      mag = a.mag * b.mag;
    else if (op == Op::Min || op == Op::Max)
      mag = std::max(a.mag, b.mag);
    else if (op == Op::And || op == Op::Or || op == Op::Xor)
      mag = pow2_above(std::max(a.mag, b.mag) + 1);
    ++nodes_;
    return {make(op, a.e->dtype, {a.e, b.e}), mag};
  }

  Gen unary(Op op, Gen a, const Expr &f = {}) {
    ++nodes_;
    return {make(op, a.e->dtype, {a.e}, f), a.mag};
  }

  /// Operand shape bounds for an elementwise op whose result must fit `bound`.
  Shape operand_bound(Shape bound) {
    if (bound != Shape::Tile)
      return bound;
    static const Shape choices[] = {Shape::Tile, Shape::Tile, Shape::Tile, Shape::Row, Shape::Col};
    return rng_.pick(choices);
  }

  Gen expr(DType dtype, Shape bound, int depth) {
    if (depth <= 0 || nodes_ >= opts_.max_nodes)
      return leaf(dtype, bound);
    bool fl = detail::is_float(dtype);
    for (;;) {
      int choice = rng_.below(100);
      if (choice < 8)
        return leaf(dtype, bound);
      if (choice < 38) { // arithmetic
        static const Op fops[] = {Op::Add, Op::Sub, Op::Mul, Op::Min, Op::Max, Op::Add, Op::Mul};
        static const Op iops[] = {Op::Add, Op::Sub, Op::Mul, Op::Min, Op::Max, Op::And, Op::Or, Op::Xor};
        Op op = fl ? rng_.pick(fops) : rng_.pick(iops);
        Gen a = expr(dtype, operand_bound(bound), depth - 1);
        Gen b = expr(dtype, operand_bound(bound), depth - 1);
        if (op == Op::Mul && a.mag * b.mag > limit_)
          op = Op::Max;
        if ((op == Op::Add || op == Op::Sub) && a.mag + b.mag > limit_)
          op = Op::Min;
        return binary(op, a, b);
      }
      if (choice < 44 && fl) { // division by a value bounded away from zero
        Gen a = expr(dtype, operand_bound(bound), depth - 1);
        Gen b = expr(dtype, operand_bound(bound), depth - 2);
        static const double offsets[] = {0.5, 1, 2};
        Expr c;
        c.value = rng_.pick(offsets);
        Gen den = binary(Op::Add, unary(Op::Abs, b), {make(Op::Const, dtype, {}, c), c.value});
        Gen q = binary(Op::Div, a, den);
        q.mag = a.mag / c.value;
        return q;
      }
      if (choice < 52) { // neg / abs
        Gen a = expr(dtype, bound, depth - 1);
        return unary(rng_.chance(0.5) ? Op::Neg : Op::Abs, a);
      }
      if (choice < 60 && fl) { // transcendental, on bounded arguments
        Gen a = expr(dtype, bound, depth - 1);
        static const Op ops[] = {Op::Exp, Op::Sigmoid, Op::Tanh};
        Op op = rng_.pick(ops);
        if (op == Op::Exp && a.mag > 3)
          op = Op::Tanh;
        Gen r = unary(op, a);
        r.mag = op == Op::Exp ? std::exp(a.mag) : 1.0;
        return r;
      }
      if (choice < 60 && !fl) { // shifts by small constants
        Gen a = expr(dtype, bound, depth - 1);
        Expr f;
        f.amount = 1 + rng_.below(3);
        bool left = rng_.chance(0.5) && a.mag * (1 << f.amount) <= limit_;
        Gen r = unary(left ? Op::Shl : Op::Shr, a, f);
        r.mag = left ? a.mag * (1 << f.amount) : a.mag;
        return r;
      }
      if (choice < 67 && fl && opts_.casts) { // through another dtype and back
        static const DType others[] = {DType::F32, DType::BF16, DType::F16, DType::I32};
        DType via = rng_.pick(others);
        if (via == dtype)
          continue;
        Gen a = expr(via, bound, depth - 1);
        if (via == DType::I32 && a.mag > 256)
          continue; // keep integers exact in bf16
        ++nodes_;
        return {make(Op::Cast, dtype, {a.e}), a.mag};
      }
      if (choice < 77) { // where(compare)
        DType cd = dtype;
        if (fl && rng_.chance(0.25))
          cd = DType::I32;
        else if (!fl && rng_.chance(0.15))
          cd = DType::I32;
        Gen l = expr(cd, operand_bound(bound), depth - 2);
        Gen r = expr(cd, operand_bound(bound), depth - 2);
        Gen t = expr(dtype, operand_bound(bound), depth - 1);
        Gen f = expr(dtype, operand_bound(bound), depth - 1);
        Expr w;
        static const CmpOp fcmps[] = {CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge};
        static const CmpOp icmps[] = {CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne};
        w.cmp = detail::is_float(cd) ? rng_.pick(fcmps) : rng_.pick(icmps);
        ++nodes_;
        return {make(Op::Where, dtype, {l.e, r.e, t.e, f.e}, w), std::max(t.mag, f.mag)};
      }
      if (choice < 86 && opts_.reductions && bound != Shape::Scalar) {
        if (rng_.chance(0.6))
          return reduction(dtype, bound, depth);
        return scan(dtype, bound, depth);
      }
      if (choice < 94 && opts_.loops && !in_loop_ && depth >= 2 && bound != Shape::Scalar)
        return loop(dtype, bound, depth);
      if (choice >= 94)
        return leaf(dtype, bound);
    }
  }

  /// where(in-range mask, x, neutral), so that padding lanes cannot change a
  /// reduction or reverse-free scan of in-range lanes.
  Gen mask_pad(Gen x, double neutral) {
    Expr f;
    f.value = neutral;
    ++nodes_;
    return {make(Op::MaskPad, x.e->dtype, {x.e}, f), std::max(x.mag, std::fabs(neutral))};
  }

  Gen reduction(DType dtype, Shape bound, int depth) {
    Expr f;
    f.axis = bound == Shape::Row ? 0 : bound == Shape::Col ? 1 : rng_.below(2);
    static const ReduceOp ops[] = {ReduceOp::Sum, ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min};
    f.reduce = rng_.pick(ops);
    Gen x = expr(dtype, Shape::Tile, depth - 1);
    if (x.e->shape != Shape::Tile)
      x = binary(Op::Add, x, tile_leaf(dtype));
    double n = static_cast<double>(f.axis == 0 ? prog_->BM : prog_->BN);
    if (f.reduce == ReduceOp::Sum && x.mag * n > limit_)
      f.reduce = ReduceOp::Max;
    if (rng_.chance(0.7)) {
      double big = pow2_above(x.mag);
      x = mask_pad(x, f.reduce == ReduceOp::Sum ? 0.0 : f.reduce == ReduceOp::Max ? -big : big);
    }
    ++nodes_;
    double mag = f.reduce == ReduceOp::Sum ? x.mag * n : x.mag;
    return {make(Op::Reduce, dtype, {x.e}, f), mag};
  }

  Gen scan(DType dtype, Shape bound, int depth) {
    Expr f;
    f.scan = rng_.chance(0.6) ? ScanOp::CumSum : ScanOp::CumMax;
    Gen x = expr(dtype, bound, depth - 1);
    if (x.e->shape == Shape::Scalar)
      return x;
    f.axis = x.e->shape == Shape::Tile ? rng_.below(2) : 0;
    int64_t n = x.e->shape == Shape::Row ? prog_->BN
                : x.e->shape == Shape::Col ? prog_->BM
                : f.axis == 0 ? prog_->BM : prog_->BN;
    if (f.scan == ScanOp::CumSum && x.mag * static_cast<double>(n) > limit_)
      f.scan = ScanOp::CumMax;
    if (rng_.chance(0.5))
      x = mask_pad(x, f.scan == ScanOp::CumSum ? 0.0 : -pow2_above(x.mag));
    ++nodes_;
    double mag = f.scan == ScanOp::CumSum ? x.mag * static_cast<double>(n) : x.mag;
    return {make(Op::Scan, dtype, {x.e}, f), mag};
  }

  /// acc = init; for k < trips: acc = update(acc, e) with e possibly reading k.
  Gen loop(DType dtype, Shape bound, int depth) {
    Gen init = expr(dtype, bound, depth - 1);
    if (init.e->shape == Shape::Scalar)
      return init;
    Expr lf;
    lf.amount = 1 + rng_.below(4);
    in_loop_ = true;
    trips_ = lf.amount;
    Gen e = expr(dtype, init.e->shape, depth - 1);
    in_loop_ = false;
    Expr af;
    af.dtype = dtype;
    af.shape = init.e->shape;
    Gen acc{make(Op::Acc, dtype, {}, af), init.mag};
    double n = lf.amount;
    Gen body;
    int kind = rng_.below(4);
    if (kind == 0 && init.mag + n * e.mag <= limit_) {
      body = binary(Op::Add, acc, e);
      body.mag = init.mag + n * e.mag;
    } else if (kind == 1 && detail::is_float(dtype) && init.mag + 2 * e.mag <= limit_) {
      Expr half;
      half.value = 0.5;
      body = binary(Op::Add, binary(Op::Mul, acc, {make(Op::Const, dtype, {}, half), 0.5}), e);
      body.mag = init.mag + 2 * e.mag;
    } else if (kind == 2 && !detail::is_float(dtype)) {
      body = binary(Op::Xor, acc, e);
      body.mag = pow2_above(std::max(init.mag, e.mag) + 1);
    } else {
      body = binary(rng_.chance(0.5) ? Op::Max : Op::Min, acc, e);
    }
    ++nodes_;
    return {make(Op::Loop, dtype, {init.e, body.e}, lf), std::max(init.mag, body.mag)};
  }
};
} // namespace

Program generate(uint64_t seed, const GenOptions &options) {
  // Scramble the seed once so that consecutive seeds give unrelated programs.
  detail::Rng mix(seed ^ 0x6a09e667f3bcc909ull);
  Generator g(mix.next(), options);
  return g.run(seed);
}

} // namespace tegula::difftest
