// Conformance cases: counter-based random numbers (Philox 4x32-10): randint, randint4x
// and rand must match the host's Philox bit for bit on every target; randn within its
// math functions' error.
#include "harness.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

enum class Draw { Randint, Randint4x, Rand, Randn };

struct DrawCfg {
  Draw draw;
  int block;
};

/// Offsets start at a runtime base (past 2^32 for the i64 seeds), so that the counter's
/// high word is exercised too.
template <IntDType S> void random_kernel(Ptr<i32> words, Ptr<f32> values, Tile<S> seed, Long base, Int n, DrawCfg cfg) {
  auto lane = program_id(0) * cfg.block + arange(cfg.block);
  auto in = lane < n;
  auto offsets = cast<i64>(lane) + base;
  switch (cfg.draw) {
  case Draw::Randint: store(words + lane, randint(seed, offsets), in); break;
  case Draw::Randint4x: {
    auto four = randint4x(seed, offsets);
    for (int w = 0; w < 4; ++w)
      store(words + lane * 4 + w, four[w], in);
    break;
  }
  case Draw::Rand: store(values + lane, rand(seed, offsets), in); break;
  case Draw::Randn: store(values + lane, randn(seed, offsets), in); break;
  }
}

void run_random(Run &run, Draw draw) {
  auto body = [&]<typename S>() {
    const int64_t n = run.shape[0];
    // A seed with both halves set (negative for i32, whose sign extends into the key's
    // high word), and a base offset past 2^32 for i64 seeds.
    const int64_t seed = run.dtype == DType::I64 ? 0x1234567890ABCDEFll : -123456789;
    const int64_t base = run.dtype == DType::I64 ? (int64_t{5} << 32) + 7 : 11;
    Buffer words = run.output(DType::I32, 4 * n), values = run.output(DType::F32, n);
    auto k = run.compile("random", &random_kernel<S>, DrawCfg{draw, 128});
    run.launch(*k, Grid(cdiv(n, 128)), words, values, seed, base, n);
    std::vector<double> w_ref, v_ref, v_bound;
    for (int64_t i = 0; i < n; ++i) {
      uint32_t w[4];
      kernels::philox4x32(static_cast<uint64_t>(seed), static_cast<uint64_t>(base + i), w);
      auto as_i32 = [](uint32_t x) { return static_cast<double>(static_cast<int32_t>(x)); };
      switch (draw) {
      case Draw::Randint: w_ref.push_back(as_i32(w[0])); break;
      case Draw::Randint4x:
        for (int j = 0; j < 4; ++j)
          w_ref.push_back(as_i32(w[j]));
        break;
      case Draw::Rand:
        v_ref.push_back(std::ldexp(static_cast<double>(w[0] >> 8), -24));
        v_bound.push_back(0);
        break;
      case Draw::Randn: {
        const double u1 = std::ldexp(static_cast<double>((w[0] >> 8) + 1), -24);
        const double u2 = std::ldexp(static_cast<double>(w[1] >> 8), -24);
        const double radius = std::sqrt(-2 * std::log(u1));
        v_ref.push_back(radius * std::cos(2 * M_PI * u2));
        // log, sqrt and cos in f32 (a few ulps each), and 2 pi u2 rounded (an absolute
        // error of about 2 pi u in the angle).
        const double u = kernels::unit_roundoff(DType::F32);
        v_bound.push_back(16 * u * (std::fabs(v_ref.back()) + radius) + 4 * radius * 2 * M_PI * u);
        break;
      }
      }
    }
    if (!w_ref.empty())
      run.expect_exact(words, w_ref);
    else
      run.expect(values, v_ref, v_bound);
  };
  if (run.dtype == DType::I64)
    body.template operator()<i64>();
  else
    body.template operator()<i32>();
}

} // namespace

void add_random_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> flat = {{1000}, {1}};
  const std::vector<DType> seeds = {DType::I32, DType::I64}; // the seed's dtype
  const std::pair<Draw, const char *> draws[] = {{Draw::Randint, "random.randint"},
                                                 {Draw::Randint4x, "random.randint4x"},
                                                 {Draw::Rand, "random.rand"},
                                                 {Draw::Randn, "random.randn"}};
  for (auto [draw, name] : draws)
    cases.push_back({name, "random numbers", seeds, flat, [draw](Run &r) { run_random(r, draw); }});
}

} // namespace tegula::conformance
