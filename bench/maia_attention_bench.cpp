// Attention (bf16) compiled for Maia from the library source, run on the simulator
// (functional: the kernel reads its sequence offsets, so a timing-only run would see
// empty sequences), as a fraction of its roofline bound on the default machine: the
// larger of the tensor units' time for the two products (4 B H S^2 D FLOPs, half when
// causal, spread over the tiles the grid keeps busy) and the HBM time for the bytes the
// kernel moves (Q once, K and V once per block of BM queries, the output once).
//
// Expected before running: each key step issues two small products (64 x D x BN and
// 64 x BN x D) and then about ten vector commands over the 64 x BN scores (scale,
// masks, max, subtract, exp, sums, rescale), which run one after another on one tile's
// vector unit. With BN = 32..64 the vector work is comparable to the tensor work, so
// the kernel should reach a third to a half of its (compute) bound. (Measured: the
// bound is HBM's, as every block of 64 queries reads all of K and V again; with 64-key
// steps the kernel reached 45-50% of it, with the Maia rule's 128-key steps 53-71%;
// causal 31%, its diagonal blocks leaving tiles idle.)
#include "tegula/maia/driver.h"
#include "tegula/kernels/attention.h"
#include "tegula/kernels/reference.h"
#include "tegula/maia/machine.h"
#include "tegula/runtime/device.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

namespace {

struct Row {
  std::string name;
  double cycles, bound, tensor, memory;
};
std::vector<Row> gRows;

void BM_MaiaAttention(benchmark::State &state) {
  const int64_t B = state.range(0), H = state.range(1), S = state.range(2);
  const int D = static_cast<int>(state.range(3));
  const bool causal = state.range(4) != 0;
  const maia::MachineSpec spec = maia::MachineSpec::defaults();
  Device device = maia::sim_device(spec);
  AttentionConfig config = default_attention_config("maia", D, causal, false);
  Attention attention(DType::BF16, "maia", {}, config);
  const int64_t n = B * S * H * D;
  Buffer q = device.allocate(DType::BF16, n), k = device.allocate(DType::BF16, n), v = device.allocate(DType::BF16, n),
         out = device.allocate(DType::BF16, n);
  fill_uniform(q, 1);
  fill_uniform(k, 2);
  fill_uniform(v, 3);
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  for (auto _ : state)
    attention(q, k, v, out, nullptr, B, S, S, H, H, scale);
  const double cycles = last_simulated_launch().cycles;

  // The bound.
  const double flops = 4.0 * B * H * S * S * D * (causal ? 0.5 : 1.0);
  const int64_t programs = B * H * ((S + config.BM - 1) / config.BM);
  const double busyTiles = static_cast<double>(std::min<int64_t>(programs, spec.tiles()));
  const double tileFlopsPerCycle = 2.0 * spec.ttu_m * spec.ttu_n * spec.ttu_k;
  const double tensor = flops / (tileFlopsPerCycle * busyTiles);
  const double blocks = static_cast<double>((S + config.BM - 1) / config.BM);
  const double kvFraction = causal ? 0.5 : 1.0;
  const double bytes = B * H * (2.0 * S * D * 2 + blocks * 2.0 * S * D * 2 * kvFraction);
  const double memory = bytes / spec.hbm_bytes_per_cycle();
  const double bound = std::max(tensor, memory);
  state.counters["sim_cycles"] = cycles;
  state.counters["roofline_fraction"] = bound / cycles;
  char name[96];
  std::snprintf(name, sizeof name, "B=%lld H=%lld S=%lld D=%d%s", static_cast<long long>(B),
                static_cast<long long>(H), static_cast<long long>(S), D, causal ? " causal" : "");
  gRows.push_back({name, cycles, bound, tensor, memory});
}

// B, H, S, D, causal: small enough for the functional simulator.
BENCHMARK(BM_MaiaAttention)
    ->ArgNames({"B", "H", "S", "D", "causal"})
    ->Args({1, 8, 512, 64, 0})
    ->Args({1, 8, 512, 128, 0})
    ->Args({1, 8, 1024, 64, 1})
    ->Args({2, 16, 512, 64, 0})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::printf("\nattention (bf16) on maia-sim against its roofline bound (max of tensor-unit and HBM time)\n");
  std::printf("%-30s %12s %12s %12s %12s %9s\n", "case", "cycles", "bound", "tensor", "HBM", "of bound");
  for (const Row &r : gRows)
    std::printf("%-30s %12.0f %12.0f %12.0f %12.0f %8.1f%%\n", r.name.c_str(), r.cycles, r.bound, r.tensor, r.memory,
                100.0 * r.bound / r.cycles);
  benchmark::Shutdown();
  return 0;
}
