// Language additions kernel authors reach for: compound assignment on tiles (also on a
// loop-carried accumulator), minimum/maximum with a C++ number, and cdiv inside a
// kernel, tanh, a sum to a scalar stored through one pointer. Each runs on cpu and maia
// against an fp64 host computation on Philox inputs, with sizes that are not multiples
// of the block and poisoned outputs; a construct the Maia lowering refuses is pinned
// with the line it names.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cmath>

using namespace tegula;
using namespace tegula::dsl;
using tegula::testing::case_seed;

namespace {

constexpr int kBlock = 64;

// out = clamp(2 x + 1 - y / 4, -0.5, 0.75) through +=, -=, *=, /= and minimum/maximum
// with numbers on either side.
void compound_kernel(Ptr<f32> x, Ptr<f32> y, Ptr<f32> out, Int n) {
  auto i = program_id(0) * kBlock + arange(kBlock);
  auto ok = i < n;
  auto v = load(x + i, ok, 0.0);
  auto w = load(y + i, ok, 0.0);
  v *= 2.0;
  v += 1.0;
  w /= 4.0;
  v -= w;
  store(out + i, maximum(-0.5, minimum(v, 0.75)), ok);
}

int gProductLine = 0; // set while tracing: the line of product_kernel's reduce

// A reduction by a product (a combine function the row unit has no operation for) has
// no Maia lowering yet: its refusal must name the line and the construct.
void product_kernel(Ptr<f32> x, Ptr<f32> out, Int n) {
  auto i = arange(kBlock);
  auto v = load(x + i, i < n, 1.0);
  gProductLine = __LINE__ + 1;
  store(out, reduce(v, 0, [](auto a, auto b) { return a * b; }));
}

// tanh, which the f32 vector unit lacks (the typed unit's vt.tanh on maia).
void tanh_kernel(Ptr<f32> x, Ptr<f32> out, Int n) {
  auto i = program_id(0) * kBlock + arange(kBlock);
  auto v = load(x + i, i < n, 0.0);
  store(out + i, tanh(v), i < n);
}

// Row sums through a carried accumulator updated with +=, over column blocks of 16; the
// number of blocks comes from cdiv inside the kernel (a loop bound of blocks).
void row_sum_kernel(Ptr<f32> x, Ptr<f32> out, Ptr<i32> blocks, Int N) {
  auto row = program_id(0);
  auto cols = arange(16);
  auto acc = zeros<f32>({16});
  Int count = cdiv(N, 16);
  for (auto b : range(0, count, 1).carry(acc)) {
    auto c = b * 16 + cols;
    acc += load(x + row * N + c, c < N, 0.0);
  }
  store(out + row, sum(acc, 0));
  store(blocks + row, count);
}

int64_t count_wrong(const Buffer &got, const std::vector<double> &want, double rel) {
  int64_t wrong = 0;
  auto g = got.as<float>();
  for (size_t i = 0; i < want.size(); ++i)
    if (!(std::abs(g[i] - want[i]) <= rel * (1.0 + std::abs(want[i]))))
      ++wrong;
  return wrong;
}

} // namespace

TEST_CASE("compound assignment and minimum/maximum with numbers, on cpu and maia", "[e2e][language]") {
  const int64_t n = 1000; // not a multiple of 64
  const uint64_t seed = case_seed("compound");
  INFO("seed " << seed);
  Buffer x(DType::F32, n), y(DType::F32, n), out(DType::F32, n);
  kernels::fill_uniform(x, seed, -1.0, 1.0);
  kernels::fill_uniform(y, seed + 1, -1.0, 1.0);
  std::vector<double> want(n);
  for (int64_t i = 0; i < n; ++i) {
    double v = 2.0 * x.as<float>()[i] + 1.0 - y.as<float>()[i] / 4.0;
    want[i] = std::clamp(v, -0.5, 0.75);
  }
  for (const char *target : {"cpu", "maia"}) {
    INFO("target " << target);
    auto k = tegula::compile("compound", &compound_kernel, target);
    out.fill_bytes(0xFF);
    k->launch(Grid(cdiv(n, kBlock)), x, y, out, n);
    CHECK(count_wrong(out, want, 4 * 0x1p-24) == 0); // four f32 roundings
  }
}

TEST_CASE("a construct the Maia lowering refuses is named with its line and why", "[e2e][language]") {
  try {
    tegula::compile("product", &product_kernel, "maia");
    FAIL("maia compiled a product reduction: pick a construct it still refuses");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::CompileError);
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("language_additions_test.cpp:" + std::to_string(gProductLine) + ":"));
    CHECK_THAT(what, Catch::Contains("`reduce` with a combine function of f32 tiles: not lowered to Maia yet: a "
                                     "combine function is lowered when it is one `+`, `maximum` or `minimum`"));
  }
}

TEST_CASE("tanh on cpu and maia", "[e2e][language]") {
  const int64_t n = 1000;
  const uint64_t seed = case_seed("tanh");
  INFO("seed " << seed);
  Buffer x(DType::F32, n), out(DType::F32, n);
  kernels::fill_uniform(x, seed, -4.0, 4.0);
  std::vector<double> want(n);
  for (int64_t i = 0; i < n; ++i)
    want[i] = std::tanh(static_cast<double>(x.as<float>()[i]));
  for (const char *target : {"cpu", "maia"}) {
    INFO("target " << target);
    auto k = tegula::compile("tanh", &tanh_kernel, target);
    out.fill_bytes(0xFF);
    k->launch(Grid(cdiv(n, kBlock)), x, out, n);
    CHECK(count_wrong(out, want, 8 * 0x1p-24) == 0); // a few ulps of a single-precision tanh
  }
}

TEST_CASE("cdiv inside a kernel and += on a carried accumulator", "[e2e][language]") {
  const int64_t M = 7, N = 37; // 37 columns: three blocks of 16, the last partial
  const uint64_t seed = case_seed("row sum");
  INFO("seed " << seed);
  Buffer x(DType::F32, M * N), out(DType::F32, M), blocks(DType::I32, M);
  kernels::fill_uniform(x, seed);
  std::vector<double> want(M, 0.0), magnitude(M, 0.0);
  for (int64_t r = 0; r < M; ++r)
    for (int64_t c = 0; c < N; ++c) {
      want[r] += x.as<float>()[r * N + c];
      magnitude[r] += std::abs(x.as<float>()[r * N + c]);
    }
  for (const char *target : {"cpu", "maia"}) {
    INFO("target " << target);
    auto k = tegula::compile("row_sum", &row_sum_kernel, target);
    out.fill_bytes(0xFF);
    blocks.fill_bytes(0xFF);
    k->launch(Grid(M), x, out, blocks, N);
    for (int64_t r = 0; r < M; ++r) {
      INFO("row " << r);
      CHECK(blocks.as<int32_t>()[r] == 3);
      CHECK(std::abs(out.as<float>()[r] - want[r]) <= 2 * (N + 1) * 0x1p-24 * magnitude[r]);
    }
  }
}
