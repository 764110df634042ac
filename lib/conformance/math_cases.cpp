// Conformance cases: every math function, negation and abs, casts between every pair
// of scalar dtypes, where with tile and number operands, and logic on masks.
#include "harness.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

enum class Fn { Exp, Exp2, Log, Log2, Sqrt, Rsqrt, Sigmoid, Tanh, Erf, Sin, Cos, Abs, Neg };
struct FnInfo {
  Fn fn;
  const char *name;
  double lo, hi; ///< the input range: inside each function's domain
  bool ints;     ///< also defined on integer tiles
};
const FnInfo kFns[] = {
    {Fn::Exp, "exp", -8, 8, false},     {Fn::Exp2, "exp2", -10, 10, false}, {Fn::Log, "log", 0.01, 50, false},
    {Fn::Log2, "log2", 0.01, 50, false}, {Fn::Sqrt, "sqrt", 0, 50, false},   {Fn::Rsqrt, "rsqrt", 0.01, 50, false},
    {Fn::Sigmoid, "sigmoid", -10, 10, false}, {Fn::Tanh, "tanh", -5, 5, false}, {Fn::Erf, "erf", -3, 3, false},
    {Fn::Sin, "sin", -6, 6, false},     {Fn::Cos, "cos", -6, 6, false},     {Fn::Abs, "abs", -4, 4, true},
    {Fn::Neg, "neg", -4, 4, true},
};

template <NumericDType T> Tile<T> apply(Fn fn, const Tile<T> &x) {
  if constexpr (FloatDType<T>) {
    switch (fn) {
    case Fn::Exp: return exp(x);
    case Fn::Exp2: return exp2(x);
    case Fn::Log: return log(x);
    case Fn::Log2: return log2(x);
    case Fn::Sqrt: return sqrt(x);
    case Fn::Rsqrt: return rsqrt(x);
    case Fn::Sigmoid: return sigmoid(x);
    case Fn::Tanh: return tanh(x);
    case Fn::Erf: return erf(x);
    case Fn::Sin: return sin(x);
    case Fn::Cos: return cos(x);
    default: break;
    }
  }
  if (fn == Fn::Abs)
    return abs(x);
  return -x;
}

double reference(Fn fn, double x) {
  switch (fn) {
  case Fn::Exp: return std::exp(x);
  case Fn::Exp2: return std::exp2(x);
  case Fn::Log: return std::log(x);
  case Fn::Log2: return std::log2(x);
  case Fn::Sqrt: return std::sqrt(x);
  case Fn::Rsqrt: return 1 / std::sqrt(x);
  case Fn::Sigmoid: return 1 / (1 + std::exp(-x));
  case Fn::Tanh: return std::tanh(x);
  case Fn::Erf: return std::erf(x);
  case Fn::Sin: return std::sin(x);
  case Fn::Cos: return std::cos(x);
  case Fn::Abs: return std::fabs(x);
  case Fn::Neg: return -x;
  }
  return NAN;
}

/// The functions are computed in f32 (f16 and bf16 too, then rounded) or f64 by
/// approximations that are not correctly rounded: a few ulps of the result, plus, for
/// exp-like functions whose argument is scaled first, the error of that scaling
/// (|x| ulps of the result), plus an absolute ulp near the zeros of sin, cos, log and
/// erf. One rounding to the output type on top.
double bound(Fn fn, double x, double r, DType d) {
  if (fn == Fn::Abs || fn == Fn::Neg)
    return 0;
  const double u = d == DType::F64 ? kernels::unit_roundoff(DType::F64) : kernels::unit_roundoff(DType::F32);
  double b = 8 * u * std::fabs(r);
  if (fn == Fn::Exp || fn == Fn::Exp2 || fn == Fn::Sigmoid)
    b += 4 * u * std::fabs(x) * std::fabs(r);
  if (fn == Fn::Sin || fn == Fn::Cos || fn == Fn::Log || fn == Fn::Log2 || fn == Fn::Erf || fn == Fn::Tanh)
    b += 8 * u;
  return b + rounding_bound(r, d);
}

struct UnaryCfg {
  Fn fn;
  int block;
};

template <NumericDType T> void unary_kernel(Ptr<T> x, Ptr<T> out, Int n, UnaryCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  store(out + offs, apply(cfg.fn, load(x + offs, in, 1.0)), in);
}

void run_unary(Run &run, const FnInfo &info) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    Buffer x = dtype_is_float(run.dtype) ? run.input(n, info.lo, info.hi) : run.input(n, -100, 100);
    Buffer out = run.output(n);
    const UnaryCfg cfg{info.fn, 128};
    auto k = run.compile(std::string("unary_") + info.name, &unary_kernel<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, out, n);
    std::vector<double> ref(n), bnd(n);
    for (int64_t i = 0; i < n; ++i) {
      const double v = kernels::read_element(x, i);
      ref[i] = reference(info.fn, v);
      bnd[i] = bound(info.fn, v, ref[i], run.dtype);
    }
    run.expect(out, ref, bnd);
  });
}

// --- casts ------------------------------------------------------------------------------
struct CastCfg {
  int block;
};

template <ScalarDType From, ScalarDType To> void cast_kernel(Ptr<From> x, Ptr<To> out, Int n, CastCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  store(out + offs, cast<To>(load(x + offs)), in);
}

/// The masked lanes of cast_kernel's load are not masked: the input is padded to whole
/// blocks, so the unmasked load stays inside the buffer.
void run_cast(Run &run, DType to) {
  with_scalar(run.dtype, [&]<typename From>() {
    with_scalar(to, [&]<typename To>() {
      const int64_t n = run.shape[0], block = 128, padded = cdiv(n, block) * block;
      const DType from = run.dtype;
      // In range of both types, with fractions for floats, and zeros among them for
      // the casts to Bool.
      double lo = -100, hi = 100;
      if (from == DType::I1 || to == DType::I1)
        lo = -2, hi = 3;
      Buffer x = run.input(padded, lo, hi);
      if (from == DType::F64 && dtype_is_float(to) && n >= 2) {
        // Just above a halfway point of the narrow type: f64 -> f32 -> narrow would
        // round twice and land on the even neighbour below.
        const double half = std::ldexp(1.0, to == DType::BF16 ? -8 : to == DType::F16 ? -11 : -24);
        kernels::write_element(x, 0, 1 + half + std::ldexp(1.0, -40));
        kernels::write_element(x, 1, -(3 + 2 * half + std::ldexp(1.0, -40)));
        run.rehash(x);
      }
      Buffer out = run.output(to, n);
      auto k = run.compile("cast", &cast_kernel<From, To>, CastCfg{static_cast<int>(block)});
      run.launch(*k, Grid(cdiv(n, block)), x, out, n);
      std::vector<double> ref(n), bnd(n);
      for (int64_t i = 0; i < n; ++i) {
        const double v = kernels::read_element(x, i);
        if (to == DType::I1)
          ref[i] = v != 0;
        else if (!dtype_is_float(to))
          ref[i] = std::trunc(v);
        else
          ref[i] = v;
        // f16 <-> bf16 goes through f32: still one rounding, as f32 holds both exactly.
        bnd[i] = dtype_is_float(to) ? half_ulp(ref[i], to) : 0;
      }
      run.expect(out, ref, bnd);
    });
  });
}

// --- where and masks --------------------------------------------------------------------
enum class WhereForm { Tiles, Number, FloatMask, MaskLogic };
struct WhereCfg {
  WhereForm form;
  int block;
};

template <NumericDType T> void where_kernel(Ptr<T> x, Ptr<T> y, Ptr<T> out, Int n, WhereCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto a = load(x + offs, in, 0.0), b = load(y + offs, in, 0.0);
  Tile<T> r;
  switch (cfg.form) {
  case WhereForm::Tiles: r = where(a > b, a, b); break;
  case WhereForm::Number: r = where(a > b, a, 0.5); break;
  case WhereForm::FloatMask: {
    // A mask from float compares, joined with the bounds mask.
    auto m = a >= 0.0 && in;
    r = where(m, a * 2.0, b);
    break;
  }
  case WhereForm::MaskLogic: {
    auto p = a > 0.0, q = b > 0.0;
    r = where((p && !q) || (!p && q), a, b); // exclusive or of two masks
    break;
  }
  }
  store(out + offs, r, in);
}

void run_where(Run &run, WhereForm form) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    Buffer x = run.input(n, -4, 4), y = run.input(n, -4, 4);
    Buffer out = run.output(n);
    const WhereCfg cfg{form, 128};
    auto k = run.compile("where", &where_kernel<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, y, out, n);
    const bool fl = dtype_is_float(run.dtype);
    std::vector<double> ref(n);
    for (int64_t i = 0; i < n; ++i) {
      const double a = kernels::read_element(x, i), b = kernels::read_element(y, i);
      switch (form) {
      case WhereForm::Tiles: ref[i] = a > b ? a : b; break;
      case WhereForm::Number: ref[i] = a > b ? a : (fl ? 0.5 : 0.0); break;
      case WhereForm::FloatMask: ref[i] = a >= 0 ? a * 2 : b; break;
      case WhereForm::MaskLogic: ref[i] = (a > 0) != (b > 0) ? a : b; break;
      }
    }
    run.expect_exact(out, ref);
  });
}

const std::vector<DType> kFloats = {DType::F32, DType::F16, DType::BF16, DType::F64};
const std::vector<DType> kNumeric = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I8, DType::I32, DType::I64};
const std::vector<DType> kScalar = {DType::F32, DType::F16, DType::BF16, DType::F64,
                                    DType::I1,  DType::I8,  DType::I32,  DType::I64};

} // namespace

void add_math_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> flat = {{1000}, {1}};
  for (const FnInfo &info : kFns)
    cases.push_back({std::string("math.") + info.name, "math functions", info.ints ? kNumeric : kFloats, flat,
                     [&info](Run &r) { run_unary(r, info); }});
  for (DType to : kScalar)
    cases.push_back({std::string("cast.to_") + std::string(dtype_name(to)), "casts", kScalar, flat,
                     [to](Run &r) { run_cast(r, to); }});
  const std::pair<WhereForm, const char *> forms[] = {{WhereForm::Tiles, "where.tiles"},
                                                      {WhereForm::Number, "where.number"},
                                                      {WhereForm::FloatMask, "where.float_compare_mask"},
                                                      {WhereForm::MaskLogic, "where.mask_logic"}};
  for (auto [form, name] : forms)
    cases.push_back({name, "comparisons and where", kNumeric, flat, [form](Run &r) { run_where(r, form); }});
}

} // namespace tegula::conformance
