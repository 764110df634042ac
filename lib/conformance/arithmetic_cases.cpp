// Conformance cases: arithmetic, integer division and remainder, bitwise operators and
// shifts, comparisons, compound assignment, minimum/maximum with numbers, in-kernel
// cdiv, and every binary operator with a row or column broadcast on either side.
#include "harness.h"

#include <cstring>

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

enum class Op { Add, Sub, Mul, Div, Rem, Min, Max, And, Or, Xor, Shl, Shr, ShrLogical };
/// Where the operands come from: two tiles, a tile and a C++ number, a number and a
/// tile; for 2-D kernels, a row or column vector on the left or the right.
enum class Form { Tiles, TileNumber, NumberTile, RowLeft, RowRight, ColLeft, ColRight };

struct OpInfo {
  Op op;
  const char *name;
  bool floats, ints, number_left;
};
const OpInfo kOps[] = {
    {Op::Add, "add", true, true, true},   {Op::Sub, "sub", true, true, true},  {Op::Mul, "mul", true, true, true},
    {Op::Div, "div", true, true, true},   {Op::Rem, "rem", false, true, false}, {Op::Min, "minimum", true, true, true},
    {Op::Max, "maximum", true, true, true}, {Op::And, "and", false, true, false}, {Op::Or, "or", false, true, false},
    {Op::Xor, "xor", false, true, false}, {Op::Shl, "shl", false, true, false}, {Op::Shr, "shr", false, true, false},
    {Op::ShrLogical, "shr_logical", false, true, false},
};

/// The C++ number the number forms use: exact in every dtype, and a small shift count.
double number_for(Op op, DType d) {
  if (op == Op::Shl || op == Op::Shr || op == Op::ShrLogical)
    return 3;
  if (op == Op::Div || op == Op::Rem)
    return dtype_is_float(d) ? 0.75 : 7;
  return dtype_is_float(d) ? 0.75 : 5;
}

/// `a op b` with tiles or C++ numbers (written as a user writes them: a number stays a
/// literal; a bitwise operator takes it as an integer). A number is allowed on the left
/// of + - * / minimum maximum only.
template <NumericDType T, typename A, typename B> Tile<T> apply(Op op, const A &a, const B &b) {
  switch (op) {
  case Op::Add: return a + b;
  case Op::Sub: return a - b;
  case Op::Mul: return a * b;
  case Op::Div: return a / b;
  case Op::Min: return minimum(a, b);
  case Op::Max: return maximum(a, b);
  default: break;
  }
  if constexpr (IntDType<T> && !std::is_same_v<A, double>) {
    const auto n = [&] {
      if constexpr (std::is_same_v<B, double>)
        return static_cast<long long>(b);
      else
        return b;
    }();
    switch (op) {
    case Op::Rem: return a % b;
    case Op::And: return a & n;
    case Op::Or: return a | n;
    case Op::Xor: return a ^ n;
    case Op::Shl: return a << n;
    case Op::Shr: return a >> n;
    case Op::ShrLogical: return shr_logical(a, n);
    default: break;
    }
  }
  throw Error(ErrorCode::InvalidArgument, "operator not defined for these operands");
}

double reference(Op op, double a, double b, DType d) {
  if (dtype_is_float(d)) {
    switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return a / b;
    case Op::Min: return std::fmin(a, b);
    case Op::Max: return std::fmax(a, b);
    default: return NAN;
    }
  }
  // Integers wrap at the dtype's width (two's complement), computed in uint64.
  const int64_t x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
  const uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  int64_t r = 0;
  switch (op) {
  case Op::Add: r = static_cast<int64_t>(ux + uy); break;
  case Op::Sub: r = static_cast<int64_t>(ux - uy); break;
  case Op::Mul: r = static_cast<int64_t>(ux * uy); break;
  case Op::Div: r = x / y; break;
  case Op::Rem: r = x % y; break;
  case Op::Min: r = std::min(x, y); break;
  case Op::Max: r = std::max(x, y); break;
  case Op::And: r = x & y; break;
  case Op::Or: r = x | y; break;
  case Op::Xor: r = x ^ y; break;
  case Op::Shl: r = static_cast<int64_t>(ux << y); break;
  case Op::Shr: r = x >> y; break;
  case Op::ShrLogical: {
    const int bits = static_cast<int>(dtype_size(d)) * 8;
    const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    r = static_cast<int64_t>((ux & mask) >> y);
    break;
  }
  }
  return wrap_int(static_cast<long double>(r), d);
}

int width_bits(DType d) { return static_cast<int>(dtype_size(d)) * 8; }

/// Operand values that keep each operator defined: divisors away from zero (never -1
/// with the smallest integer), shift counts below the width; integers over their whole
/// range so that + - * wrap.
void draw_operands(Run &run, Op op, Buffer &x, Buffer &y, int64_t n) {
  const DType d = run.dtype;
  if (dtype_is_float(d)) {
    x = run.input(n, -4, 4);
    y = op == Op::Div ? run.input(n, 0.25, 4) : run.input(n, -4, 4);
    if (op == Op::Div)
      for (int64_t i = 0; i < n; i += 2)
        kernels::write_element(y, i, -kernels::read_element(y, i));
  } else {
    const double lo = d == DType::I8 ? -128 : d == DType::I32 ? -2147483648.0 : -4.6e18;
    x = run.input(n, lo, -lo);
    if (op == Op::Shl || op == Op::Shr || op == Op::ShrLogical)
      y = run.input(n, 0, width_bits(d));
    else if (op == Op::Div || op == Op::Rem)
      y = run.input(n, 2, d == DType::I8 ? 100 : 100000);
    else
      y = run.input(n, lo, -lo);
    if (op == Op::Div || op == Op::Rem)
      for (int64_t i = 0; i < n; i += 2)
        kernels::write_element(y, i, -kernels::read_element(y, i));
  }
  if (op == Op::Div || op == Op::Rem)
    run.rehash(y);
}

struct Binary1D {
  Op op;
  Form form;
  double number;
  int block;
};

template <NumericDType T> void binary_1d(Ptr<T> x, Ptr<T> y, Ptr<T> out, Int n, Binary1D cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  // Masked-off lanes hold 1, so a division there stays defined.
  auto a = load(x + offs, in, 1.0);
  auto b = load(y + offs, in, 1.0);
  Tile<T> r = cfg.form == Form::Tiles        ? apply<T>(cfg.op, a, b)
              : cfg.form == Form::TileNumber ? apply<T>(cfg.op, a, cfg.number)
                                             : apply<T>(cfg.op, cfg.number, b);
  store(out + offs, r, in);
}

void run_binary_1d(Run &run, Op op, Form form) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    Buffer x(run.dtype, 1), y(run.dtype, 1);
    draw_operands(run, op, x, y, n);
    Buffer out = run.output(n);
    const Binary1D cfg{op, form, number_for(op, run.dtype), 128};
    auto k = run.compile("binary_1d", &binary_1d<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, y, out, n);
    std::vector<double> ref, bound;
    elementwise(
        n,
        [&](int64_t i) {
          double a = kernels::read_element(x, i), b = kernels::read_element(y, i);
          if (form == Form::TileNumber)
            b = cfg.number;
          if (form == Form::NumberTile)
            a = cfg.number;
          return reference(op, a, b, run.dtype);
        },
        [&](int64_t, double r) { return 2 * rounding_bound(r, run.dtype); }, ref, bound);
    run.expect(out, ref, bound);
  });
}

struct Binary2D {
  Op op;
  Form form;
  int BM, BN;
};

/// One block of x[M, N] and of a vector v laid along it: v[N] as a row ([1, BN]) or
/// v[M] as a column ([BM, 1]); masked-off lanes read `other`.
template <NumericDType T> struct Plane {
  Tile<i32> rows, cols;
  Bool in;
  Tile<T> x, v;
  Plane(Ptr<T> xp, Ptr<T> vp, Int M, Int N, int BM, int BN, bool by_row, double other)
      : rows(program_id(0) * BM + arange(BM)), cols(program_id(1) * BN + arange(BN)),
        in(rows.col() < M && cols.row() < N) {
    x = load(xp + rows.col() * N + cols.row(), in, other);
    v = by_row ? load(vp + cols, cols < N, other).row() : load(vp + rows, rows < M, other).col();
  }
  template <ScalarDType R> void store_to(Ptr<R> out, Int N, const Tile<R> &value) {
    store(out + rows.col() * N + cols.row(), value, in);
  }
};

bool on_left(Form f) { return f == Form::RowLeft || f == Form::ColLeft; }
bool by_row(Form f) { return f == Form::RowLeft || f == Form::RowRight; }

/// x[M,N] op v, with v a row vector [N] or a column vector [M] broadcast from either side.
template <NumericDType T> void binary_2d(Ptr<T> x, Ptr<T> v, Ptr<T> out, Int M, Int N, Binary2D cfg) {
  Plane<T> p(x, v, M, N, cfg.BM, cfg.BN, by_row(cfg.form), 1.0);
  p.store_to(out, N, on_left(cfg.form) ? apply<T>(cfg.op, p.v, p.x) : apply<T>(cfg.op, p.x, p.v));
}

void run_binary_2d(Run &run, Op op, Form form) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t M = run.shape[0], N = run.shape[1];
    const bool row = by_row(form), left = on_left(form);
    Buffer x(run.dtype, 1), v(run.dtype, 1);
    // The divisor side gets the divisor's values.
    if (left) {
      draw_operands(run, op, v, x, M * N);
    } else {
      draw_operands(run, op, x, v, M * N);
    }
    Buffer out = run.output(M * N);
    const Binary2D cfg{op, form, 16, 32};
    auto k = run.compile("binary_2d", &binary_2d<T>, cfg);
    run.launch(*k, Grid(cdiv(M, cfg.BM), cdiv(N, cfg.BN)), x, v, out, M, N);
    std::vector<double> ref, bound;
    elementwise(
        M * N,
        [&](int64_t i) {
          double a = kernels::read_element(x, i), w = kernels::read_element(v, row ? i % N : i / N);
          return left ? reference(op, w, a, run.dtype) : reference(op, a, w, run.dtype);
        },
        [&](int64_t, double r) { return 2 * rounding_bound(r, run.dtype); }, ref, bound);
    run.expect(out, ref, bound);
  });
}

enum class Cmp { Lt, Le, Gt, Ge, Eq, Ne };
const std::pair<Cmp, const char *> kCmps[] = {{Cmp::Lt, "lt"}, {Cmp::Le, "le"}, {Cmp::Gt, "gt"},
                                              {Cmp::Ge, "ge"}, {Cmp::Eq, "eq"}, {Cmp::Ne, "ne"}};

/// `a <cmp> b`: traced on tiles (a Bool), and on doubles for the references (a bool).
template <typename A, typename B> auto compare(Cmp c, const A &a, const B &b) -> decltype(a < b) {
  switch (c) {
  case Cmp::Lt: return a < b;
  case Cmp::Le: return a <= b;
  case Cmp::Gt: return a > b;
  case Cmp::Ge: return a >= b;
  case Cmp::Eq: return a == b;
  case Cmp::Ne: return a != b;
  }
  return a < b;
}

struct CompareCfg {
  Cmp cmp;
  bool with_number;
  int block;
};

/// The comparison's mask as 0/1 in i32, and as the selector of a where.
template <NumericDType T> void compare_kernel(Ptr<T> x, Ptr<T> y, Ptr<i32> out, Ptr<T> picked, Int n, CompareCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto a = load(x + offs, in, 0.0), b = load(y + offs, in, 0.0);
  Bool m = cfg.with_number ? compare(cfg.cmp, a, 0.5) : compare(cfg.cmp, a, b);
  store(out + offs, cast<i32>(m), in);
  store(picked + offs, where(m, a, b), in);
}

void run_compare(Run &run, Cmp cmp, bool with_number) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    // Values on a coarse grid, and every third y equal to x, so that == and the
    // boundary of <= are hit; 0.5 (the number) is on the float grid.
    Buffer x = run.input(n, -8, 8), y = run.input(n, -8, 8);
    for (int64_t i = 0; i < n; ++i) {
      double a = std::floor(kernels::read_element(x, i) * 2) / 2;
      kernels::write_element(x, i, a);
      kernels::write_element(y, i, i % 3 == 0 ? a : std::floor(kernels::read_element(y, i) * 2) / 2);
    }
    run.rehash(x);
    run.rehash(y);
    Buffer out = run.output(DType::I32, n), picked = run.output(n);
    const CompareCfg cfg{cmp, with_number, 128};
    auto k = run.compile("compare", &compare_kernel<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, y, out, picked, n);
    std::vector<double> ref(n), pick(n);
    for (int64_t i = 0; i < n; ++i) {
      double a = kernels::read_element(x, i), b = kernels::read_element(y, i);
      const double rhs = with_number ? (dtype_is_float(run.dtype) ? 0.5 : 0.0) : b;
      ref[i] = compare(cmp, a, rhs);
      pick[i] = ref[i] ? a : b;
    }
    run.expect_exact(out, ref);
    run.expect_exact(picked, pick);
  });
}

struct Compare2D {
  Cmp cmp;
  Form form;
  int BM, BN;
};

/// x[M,N] <cmp> v with v a row or column vector on either side, as 0/1 in i32.
template <NumericDType T> void compare_2d(Ptr<T> x, Ptr<T> v, Ptr<i32> out, Int M, Int N, Compare2D cfg) {
  Plane<T> p(x, v, M, N, cfg.BM, cfg.BN, by_row(cfg.form), 0.0);
  Bool m = on_left(cfg.form) ? compare(cfg.cmp, p.v, p.x) : compare(cfg.cmp, p.x, p.v);
  p.store_to(out, N, cast<i32>(m));
}

void run_compare_2d(Run &run, Cmp cmp, Form form) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t M = run.shape[0], N = run.shape[1];
    const bool row = by_row(form), left = on_left(form);
    // Few distinct values, so that equal pairs occur.
    Buffer x = run.input(M * N, -3, 3), v = run.input(std::max(M, N), -3, 3);
    for (Buffer *b : {&x, &v}) {
      for (size_t i = 0; i < b->count(); ++i)
        kernels::write_element(*b, i, std::floor(kernels::read_element(*b, i)));
      run.rehash(*b);
    }
    Buffer out = run.output(DType::I32, M * N);
    const Compare2D cfg{cmp, form, 16, 32};
    auto k = run.compile("compare_2d", &compare_2d<T>, cfg);
    run.launch(*k, Grid(cdiv(M, cfg.BM), cdiv(N, cfg.BN)), x, v, out, M, N);
    std::vector<double> ref(M * N);
    for (int64_t i = 0; i < M * N; ++i) {
      const double a = kernels::read_element(x, i), w = kernels::read_element(v, row ? i % N : i / N);
      ref[i] = left ? compare(cmp, w, a) : compare(cmp, a, w);
    }
    run.expect_exact(out, ref);
  });
}

/// Compound assignment and in-kernel cdiv: acc starts at x and goes through every
/// operator; the block count comes from cdiv(n, block) inside the kernel.
struct CompoundCfg {
  int block;
};
template <NumericDType T> void compound_kernel(Ptr<T> x, Ptr<T> y, Ptr<T> out, Ptr<i32> blocks, Int n, CompoundCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto acc = load(x + offs, in, 1.0);
  auto b = load(y + offs, in, 1.0);
  acc += b;
  acc *= 2.0;
  acc -= b;
  acc /= b;
  acc += 1.0;
  store(out + offs, acc, in);
  when(program_id(0) == 0, [&] { store(blocks, cdiv(n, cfg.block)); });
}

void run_compound(Run &run) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    const bool fl = dtype_is_float(run.dtype);
    Buffer x = fl ? run.input(n, -4, 4) : run.input(n, -50, 50);
    Buffer y = fl ? run.input(n, 0.5, 2) : run.input(n, 1, 10);
    Buffer out = run.output(n), blocks = run.output(DType::I32, 1);
    const CompoundCfg cfg{128};
    auto k = run.compile("compound", &compound_kernel<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, y, out, blocks, n);
    std::vector<double> ref(n), bound(n);
    const double u = fl ? kernels::unit_roundoff(run.dtype) : 0;
    for (int64_t i = 0; i < n; ++i) {
      const double a = kernels::read_element(x, i), b = kernels::read_element(y, i);
      double r;
      if (fl) {
        r = ((a + b) * 2 - b) / b + 1;
        // Four roundings of |a|+|b| scaled values, then a division by b >= 0.5.
        bound[i] = 8 * u * ((std::fabs(a) + 2 * std::fabs(b)) / std::fabs(b) + 1) + rounding_bound(r, run.dtype);
      } else {
        double s = wrap_int((a + b) * 2 - b, run.dtype);
        r = wrap_int(std::trunc(s / b) + 1, run.dtype);
        bound[i] = 0;
      }
      ref[i] = r;
    }
    run.expect(out, ref, bound);
    run.expect_exact(blocks, {static_cast<double>(cdiv(n, cfg.block))});
  });
}

const std::vector<DType> kFloats = {DType::F32, DType::F16, DType::BF16, DType::F64};
const std::vector<DType> kInts = {DType::I8, DType::I32, DType::I64};

std::vector<DType> dtypes_of(const OpInfo &info) {
  std::vector<DType> out;
  if (info.floats)
    out.insert(out.end(), kFloats.begin(), kFloats.end());
  if (info.ints)
    out.insert(out.end(), kInts.begin(), kInts.end());
  return out;
}

} // namespace

void add_arithmetic_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> flat = {{1000}, {1}}, plane = {{37, 45}, {1, 1}};
  for (const OpInfo &info : kOps) {
    const std::string name = info.name;
    const Op op = info.op;
    const bool bitwise =
        op == Op::And || op == Op::Or || op == Op::Xor || op == Op::Shl || op == Op::Shr || op == Op::ShrLogical;
    const std::string construct = bitwise ? "bitwise and shifts" : op == Op::Rem || op == Op::Div ? "division" : "arithmetic";
    cases.push_back({"arith." + name, construct, dtypes_of(info), flat,
                     [op](Run &r) { run_binary_1d(r, op, Form::Tiles); }});
    cases.push_back({"arith." + name + "_number", construct, dtypes_of(info), flat,
                     [op](Run &r) { run_binary_1d(r, op, Form::TileNumber); }});
    if (info.number_left)
      cases.push_back({"arith.number_" + name, construct, dtypes_of(info), flat,
                       [op](Run &r) { run_binary_1d(r, op, Form::NumberTile); }});
    const std::pair<Form, const char *> forms[] = {
        {Form::RowLeft, "row_left"}, {Form::RowRight, "row_right"}, {Form::ColLeft, "col_left"}, {Form::ColRight, "col_right"}};
    for (auto [form, form_name] : forms)
      cases.push_back({"broadcast." + name + "." + form_name, "broadcasting", dtypes_of(info), plane,
                       [op, form](Run &r) { run_binary_2d(r, op, form); }});
  }
  std::vector<DType> numeric = kFloats;
  numeric.insert(numeric.end(), kInts.begin(), kInts.end());
  for (auto [cmp, cmp_name] : kCmps) {
    cases.push_back({std::string("compare.") + cmp_name, "comparisons and where", numeric, flat,
                     [cmp](Run &r) { run_compare(r, cmp, false); }});
    cases.push_back({std::string("compare.") + cmp_name + "_number", "comparisons and where", numeric, flat,
                     [cmp](Run &r) { run_compare(r, cmp, true); }});
    for (auto [form, form_name] : {std::pair{Form::RowLeft, "row_left"}, std::pair{Form::RowRight, "row_right"},
                                   std::pair{Form::ColLeft, "col_left"}, std::pair{Form::ColRight, "col_right"}})
      cases.push_back({std::string("broadcast.") + cmp_name + "." + form_name, "broadcasting", numeric,
                       {{37, 45}, {1, 1}}, [cmp, form](Run &r) { run_compare_2d(r, cmp, form); }});
  }
  cases.push_back({"arith.compound_assign_cdiv", "arithmetic", numeric, flat, run_compound});
}

} // namespace tegula::conformance
