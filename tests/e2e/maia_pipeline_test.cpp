// Software-pipelined loops on maia-sim: every trip count (none, odd and even), a
// lower bound and step other than 0 and 1, a pipelined loop around another loop, and
// loops that store (which must not be pipelined: a prefetch would read memory before
// the iteration's stores). Each kernel also runs on the CPU; both must agree with a
// host computation in the same summation order, bit for bit. The simulator's race
// detector checks the overlapped schedule on every run.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <vector>

using namespace tegula;
using tegula::kernels::fill_uniform;

namespace {

using namespace tegula::dsl;

// acc = y[0:16] + sum over k in [lo, hi) step 3 of x[k*16 : k*16+16]; out = acc.
void strided_sum_kernel(Ptr<f32> x, Ptr<f32> y, Ptr<f32> out, Int lo, Int hi) {
  auto i = arange(16);
  auto acc = load(y + i);
  for (auto k : range(lo, hi, 3).carry(acc))
    acc = acc + load(x + (k * 16 + i));
  store(out + i, acc);
}

// Two nested loops with loads that depend only on their induction variables; the inner
// loop also stores each partial sum, so neither is pipelined.
void nested_kernel(Ptr<f32> x, Ptr<f32> partial, Ptr<f32> out, Int outer, Int inner) {
  auto i = arange(16);
  auto acc = zeros<f32>({16}) + 0.5;
  for (auto o : range(0, outer).carry(acc)) {
    for (auto k : range(0, inner).carry(acc)) {
      acc = acc + load(x + ((o * inner + k) * 16 + i));
      store(partial + ((o * inner + k) * 16 + i), acc);
    }
  }
  store(out + i, acc);
}

// The outer loop's own load is pipelined and its body holds another loop, which waits
// for every pending command (the outer prefetch too) before it starts.
void outer_inner_kernel(Ptr<f32> x, Ptr<f32> y, Ptr<f32> out, Int outer, Int inner) {
  auto i = arange(16);
  auto acc = zeros<f32>({16}) + 0.25;
  for (auto o : range(0, outer).carry(acc)) {
    acc = acc + load(x + (o * 16 + i));
    for (auto k : range(0, inner).carry(acc))
      acc = acc + load(y + ((o * inner + k) * 16 + i));
  }
  store(out + i, acc);
}

// A recurrence through memory: iteration k reads the block iteration k - 1 wrote.
void recurrence_kernel(Ptr<f32> p, Int n) {
  auto i = arange(16);
  for (auto k : range(0, n))
    store(p + ((k + 1) * 16 + i), load(p + (k * 16 + i)) * 0.5 + 1.0);
}

void launch(const std::string &target, const dsl::TracedKernel &traced, std::vector<Arg> args) {
  compile_traced(traced, target)->launch(Grid(1), std::span<const Arg>(args));
}

} // namespace

TEST_CASE("pipelined loops give the same sums for every trip count", "[e2e][maia]") {
  auto traced = dsl::trace("strided_sum", &strided_sum_kernel, {"x", "y", "out", "lo", "hi"});
  const int64_t rows = 40;
  uint64_t seed = testing::case_seed("strided_sum");
  Buffer x(DType::F32, rows * 16), y(DType::F32, 16);
  fill_uniform(x, seed);
  fill_uniform(y, seed + 1);
  // Trip counts 0 (hi <= lo), 1, 2, 3, 4, 5 and 12, from lower bounds 0 and 2.
  for (auto [lo, hi] : std::vector<std::pair<int64_t, int64_t>>{
           {0, 0}, {2, 1}, {2, 3}, {0, 4}, {2, 9}, {0, 10}, {2, 15}, {0, 36}}) {
    std::vector<float> expect(y.as<float>().begin(), y.as<float>().end());
    for (int64_t k = lo; k < hi; k += 3)
      for (int c = 0; c < 16; ++c)
        expect[c] += x.as<float>()[k * 16 + c];
    for (const char *target : {"cpu", "maia"}) {
      INFO(target << " lo " << lo << " hi " << hi << " seed " << seed);
      Buffer out(DType::F32, 16);
      out.fill_bytes(0xFF);
      launch(target, traced, {&x, &y, &out, lo, hi});
      for (int c = 0; c < 16; ++c)
        CHECK(out.as<float>()[c] == expect[c]);
    }
  }
}

TEST_CASE("nested loops with stores in the body", "[e2e][maia]") {
  auto traced = dsl::trace("nested", &nested_kernel, {"x", "partial", "out", "outer", "inner"});
  uint64_t seed = testing::case_seed("nested");
  for (auto [outer, inner] : std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {2, 3}, {3, 2}, {3, 5}}) {
    const int64_t n = outer * inner;
    Buffer x(DType::F32, n * 16);
    fill_uniform(x, seed + static_cast<uint64_t>(n));
    std::vector<float> expect(16, 0.5f), partials(n * 16);
    for (int64_t s = 0; s < n; ++s)
      for (int c = 0; c < 16; ++c)
        partials[s * 16 + c] = expect[c] += x.as<float>()[s * 16 + c];
    for (const char *target : {"cpu", "maia"}) {
      INFO(target << " outer " << outer << " inner " << inner << " seed " << seed);
      Buffer partial(DType::F32, n * 16), out(DType::F32, 16);
      partial.fill_bytes(0xFF);
      out.fill_bytes(0xFF);
      launch(target, traced, {&x, &partial, &out, outer, inner});
      for (int c = 0; c < 16; ++c)
        CHECK(out.as<float>()[c] == expect[c]);
      for (int64_t s = 0; s < n * 16; ++s)
        CHECK(partial.as<float>()[s] == partials[s]);
    }
  }
}

TEST_CASE("a pipelined loop whose body holds another loop", "[e2e][maia]") {
  auto traced = dsl::trace("outer_inner", &outer_inner_kernel, {"x", "y", "out", "outer", "inner"});
  uint64_t seed = testing::case_seed("outer_inner");
  for (int64_t outer : {0, 1, 2, 3, 4, 5})
    for (int64_t inner : {0, 1, 3}) {
      Buffer x(DType::F32, std::max<int64_t>(outer, 1) * 16), y(DType::F32, std::max<int64_t>(outer * inner, 1) * 16);
      fill_uniform(x, seed + static_cast<uint64_t>(outer));
      fill_uniform(y, seed + 100 + static_cast<uint64_t>(outer * inner));
      std::vector<float> expect(16, 0.25f);
      for (int64_t o = 0; o < outer; ++o)
        for (int c = 0; c < 16; ++c) {
          expect[c] += x.as<float>()[o * 16 + c];
          for (int64_t k = 0; k < inner; ++k)
            expect[c] += y.as<float>()[(o * inner + k) * 16 + c];
        }
      for (const char *target : {"cpu", "maia"}) {
        INFO(target << " outer " << outer << " inner " << inner << " seed " << seed);
        Buffer out(DType::F32, 16);
        out.fill_bytes(0xFF);
        launch(target, traced, {&x, &y, &out, outer, inner});
        for (int c = 0; c < 16; ++c)
          CHECK(out.as<float>()[c] == expect[c]);
      }
    }
}

TEST_CASE("a loop that stores what its next iteration loads is not prefetched", "[e2e][maia]") {
  auto traced = dsl::trace("recurrence", &recurrence_kernel, {"p", "n"});
  uint64_t seed = testing::case_seed("recurrence");
  const int64_t n = 7;
  Buffer init(DType::F32, 16);
  fill_uniform(init, seed);
  std::vector<float> expect((n + 1) * 16);
  for (int c = 0; c < 16; ++c) {
    expect[c] = init.as<float>()[c];
    for (int64_t k = 0; k < n; ++k)
      expect[(k + 1) * 16 + c] = expect[k * 16 + c] * 0.5f + 1.0f;
  }
  for (const char *target : {"cpu", "maia"}) {
    INFO(target << " seed " << seed);
    Buffer p(DType::F32, (n + 1) * 16);
    p.fill_bytes(0xFF);
    std::copy(init.as<float>().begin(), init.as<float>().end(), p.as<float>().begin());
    launch(target, traced, {&p, n});
    for (int64_t e = 0; e < (n + 1) * 16; ++e)
      CHECK(p.as<float>()[e] == expect[e]);
  }
}
