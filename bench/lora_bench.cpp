// Multi-LoRA on the CPU (bf16, H = H_out = 4096, rank 16): shrink + expand in the
// segmented (SGMV) and per-token (BGMV) forms, against (a) one adapter at a time: a
// shrink GEMM and an expand GEMM per adapter that has tokens, with each adapter's
// operands laid out for it beforehand, and (b) one dense GEMM pair of the same FLOPs
// (every token on one adapter).
//
// Expected before running: per adapter, the kernels read A and B once (2 x 16 x 4096
// bf16 = 256 KiB) and multiply them with that adapter's tokens. With one token per
// adapter the work is memory-bound on the adapters, and the loop of GEMMs adds two
// launches (tens of microseconds each) per adapter, so SGMV/BGMV should be several
// times faster than the loop at 64+ adapters and close to it at one. Against the dense
// pair, which reads one adapter, they are slower by about the extra adapter bytes: near
// 1x when many tokens share few adapters, far slower with 1024 adapters.
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/reference.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

namespace {

constexpr int64_t kHidden = 4096, kRank = 16;

/// A batch of `tokens` tokens spread evenly over `adapters` adapters, in both forms, and
/// the per-adapter operands of the loop baseline.
struct Batch {
  int64_t tokens, adapters;
  Buffer x, a, b, ranks, scales, t, y, starts, segmentIds, tokenIds;
  LoraWeights weights;
  // Loop baseline: per adapter, its tokens, A_i^T [H, r], t_i (bf16) and B_i^T [r, H_out].
  std::vector<Buffer> xs, aT, ts, bT, outShrink, outExpand;
  std::vector<int64_t> counts;

  Batch(int64_t tokens, int64_t adapters) : tokens(tokens), adapters(adapters) {
    x = Buffer(DType::BF16, tokens * kHidden);
    a = Buffer(DType::BF16, adapters * kRank * kHidden);
    b = Buffer(DType::BF16, adapters * kHidden * kRank);
    ranks = Buffer(DType::I32, adapters);
    scales = Buffer(DType::F32, adapters);
    t = Buffer(DType::F32, tokens * kRank);
    y = Buffer(DType::BF16, tokens * kHidden);
    fill_uniform(x, 1);
    fill_uniform(a, 2);
    fill_uniform(b, 3);
    fill_uniform(scales, 4, 0.5, 1.0);
    fill_uniform(y, 5);
    for (int32_t &r : ranks.as<int32_t>())
      r = kRank;
    weights = {&a, &b, &ranks, &scales, adapters, kRank};
    // Segments: adapter i gets tokens [i T / A, (i + 1) T / A).
    std::vector<int32_t> offsets(adapters + 1), ids(adapters);
    for (int64_t i = 0; i <= adapters; ++i)
      offsets[i] = static_cast<int32_t>(i * tokens / adapters);
    std::iota(ids.begin(), ids.end(), 0);
    starts = Buffer(DType::I32, adapters + 1);
    segmentIds = Buffer(DType::I32, adapters);
    std::copy(offsets.begin(), offsets.end(), starts.as<int32_t>().begin());
    std::copy(ids.begin(), ids.end(), segmentIds.as<int32_t>().begin());
    // Per token: the same adapters, interleaved (token j uses adapter j mod A).
    tokenIds = Buffer(DType::I32, tokens);
    for (int64_t j = 0; j < tokens; ++j)
      tokenIds.as<int32_t>()[j] = static_cast<int32_t>(j % adapters);
    for (int64_t i = 0; i < adapters; ++i) {
      int64_t n = offsets[i + 1] - offsets[i];
      counts.push_back(n);
      if (n == 0) {
        xs.emplace_back(); aT.emplace_back(); ts.emplace_back(); bT.emplace_back();
        outShrink.emplace_back(); outExpand.emplace_back();
        continue;
      }
      xs.emplace_back(DType::BF16, n * kHidden);
      fill_uniform(xs.back(), 10 + i);
      aT.emplace_back(DType::BF16, kHidden * kRank);
      fill_uniform(aT.back(), 20 + i);
      ts.emplace_back(DType::BF16, n * kRank);
      fill_uniform(ts.back(), 30 + i);
      bT.emplace_back(DType::BF16, kRank * kHidden);
      fill_uniform(bT.back(), 40 + i);
      outShrink.emplace_back(DType::F32, n * kRank);
      outExpand.emplace_back(DType::F32, n * kHidden);
    }
  }
  LoraMapping segmented() const { return LoraMapping::segmented(starts, segmentIds, adapters); }
  LoraMapping gathered() const { return LoraMapping::gathered(tokenIds); }
};

Batch &batch(int64_t tokens, int64_t adapters) {
  static std::map<std::pair<int64_t, int64_t>, std::unique_ptr<Batch>> cache;
  auto &slot = cache[{tokens, adapters}];
  if (!slot) {
    cache.clear(); // one batch at a time: the 1024-adapter one holds 256 MiB of adapters
    auto &fresh = cache[{tokens, adapters}];
    fresh = std::make_unique<Batch>(tokens, adapters);
    return *fresh;
  }
  return *slot;
}

double flops(int64_t tokens) { return 2.0 * 2.0 * tokens * kHidden * kRank; }

void rate(benchmark::State &state, int64_t tokens) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops(tokens), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_Lora(benchmark::State &state) {
  const int64_t tokens = state.range(0), adapters = state.range(1);
  const LoraForm form = state.range(2) ? LoraForm::Gathered : LoraForm::Segmented;
  Batch &bt = batch(tokens, adapters);
  LoraConfig config = default_lora_config("cpu", form, kRank);
  LoraShrink shrink(DType::BF16, "cpu", {}, config);
  LoraExpand expand(DType::BF16, "cpu", {}, config);
  LoraMapping mapping = form == LoraForm::Segmented ? bt.segmented() : bt.gathered();
  for (auto _ : state) {
    shrink(bt.x, bt.weights, mapping, bt.t, tokens, kHidden);
    expand(bt.t, bt.weights, mapping, bt.y, tokens, kHidden);
  }
  rate(state, tokens);
}

void BM_LoopOfGemms(benchmark::State &state) {
  const int64_t tokens = state.range(0), adapters = state.range(1);
  Batch &bt = batch(tokens, adapters);
  Gemm shrink(DType::BF16, "cpu", {}, default_gemm_config("cpu", 16, kRank, kHidden));
  Gemm expand(DType::BF16, "cpu", {}, default_gemm_config("cpu", 16, kHidden, kRank));
  for (auto _ : state)
    for (int64_t i = 0; i < adapters; ++i) {
      if (bt.counts[i] == 0)
        continue;
      shrink(bt.xs[i], bt.aT[i], bt.outShrink[i], bt.counts[i], kRank, kHidden);
      expand(bt.ts[i], bt.bT[i], bt.outExpand[i], bt.counts[i], kHidden, kRank);
    }
  rate(state, tokens);
}

void BM_DenseGemm(benchmark::State &state) {
  const int64_t tokens = state.range(0);
  Batch &bt = batch(tokens, 1);
  Gemm shrink(DType::BF16, "cpu", {}, default_gemm_config("cpu", tokens, kRank, kHidden));
  Gemm expand(DType::BF16, "cpu", {}, default_gemm_config("cpu", tokens, kHidden, kRank));
  for (auto _ : state) {
    shrink(bt.xs[0], bt.aT[0], bt.outShrink[0], tokens, kRank, kHidden);
    expand(bt.ts[0], bt.bT[0], bt.outExpand[0], tokens, kHidden, kRank);
  }
  rate(state, tokens);
}

const std::vector<std::pair<int64_t, int64_t>> kShapes{{1, 1}, {16, 16}, {256, 16}, {256, 256}, {1024, 64},
                                                       {4096, 1024}};

void shapes(benchmark::internal::Benchmark *b) {
  for (auto [tokens, adapters] : kShapes)
    for (int form : {0, 1})
      b->Args({tokens, adapters, form});
}
void loopShapes(benchmark::internal::Benchmark *b) {
  for (auto [tokens, adapters] : kShapes)
    b->Args({tokens, adapters});
}
void denseShapes(benchmark::internal::Benchmark *b) {
  for (int64_t tokens : {1, 16, 256, 1024, 4096})
    b->Args({tokens});
}

BENCHMARK(BM_Lora)->ArgNames({"tokens", "adapters", "bgmv"})->Apply(shapes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoopOfGemms)->ArgNames({"tokens", "adapters"})->Apply(loopShapes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseGemm)->ArgNames({"tokens"})->Apply(denseShapes)->Unit(benchmark::kMillisecond);

/// Seconds per iteration of every run, by name, for the summary.
std::map<std::string, double> gSeconds;
class Summary : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run &run : runs)
      gSeconds[run.benchmark_name()] = run.GetAdjustedRealTime() / 1e3; // ms -> s
  }
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  Summary reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nmulti-LoRA shrink + expand, bf16, H = H_out = %lld, rank %lld (time in ms; ratio < 1: faster)\n",
              static_cast<long long>(kHidden), static_cast<long long>(kRank));
  std::printf("%-8s %-9s %10s %10s %12s %12s %14s %14s\n", "tokens", "adapters", "SGMV", "BGMV", "loop", "dense",
              "SGMV/loop", "SGMV/dense");
  for (auto [tokens, adapters] : kShapes) {
    auto at = [&](const std::string &name) {
      auto it = gSeconds.find(name);
      return it == gSeconds.end() ? 0.0 : it->second * 1e3;
    };
    std::string t = std::to_string(tokens), a = std::to_string(adapters);
    double sgmv = at("BM_Lora/tokens:" + t + "/adapters:" + a + "/bgmv:0");
    double bgmv = at("BM_Lora/tokens:" + t + "/adapters:" + a + "/bgmv:1");
    double loop = at("BM_LoopOfGemms/tokens:" + t + "/adapters:" + a);
    double dense = at("BM_DenseGemm/tokens:" + t);
    std::printf("%-8lld %-9lld %10.3f %10.3f %12.3f %12.3f %14.2f %14.2f\n", static_cast<long long>(tokens),
                static_cast<long long>(adapters), sgmv, bgmv, loop, dense, loop > 0 ? sgmv / loop : 0,
                dense > 0 ? sgmv / dense : 0);
  }
  benchmark::Shutdown();
  return 0;
}
