// Conformance cases: reductions (sum, max, min, argmax, argmin, a traced combiner) and
// scans (cumsum, cummax, cummin, forward and reverse) along each axis of a 2-D tile and
// of a 1-D tile to a scalar. A block spans the whole reduced dimension (padded to a
// power of two, the padding loaded as the operation's neutral value).
#include "harness.h"

#include <limits>

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

enum class Red { Sum, Max, Min, ArgMax, ArgMin, CombineMax, CombineSum };
const std::pair<Red, const char *> kReds[] = {{Red::Sum, "sum"},       {Red::Max, "max"},
                                              {Red::Min, "min"},       {Red::ArgMax, "argmax"},
                                              {Red::ArgMin, "argmin"}, {Red::CombineMax, "combiner_max"},
                                              {Red::CombineSum, "combiner_sum"}};

template <NumericDType T> double lowest() {
  if constexpr (FloatDType<T>)
    return -std::numeric_limits<double>::infinity();
  else if constexpr (std::is_same_v<T, i8>)
    return -128;
  else if constexpr (std::is_same_v<T, i32>)
    return -2147483648.0;
  else
    return -9223372036854775808.0;
}
template <NumericDType T> double highest() {
  if constexpr (FloatDType<T>)
    return std::numeric_limits<double>::infinity();
  else if constexpr (std::is_same_v<T, i8>)
    return 127;
  else if constexpr (std::is_same_v<T, i32>)
    return 2147483647.0;
  else
    return 9.2e18; // below 2^63, so the conversion to i64 is exact; above every input
}

template <NumericDType T> double neutral(Red r) {
  switch (r) {
  case Red::Max:
  case Red::ArgMax:
  case Red::CombineMax: return lowest<T>();
  case Red::Min:
  case Red::ArgMin: return highest<T>();
  default: return 0;
  }
}

/// Reduced values are stored in T, indices in i32 (through a second output).
template <NumericDType T> void reduce_into(Red r, const Tile<T> &t, int axis, Tile<T> &value, Tile<i32> &index) {
  switch (r) {
  case Red::Sum: value = sum(t, axis); break;
  case Red::Max: value = max(t, axis); break;
  case Red::Min: value = min(t, axis); break;
  case Red::ArgMax: index = argmax(t, axis); break;
  case Red::ArgMin: index = argmin(t, axis); break;
  case Red::CombineMax: value = reduce(t, axis, [](auto a, auto b) { return maximum(a, b); }); break;
  case Red::CombineSum: value = reduce(t, axis, [](auto a, auto b) { return a + b; }); break;
  }
}

bool is_arg(Red r) { return r == Red::ArgMax || r == Red::ArgMin; }

struct ReduceCfg {
  Red red;
  int axis; ///< 0, 1, or -1 for a 1-D tile to a scalar
  int BM, BN;
};

template <NumericDType T> void reduce_kernel(Ptr<T> x, Ptr<T> out, Ptr<i32> idx, Int M, Int N, ReduceCfg cfg) {
  const double pad = neutral<T>(cfg.red);
  Tile<T> value;
  Tile<i32> index;
  if (cfg.axis < 0) {
    auto offs = arange(cfg.BN);
    auto t = load(x + offs, offs < N, pad);
    reduce_into(cfg.red, t, 0, value, index);
    if (is_arg(cfg.red))
      store(idx, index);
    else
      store(out, value);
    return;
  }
  auto rows = (cfg.axis == 1 ? program_id(0) * cfg.BM : Int(0)) + arange(cfg.BM);
  auto cols = (cfg.axis == 0 ? program_id(0) * cfg.BN : Int(0)) + arange(cfg.BN);
  auto t = load(x + rows.col() * N + cols.row(), rows.col() < M && cols.row() < N, pad);
  reduce_into(cfg.red, t, cfg.axis, value, index);
  auto at = cfg.axis == 1 ? rows : cols;
  auto in = at < (cfg.axis == 1 ? M : N);
  if (is_arg(cfg.red))
    store(idx + at, index, in);
  else
    store(out + at, value, in);
}

void run_reduce(Run &run, Red red, int axis) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t M = axis < 0 ? 1 : run.shape[0], N = axis < 0 ? run.shape[0] : run.shape[1];
    const bool fl = dtype_is_float(run.dtype);
    Buffer x = fl ? run.input(M * N, -4, 4) : run.input(M * N, -100, 100);
    const int64_t count = axis == 1 ? M : axis == 0 ? N : 1;
    Buffer out = run.output(count), idx = run.output(DType::I32, count);
    ReduceCfg cfg{red, axis, 8, 16};
    if (axis == 1)
      cfg.BN = static_cast<int>(next_pow2(N));
    else if (axis == 0)
      cfg.BM = static_cast<int>(next_pow2(M));
    else
      cfg.BN = static_cast<int>(next_pow2(N));
    auto k = run.compile("reduce", &reduce_kernel<T>, cfg);
    const int64_t blocks = axis == 1 ? cdiv(M, cfg.BM) : axis == 0 ? cdiv(N, cfg.BN) : 1;
    run.launch(*k, Grid(blocks), x, out, idx, M, N);
    std::vector<double> ref(count), bnd(count);
    const int64_t len = axis == 1 || axis < 0 ? N : M;
    for (int64_t o = 0; o < count; ++o) {
      auto at = [&](int64_t j) {
        return kernels::read_element(x, axis == 0 ? j * N + o : o * N + j);
      };
      double acc = at(0), mag = std::fabs(at(0));
      int64_t best = 0;
      for (int64_t j = 1; j < len; ++j) {
        const double v = at(j);
        mag += std::fabs(v);
        if (red == Red::Sum || red == Red::CombineSum)
          acc += v;
        else if (red == Red::Max || red == Red::CombineMax || red == Red::ArgMax) {
          if (v > acc)
            acc = v, best = j;
        } else if (v < acc)
          acc = v, best = j;
      }
      if (!fl)
        acc = wrap_int(acc, run.dtype);
      ref[o] = is_arg(red) ? static_cast<double>(best) : acc;
      const bool summed = red == Red::Sum || red == Red::CombineSum;
      bnd[o] = fl && summed ? 2 * len * kernels::unit_roundoff(run.dtype) * mag + rounding_bound(acc, run.dtype) : 0;
    }
    if (is_arg(red))
      run.expect_exact(idx, ref);
    else
      run.expect(out, ref, bnd);
  });
}

// --- scans ------------------------------------------------------------------------------
enum class ScanKind { Sum, Max, Min };
struct ScanCfg {
  ScanKind kind;
  int axis;
  bool reverse;
  int BM, BN;
};

template <NumericDType T> void scan_kernel(Ptr<T> x, Ptr<T> out, Int M, Int N, ScanCfg cfg) {
  const double pad = cfg.kind == ScanKind::Max ? lowest<T>() : cfg.kind == ScanKind::Min ? highest<T>() : 0.0;
  auto rows = (cfg.axis == 1 ? program_id(0) * cfg.BM : Int(0)) + arange(cfg.BM);
  auto cols = (cfg.axis == 0 ? program_id(0) * cfg.BN : Int(0)) + arange(cfg.BN);
  auto in = rows.col() < M && cols.row() < N;
  auto t = load(x + rows.col() * N + cols.row(), in, pad);
  Tile<T> s = cfg.kind == ScanKind::Sum   ? cumsum(t, cfg.axis, cfg.reverse)
              : cfg.kind == ScanKind::Max ? cummax(t, cfg.axis, cfg.reverse)
                                          : cummin(t, cfg.axis, cfg.reverse);
  store(out + rows.col() * N + cols.row(), s, in);
}

void run_scan(Run &run, ScanKind kind, int axis, bool reverse) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t M = run.shape[0], N = run.shape[1];
    const bool fl = dtype_is_float(run.dtype);
    Buffer x = fl ? run.input(M * N, -4, 4) : run.input(M * N, -100, 100);
    Buffer out = run.output(M * N);
    ScanCfg cfg{kind, axis, reverse, 8, 16};
    if (axis == 1)
      cfg.BN = static_cast<int>(next_pow2(N));
    else
      cfg.BM = static_cast<int>(next_pow2(M));
    auto k = run.compile("scan", &scan_kernel<T>, cfg);
    run.launch(*k, Grid(axis == 1 ? cdiv(M, cfg.BM) : cdiv(N, cfg.BN)), x, out, M, N);
    std::vector<double> ref(M * N), bnd(M * N);
    const int64_t lines = axis == 1 ? M : N, len = axis == 1 ? N : M;
    for (int64_t l = 0; l < lines; ++l) {
      double acc = 0, mag = 0;
      for (int64_t s = 0; s < len; ++s) {
        const int64_t j = reverse ? len - 1 - s : s;
        const int64_t e = axis == 1 ? l * N + j : j * N + l;
        const double v = kernels::read_element(x, e);
        if (s == 0)
          acc = v;
        else if (kind == ScanKind::Sum)
          acc += v;
        else if (kind == ScanKind::Max)
          acc = std::max(acc, v);
        else
          acc = std::min(acc, v);
        if (!fl)
          acc = wrap_int(acc, run.dtype);
        mag += std::fabs(v);
        ref[e] = acc;
        bnd[e] = fl && kind == ScanKind::Sum
                     ? 2 * (s + 1) * kernels::unit_roundoff(run.dtype) * mag + rounding_bound(acc, run.dtype)
                     : 0;
      }
    }
    run.expect(out, ref, bnd);
  });
}

const std::vector<DType> kNumeric = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I8, DType::I32, DType::I64};

} // namespace

void add_reduction_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> plane = {{37, 45}, {1, 1}}, flat = {{45}, {1}};
  for (auto [red, name] : kReds) {
    const std::string construct = red == Red::CombineMax || red == Red::CombineSum ? "reduce with a combiner" : "reductions";
    for (int axis : {0, 1})
      cases.push_back({std::string("reduce.") + name + ".axis" + std::to_string(axis), construct, kNumeric, plane,
                       [red, axis](Run &r) { run_reduce(r, red, axis); }});
    cases.push_back({std::string("reduce.") + name + ".scalar", construct, kNumeric, flat,
                     [red](Run &r) { run_reduce(r, red, -1); }});
  }
  const std::pair<ScanKind, const char *> scans[] = {
      {ScanKind::Sum, "cumsum"}, {ScanKind::Max, "cummax"}, {ScanKind::Min, "cummin"}};
  for (auto [kind, name] : scans)
    for (int axis : {0, 1})
      for (bool reverse : {false, true})
        cases.push_back({std::string("scan.") + name + ".axis" + std::to_string(axis) + (reverse ? ".reverse" : ""),
                         "scans", kNumeric, plane,
                         [kind, axis, reverse](Run &r) { run_scan(r, kind, axis, reverse); }});
}

} // namespace tegula::conformance
