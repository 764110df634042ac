// Multi-LoRA BGMV (per-token adapters; bf16, H = H_out = 4096, rank 16) compiled for
// Maia, run on the simulator (functional: the kernels read their indices), shrink and
// expand, as a fraction of the roofline bound: the work is memory-bound, so the bound is
// the HBM time for the bytes the two kernels must move (each token's x row, its
// adapter's A and B, t written and read, y read and written).
//
// Expected before running: one token per program instance, so each instance streams its
// adapter's 128 KiB of A (shrink) or a 64-column slice of B (expand) with one DMA per
// step and little to overlap it with; with 64 tiles sharing HBM the kernels should still
// reach a large part of the bandwidth, limited by the DMA latency of the many short
// transfers: about half of the bound.
#include "tegula/maia/driver.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/reference.h"
#include "tegula/maia/machine.h"
#include "tegula/runtime/device.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

namespace {

constexpr int64_t kHidden = 4096, kRank = 16;

struct Row {
  int64_t tokens, adapters;
  double cycles, bound;
};
std::vector<Row> gRows;

void BM_MaiaBgmv(benchmark::State &state) {
  const int64_t tokens = state.range(0), adapters = state.range(1);
  const maia::MachineSpec spec = maia::MachineSpec::defaults();
  Device device = maia::sim_device(spec);
  Buffer a = device.allocate(DType::BF16, adapters * kRank * kHidden),
         b = device.allocate(DType::BF16, adapters * kHidden * kRank), ranks = device.allocate(DType::I32, adapters),
         scales = device.allocate(DType::F32, adapters), ids = device.allocate(DType::I32, tokens),
         x = device.allocate(DType::BF16, tokens * kHidden), t = device.allocate(DType::F32, tokens * kRank),
         y = device.allocate(DType::BF16, tokens * kHidden);
  fill_uniform(a, 1);
  fill_uniform(b, 2);
  fill_uniform(scales, 3, 0.5, 1.0);
  fill_uniform(x, 4);
  fill_uniform(y, 5);
  for (int64_t i = 0; i < adapters; ++i)
    ranks.as<int32_t>()[i] = kRank;
  for (int64_t j = 0; j < tokens; ++j)
    ids.as<int32_t>()[j] = static_cast<int32_t>(j % adapters);
  LoraWeights weights{&a, &b, &ranks, &scales, adapters, kRank};
  LoraConfig config = default_lora_config("maia", LoraForm::Gathered, kRank);
  LoraShrink shrink(DType::BF16, "maia", {}, config);
  LoraExpand expand(DType::BF16, "maia", {}, config);
  double cycles = 0;
  for (auto _ : state) {
    shrink(x, weights, LoraMapping::gathered(ids), t, tokens, kHidden);
    cycles = last_simulated_launch().cycles;
    expand(t, weights, LoraMapping::gathered(ids), y, tokens, kHidden);
    cycles += last_simulated_launch().cycles;
  }
  // Per token: x (H bf16), A_i (r x H bf16), t (r f32, written and read), B_i (H x r
  // bf16), y (H bf16, read and written).
  const double bytes = tokens * (kHidden * 2.0 + kRank * kHidden * 2.0 + 2 * kRank * 4.0 + kHidden * kRank * 2.0 +
                                 2 * kHidden * 2.0);
  const double bound = bytes / spec.hbm_bytes_per_cycle();
  state.counters["sim_cycles"] = cycles;
  state.counters["roofline_fraction"] = bound / cycles;
  gRows.push_back({tokens, adapters, cycles, bound});
}

BENCHMARK(BM_MaiaBgmv)
    ->ArgNames({"tokens", "adapters"})
    ->Args({64, 1})
    ->Args({64, 64})
    ->Args({256, 16})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::printf("\nBGMV shrink + expand (bf16, H = %lld, rank %lld) on maia-sim against the HBM bound\n",
              static_cast<long long>(kHidden), static_cast<long long>(kRank));
  std::printf("%-8s %-9s %12s %12s %9s\n", "tokens", "adapters", "cycles", "bound", "of bound");
  for (const Row &r : gRows)
    std::printf("%-8lld %-9lld %12.0f %12.0f %8.1f%%\n", static_cast<long long>(r.tokens),
                static_cast<long long>(r.adapters), r.cycles, r.bound, 100.0 * r.bound / r.cycles);
  benchmark::Shutdown();
  return 0;
}
