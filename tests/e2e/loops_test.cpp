// The loops the mission's kernels are made of, written in the kernel language and run:
// FlashAttention's inner loop (acc, m_i, l_i carried) and Multi-LoRA's per-token adapter
// indexing (BGMV), plus if_else/when.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"

#include <cmath>
#include <limits>

using namespace tegula;
using namespace tegula::dsl;
using namespace tegula::kernels;
using tegula::testing::case_seed;

namespace {

struct AttentionConfig {
  int BM = 16, BN = 16, D = 32;
  double scale = 0.125;
};

// One head of non-causal attention: O = softmax(Q K^T * scale) V, Q [Sq, D], K/V [Skv, D].
void attention_kernel(Ptr<f32> q, Ptr<f32> k, Ptr<f32> v, Ptr<f32> o, Int Sq, Int Skv, AttentionConfig cfg) {
  const double neg_inf = -std::numeric_limits<double>::infinity();
  auto rm = program_id(0) * cfg.BM + arange(cfg.BM);
  auto rd = arange(cfg.D);
  auto qt = load(q + rm.col() * cfg.D + rd.row(), rm.col() < Sq, 0.0);
  auto acc = zeros<f32>({cfg.BM, cfg.D});
  auto m_i = full<f32>({cfg.BM}, neg_inf);
  auto l_i = zeros<f32>({cfg.BM});
  for (auto n : range(0, Skv, cfg.BN).carry(acc, m_i, l_i)) {
    auto rn = n + arange(cfg.BN);
    auto kt = load(k + rn.row() * cfg.D + rd.col(), rn.row() < Skv, 0.0); // K^T block [D, BN]
    auto s = where(rn.row() < Skv, dot(qt, kt, zeros<f32>({cfg.BM, cfg.BN})) * cfg.scale, neg_inf);
    auto m_new = maximum(m_i, max(s, 1));
    auto p = exp(s - m_new.col());
    auto alpha = exp(m_i - m_new);
    auto vt = load(v + rn.col() * cfg.D + rd.row(), rn.col() < Skv, 0.0); // [BN, D]
    l_i = l_i * alpha + sum(p, 1);
    acc = dot(p, vt, acc * alpha.col());
    m_i = m_new;
  }
  store(o + rm.col() * cfg.D + rd.row(), acc / l_i.col(), rm.col() < Sq);
}

struct LoraConfig {
  int R = 8;   ///< adapter rank
  int BH = 32; ///< hidden-dimension block
};

// BGMV shrink: y[t, :] = x[t, :] A[ids[t]]^T with A stacked [slots, R, H]; id -1 = none.
void bgmv_shrink_kernel(Ptr<f32> x, Ptr<f32> a, Ptr<i32> ids, Ptr<f32> y, Int H, LoraConfig cfg) {
  Int t = program_id(0);
  Int id = load(ids + t);
  Bool has_adapter = id >= 0;
  Int slot = where(has_adapter, id, scalar<i32>(0));
  auto rr = arange(cfg.R);
  auto acc = zeros<f32>({cfg.R});
  for (auto h : range(0, H, cfg.BH).carry(acc)) {
    auto rh = h + arange(cfg.BH);
    auto xv = load(x + t * H + rh, rh < H, 0.0);
    auto at = load(a + slot * (cfg.R * H) + rr.col() * H + rh.row(), rh.row() < H && has_adapter, 0.0);
    acc = acc + sum(at * xv.row(), 1);
  }
  auto scale = if_else(has_adapter, [] { return scalar<f32>(1.0); }, [] { return scalar<f32>(0.0); });
  store(y + t * cfg.R + rr, acc * scale);
}

void when_kernel(Ptr<i32> flags, Ptr<f32> x, Int n) {
  Int pid = program_id(0);
  when(pid % 2 == 0, [&] { store(flags + pid, scalar<i32>(2)); });
  when(pid % 2 == 1, [&] { store(flags + pid, scalar<i32>(3)); });
  auto i = pid * 32 + arange(32);
  auto factor = if_else(pid % 2 == 0, [] { return scalar<f32>(2.0); }, [] { return scalar<f32>(3.0); });
  store(x + i, load(x + i, i < n, 0.0) * factor, i < n);
}

Buffer random_buffer(size_t n, uint64_t seed, double lo = -1, double hi = 1) {
  Buffer b(DType::F32, n);
  fill_uniform(b, seed, lo, hi);
  return b;
}

} // namespace

TEST_CASE("attention's online-softmax loop matches the reference", "[e2e][loops]") {
  AttentionConfig cfg;
  auto kernel = compile_traced(trace("attention", &attention_kernel, {"q", "k", "v", "o", "Sq", "Skv"}, cfg), "cpu");
  for (auto [Sq, Skv] : std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {1, 37}, {37, 1}, {45, 70}, {16, 16}}) {
    uint64_t seed = case_seed("attention " + std::to_string(Sq) + " " + std::to_string(Skv));
    INFO("Sq " << Sq << " Skv " << Skv << " seed " << seed);
    const int D = cfg.D;
    Buffer q = random_buffer(Sq * D, seed), k = random_buffer(Skv * D, seed + 1), v = random_buffer(Skv * D, seed + 2);
    Buffer o(DType::F32, Sq * D);
    o.fill_bytes(0xFF);
    kernel->launch(Grid(dsl::cdiv(Sq, cfg.BM)), q, k, v, o, Sq, Skv);
    std::vector<double> ref(Sq * D), bound(Sq * D);
    for (int64_t i = 0; i < Sq; ++i) {
      std::vector<double> s(Skv);
      double m = -INFINITY, l = 0;
      for (int64_t j = 0; j < Skv; ++j) {
        double dotv = 0;
        for (int d = 0; d < D; ++d)
          dotv += read_element(q, i * D + d) * read_element(k, j * D + d);
        s[j] = dotv * cfg.scale;
        m = std::max(m, s[j]);
      }
      for (int64_t j = 0; j < Skv; ++j)
        l += std::exp(s[j] - m);
      for (int d = 0; d < D; ++d) {
        double out = 0, mag = 0;
        for (int64_t j = 0; j < Skv; ++j) {
          double p = std::exp(s[j] - m) / l;
          out += p * read_element(v, j * D + d);
          mag += p * std::fabs(read_element(v, j * D + d));
        }
        ref[i * D + d] = out;
        // Two chained reductions (D for the scores, Skv for the output) in f32.
        bound[i * D + d] = 2.0 * (D + Skv + 16) * unit_roundoff(DType::F32) * (mag + 1e-30) * 4;
      }
    }
    auto result = check(o, ref, bound);
    INFO(result.summary());
    CHECK(result.ok());
  }
}

TEST_CASE("per-token adapter indexing (BGMV shrink) isolates each token's adapter", "[e2e][loops]") {
  LoraConfig cfg;
  auto kernel = compile_traced(trace("bgmv_shrink", &bgmv_shrink_kernel, {"x", "a", "ids", "y", "H"}, cfg), "cpu");
  const int64_t T = 11, H = 77, slots = 5, R = cfg.R;
  uint64_t seed = case_seed("bgmv");
  INFO("seed " << seed);
  Buffer x = random_buffer(T * H, seed), a = random_buffer(slots * R * H, seed + 1);
  Buffer ids(DType::I32, T), y(DType::F32, T * R);
  const int32_t pattern[T] = {0, 4, -1, 2, 2, 2, -1, 3, 1, 0, 4};
  for (int64_t t = 0; t < T; ++t)
    ids.as<int32_t>()[t] = pattern[t];
  y.fill_bytes(0xFF);
  kernel->launch(Grid(T), x, a, ids, y, H);
  std::vector<double> ref(T * R, 0.0), bound(T * R);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t r = 0; r < R; ++r) {
      double s = 0, mag = 0;
      if (pattern[t] >= 0)
        for (int64_t h = 0; h < H; ++h) {
          double term = read_element(x, t * H + h) * read_element(a, (pattern[t] * R + r) * H + h);
          s += term;
          mag += std::fabs(term);
        }
      ref[t * R + r] = s;
      bound[t * R + r] = 2.0 * (H + 1) * unit_roundoff(DType::F32) * mag;
    }
  auto result = check(y, ref, bound);
  INFO(result.summary());
  CHECK(result.ok());
}

TEST_CASE("when and if_else branch per program instance", "[e2e][loops]") {
  auto kernel = compile_traced(trace("when", &when_kernel, {"flags", "x", "n"}), "cpu");
  const int64_t n = 150, programs = 5;
  uint64_t seed = case_seed("when");
  INFO("seed " << seed);
  Buffer flags(DType::I32, programs), x = random_buffer(n, seed);
  std::vector<double> before = to_doubles(x);
  flags.fill_bytes(0xFF);
  kernel->launch(Grid(programs), flags, x, n);
  for (int64_t p = 0; p < programs; ++p)
    CHECK(flags.as<int32_t>()[p] == (p % 2 == 0 ? 2 : 3));
  for (int64_t i = 0; i < n; ++i)
    CHECK(x.as<float>()[i] == static_cast<float>(before[i] * ((i / 32) % 2 == 0 ? 2 : 3)));
}
