// Each kernel-language operation executed on the CPU and compared with a host
// computation on random inputs: reductions, scans, shape ops, gather, atomics, math,
// casts, where, integer dot.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace tegula;
using namespace tegula::dsl;
using namespace tegula::kernels;
using tegula::testing::case_seed;

namespace {

constexpr int R = 8, C = 16;

// x is [M, C] row-major; each program reduces R rows.
void reduce_kernel(Ptr<f32> x, Ptr<f32> rsum, Ptr<f32> rmax, Ptr<f32> rmin, Ptr<i32> rarg, Ptr<f32> csum, Int M) {
  auto rows = program_id(0) * R + arange(R);
  auto cols = arange(C);
  auto ok = rows.col() < M;
  auto t = load(x + rows.col() * C + cols.row(), ok, 0.0);
  store(rsum + rows, sum(t, 1), rows < M);
  store(rmax + rows, max(t, 1), rows < M);
  store(rmin + rows, min(t, 1), rows < M);
  store(rarg + rows, argmax(t, 1), rows < M);
  // Column sums of this program's rows (axis 0), one row of csum per program.
  store(csum + program_id(0) * C + cols, sum(t, 0));
}

void scan_kernel(Ptr<f32> x, Ptr<f32> fwd, Ptr<f32> rev, Ptr<i32> imax, Int M) {
  auto rows = program_id(0) * R + arange(R);
  auto cols = arange(C);
  auto ok = rows.col() < M;
  auto offs = rows.col() * C + cols.row();
  auto t = load(x + offs, ok, 0.0);
  store(fwd + offs, cumsum(t, 1), ok);
  store(rev + offs, cumsum(t, 1, /*reverse=*/true), ok);
  store(imax + offs, cummax(cast<i32>(t * 100.0), 1), ok);
}

void shape_kernel(Ptr<f32> x, Ptr<f32> transposed, Ptr<f32> reshaped, Ptr<f32> bcast) {
  auto rows = arange(R);
  auto cols = arange(C);
  auto t = load(x + rows.col() * C + cols.row()); // [R, C]
  auto tt = trans(t);                              // [C, R]
  store(transposed + cols.col() * R + rows.row(), tt);
  auto flat = reshape(t, {R * C});
  store(reshaped + arange(R * C), flat);
  auto first_col = expand_dims(sum(t, 1), 1);          // [R, 1]
  auto wide = broadcast_to(first_col, {R, C});         // [R, C]
  store(bcast + rows.col() * C + cols.row(), wide);
}

void gather_kernel(Ptr<f32> table, Ptr<i32> idx, Ptr<f32> out, Int n, Int table_size) {
  auto i = program_id(0) * 64 + arange(64);
  auto ok = i < n;
  auto j = load(idx + i, ok, 0.0);
  auto valid = ok && j >= 0 && j < table_size;
  store(out + i, gather(table, j, valid, -7.0), ok);
}

void atomics_kernel(Ptr<i32> bins, Ptr<i32> values, Ptr<f32> fmax_slot, Ptr<f32> fvals, Ptr<i32> cas_slots, Int n,
                    Int nbins) {
  auto i = program_id(0) * 64 + arange(64);
  auto ok = i < n;
  auto v = load(values + i, ok, 0.0);
  auto bin = v % nbins;
  atomic_add(bins + bin, full<i32>({64}, 1.0), ok);
  auto f = load(fvals + i, ok, 0.0);
  atomic_max(fmax_slot + zeros<i32>({64}), f, ok);
  // Each program swaps its own slot from 0 to pid+1 exactly once.
  auto slot = cas_slots + program_id(0);
  atomic_cas(slot, scalar<i32>(0), program_id(0) + 1);
}

void math_kernel(Ptr<f32> x, Ptr<f32> out, Int n) {
  auto i = program_id(0) * 128 + arange(128);
  auto ok = i < n;
  auto v = load(x + i, ok, 1.0);
  auto a = abs(v) + 0.25;
  store(out + 0 * n + i, exp(v), ok);
  store(out + 1 * n + i, log(a), ok);
  store(out + 2 * n + i, sqrt(a), ok);
  store(out + 3 * n + i, rsqrt(a), ok);
  store(out + 4 * n + i, sigmoid(v), ok);
  store(out + 5 * n + i, tanh(v), ok);
  store(out + 6 * n + i, erf(v), ok);
  store(out + 7 * n + i, sin(v), ok);
  store(out + 8 * n + i, cos(v), ok);
  store(out + 9 * n + i, exp2(v), ok);
  store(out + 10 * n + i, log2(a), ok);
  store(out + 11 * n + i, where(v > 0.0, v, -v * 2.0), ok);
  store(out + 12 * n + i, maximum(v, a - 1.0) + minimum(v, -a), ok);
  store(out + 13 * n + i, cast<f32>(cast<i32>(v * 10.0)), ok);
  store(out + 14 * n + i, cast<f32>(cast<bf16>(v)), ok);
}

void int8_dot_kernel(Ptr<i8> a, Ptr<i8> b, Ptr<i32> c) {
  auto r = arange(16);
  auto k = arange(32);
  auto ta = load(a + r.col() * 32 + k.row());
  auto tb = load(b + k.col() * 16 + r.row());
  store(c + r.col() * 16 + r.row(), dot(ta, tb, zeros<i32>({16, 16})));
}

template <typename Fn, typename... Meta>
std::shared_ptr<const CompiledKernel> build(const char *name, Fn fn, const Meta &...meta) {
  return compile_traced(trace(name, fn, {}, meta...), "cpu");
}

std::vector<float> random_floats(size_t n, uint64_t seed, double lo = -1, double hi = 1) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<float>(philox_uniform(seed, i, lo, hi));
  return v;
}

Buffer buffer_of(const std::vector<float> &v) {
  Buffer b(DType::F32, v.size());
  std::copy(v.begin(), v.end(), b.as<float>().begin());
  return b;
}

Buffer poisoned(DType dtype, size_t n) {
  Buffer b(dtype, n);
  b.fill_bytes(0xFF);
  return b;
}

} // namespace

TEST_CASE("reductions along each axis, with argmax", "[e2e][ops]") {
  const int64_t M = 21; // three programs, the last one partial
  uint64_t seed = case_seed("reduce");
  INFO("seed " << seed);
  auto xs = random_floats(M * C, seed);
  Buffer x = buffer_of(xs);
  Buffer rsum = poisoned(DType::F32, M), rmax = poisoned(DType::F32, M), rmin = poisoned(DType::F32, M),
         rarg = poisoned(DType::I32, M), csum = poisoned(DType::F32, 3 * C);
  build("reduce", &reduce_kernel)->launch(Grid(3), x, rsum, rmax, rmin, rarg, csum, M);
  for (int64_t i = 0; i < M; ++i) {
    auto row = xs.begin() + i * C;
    double s = std::accumulate(row, row + C, 0.0);
    CHECK(std::fabs(rsum.as<float>()[i] - s) <= 2 * C * 6e-8 * C);
    CHECK(rmax.as<float>()[i] == *std::max_element(row, row + C));
    CHECK(rmin.as<float>()[i] == *std::min_element(row, row + C));
    CHECK(rarg.as<int32_t>()[i] == std::max_element(row, row + C) - row);
  }
  for (int64_t p = 0; p < 3; ++p)
    for (int64_t c = 0; c < C; ++c) {
      double s = 0;
      for (int64_t r = p * R; r < std::min<int64_t>(M, (p + 1) * R); ++r)
        s += xs[r * C + c];
      CHECK(std::fabs(csum.as<float>()[p * C + c] - s) <= 2 * R * 6e-8 * R);
    }
}

TEST_CASE("inclusive scans forward and reversed", "[e2e][ops]") {
  const int64_t M = 13;
  uint64_t seed = case_seed("scan");
  INFO("seed " << seed);
  auto xs = random_floats(M * C, seed);
  Buffer x = buffer_of(xs);
  Buffer fwd = poisoned(DType::F32, M * C), rev = poisoned(DType::F32, M * C), imax = poisoned(DType::I32, M * C);
  build("scan", &scan_kernel)->launch(Grid(2), x, fwd, rev, imax, M);
  for (int64_t i = 0; i < M; ++i) {
    double run = 0;
    int32_t best = INT32_MIN;
    for (int64_t c = 0; c < C; ++c) {
      run += xs[i * C + c];
      best = std::max(best, static_cast<int32_t>(xs[i * C + c] * 100.0f));
      CHECK(std::fabs(fwd.as<float>()[i * C + c] - run) <= 4 * C * 6e-8);
      CHECK(imax.as<int32_t>()[i * C + c] == best);
    }
    double back = 0;
    for (int64_t c = C - 1; c >= 0; --c) {
      back += xs[i * C + c];
      CHECK(std::fabs(rev.as<float>()[i * C + c] - back) <= 4 * C * 6e-8);
    }
  }
}

TEST_CASE("trans, reshape, expand_dims and broadcast move elements exactly", "[e2e][ops]") {
  uint64_t seed = case_seed("shape");
  INFO("seed " << seed);
  auto xs = random_floats(R * C, seed);
  Buffer x = buffer_of(xs);
  Buffer t = poisoned(DType::F32, R * C), flat = poisoned(DType::F32, R * C), wide = poisoned(DType::F32, R * C);
  build("shape", &shape_kernel)->launch(Grid(1), x, t, flat, wide);
  for (int r = 0; r < R; ++r) {
    float rowSum = 0;
    for (int c = 0; c < C; ++c)
      rowSum += xs[r * C + c];
    for (int c = 0; c < C; ++c) {
      CHECK(t.as<float>()[c * R + r] == xs[r * C + c]);
      CHECK(flat.as<float>()[r * C + c] == xs[r * C + c]);
      CHECK(std::fabs(wide.as<float>()[r * C + c] - rowSum) <= 1e-5f);
    }
  }
}

TEST_CASE("gather reads irregular indices and masks the invalid ones", "[e2e][ops]") {
  const int64_t n = 150, tableSize = 37;
  uint64_t seed = case_seed("gather");
  INFO("seed " << seed);
  auto table = random_floats(tableSize, seed);
  Buffer tbl = buffer_of(table), idx(DType::I32, n), out = poisoned(DType::F32, n);
  for (int64_t i = 0; i < n; ++i) // some indices out of range on both sides
    idx.as<int32_t>()[i] = static_cast<int32_t>(std::floor(philox_uniform(seed + 1, i, -5, tableSize + 5)));
  build("gather", &gather_kernel)->launch(Grid(3), tbl, idx, out, n, tableSize);
  for (int64_t i = 0; i < n; ++i) {
    int32_t j = idx.as<int32_t>()[i];
    float expected = (j >= 0 && j < tableSize) ? table[j] : -7.0f;
    CHECK(out.as<float>()[i] == expected);
  }
}

TEST_CASE("atomics from many program instances", "[e2e][ops]") {
  const int64_t n = 1000, nbins = 7, programs = 16;
  uint64_t seed = case_seed("atomics");
  INFO("seed " << seed);
  Buffer bins(DType::I32, nbins), values(DType::I32, n), fmax(DType::F32, 1), cas(DType::I32, programs);
  bins.fill_bytes(0);
  cas.fill_bytes(0);
  fmax.as<float>()[0] = -1e30f;
  std::vector<int64_t> expected(nbins, 0);
  for (int64_t i = 0; i < n; ++i) {
    int32_t v = static_cast<int32_t>(std::floor(philox_uniform(seed, i, 0, 1000)));
    values.as<int32_t>()[i] = v;
    expected[v % nbins]++;
  }
  auto fv = random_floats(n, seed + 1, -100, 100);
  Buffer fvals = buffer_of(fv);
  LaunchOptions two;
  two.threads = 2;
  std::vector<Arg> args{bins, values, fmax, fvals, cas, n, nbins};
  build("atomics", &atomics_kernel)->launch(Grid(programs), args, two);
  for (int64_t b = 0; b < nbins; ++b)
    CHECK(bins.as<int32_t>()[b] == expected[b]);
  CHECK(fmax.as<float>()[0] == *std::max_element(fv.begin(), fv.end()));
  for (int64_t p = 0; p < programs; ++p)
    CHECK(cas.as<int32_t>()[p] == p + 1);
}

TEST_CASE("math functions, where and casts", "[e2e][ops]") {
  const int64_t n = 301;
  uint64_t seed = case_seed("math");
  INFO("seed " << seed);
  auto xs = random_floats(n, seed, -3, 3);
  Buffer x = buffer_of(xs), out = poisoned(DType::F32, 15 * n);
  build("math", &math_kernel)->launch(Grid(3), x, out, n);
  auto at = [&](int f, int64_t i) { return static_cast<double>(out.as<float>()[f * n + i]); };
  auto close = [](double got, double want, double ulps) {
    return std::fabs(got - want) <= ulps * 6e-8 * std::max(1.0, std::fabs(want));
  };
  for (int64_t i = 0; i < n; ++i) {
    double v = xs[i], a = std::fabs(v) + 0.25;
    INFO("x = " << v);
    CHECK(close(at(0, i), std::exp(v), 8));
    CHECK(close(at(1, i), std::log(a), 8));
    CHECK(close(at(2, i), std::sqrt(a), 4));
    CHECK(close(at(3, i), 1 / std::sqrt(a), 8));
    CHECK(close(at(4, i), 1 / (1 + std::exp(-v)), 16));
    CHECK(close(at(5, i), std::tanh(v), 16));
    CHECK(close(at(6, i), std::erf(v), 16));
    CHECK(close(at(7, i), std::sin(v), 16));
    CHECK(close(at(8, i), std::cos(v), 16));
    CHECK(close(at(9, i), std::exp2(v), 8));
    CHECK(close(at(10, i), std::log2(a), 8));
    CHECK(at(11, i) == (v > 0 ? v : static_cast<float>(-v * 2.0f)));
    CHECK(close(at(12, i), std::max(v, a - 1) + std::min(v, -a), 4));
    CHECK(at(13, i) == std::trunc(static_cast<float>(v * 10.0f)));
    CHECK(std::fabs(at(14, i) - v) <= std::ldexp(1.0, -8) * std::fabs(v));
  }
}

TEST_CASE("i8 dot accumulates exactly in i32", "[e2e][ops]") {
  uint64_t seed = case_seed("int8 dot");
  INFO("seed " << seed);
  Buffer a(DType::I8, 16 * 32), b(DType::I8, 32 * 16), c = poisoned(DType::I32, 16 * 16);
  fill_uniform(a, seed, -128, 128);
  fill_uniform(b, seed + 1, -128, 128);
  build("int8_dot", &int8_dot_kernel)->launch(Grid(1), a, b, c);
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) {
      int32_t s = 0;
      for (int k = 0; k < 32; ++k)
        s += int32_t{a.as<int8_t>()[i * 32 + k]} * b.as<int8_t>()[k * 16 + j];
      CHECK(c.as<int32_t>()[i * 16 + j] == s);
    }
}
