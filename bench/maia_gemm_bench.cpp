// The hand-scheduled bf16 GEMM on the simulated Maia-style machine, as a fraction of
// its own roofline bound (backends/maia/reference/gemm_program.h), and the simulator's
// speed (simulated MACs per second of host time), functional and timing-only.
//
// Expected before running: blocks of 512x512x128 read 2*BK*(BM+BN) bytes per
// 2*BM*BN*BK FLOPs = 256 FLOP/byte, below the chip's ridge (~437), so 4096^3 is
// memory-bound at ~59% of peak; the double buffering should hide all but the first
// slice's DMA and the C write-back, i.e. >= 85% of the bound.
//
// With operands shared through cluster SRAM (each slice read from HBM once for the two
// blocks of the cluster's 2x2 square that use it), intensity doubles to 512 FLOP/byte,
// above the ridge: the bound becomes the tensor units' time, 1.92x lower than the
// HBM-bound one at 4096^3. Expected: the barrier and the CSRAM-to-TSRAM copy each step
// sit between a slice's arrival and its mma, so somewhat below the unshared fraction.
#include "backends/maia/reference/gemm_program.h"
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <vector>

using namespace tegula::maia;

namespace {

struct Row {
  int64_t n;
  GemmProgramConfig cfg;
  double cycles = 0, bound = 0, peak_fraction = 0;
  bool functional = false;
};
std::vector<Row> gRows;

GemmProgramConfig config_for(int64_t n) {
  GemmProgramConfig cfg;
  cfg.M = cfg.N = cfg.K = n;
  // Blocks as large as TSRAM allows (intensity), but at least one per tile when the
  // matrix is large enough (all 64 tensor units busy).
  cfg.BM = cfg.BN = n >= 4096 ? 512 : n >= 2048 ? 256 : 128;
  cfg.BK = 128;
  return cfg;
}

void run(benchmark::State &state, bool functional, bool shared = false) {
  int64_t n = state.range(0);
  GemmProgramConfig cfg = config_for(n);
  cfg.cluster_shared = shared;
  Simulator sim;
  uint64_t a = sim.hbm().allocate(n * n * 2, "a", functional), b = sim.hbm().allocate(n * n * 2, "b", functional),
           c = sim.hbm().allocate(n * n * 4, "c", functional);
  Program program = assemble(shared ? gemm_shared_program(cfg, sim.spec()) : gemm_program(cfg, sim.spec()));
  std::array<int64_t, 3> grid = shared ? std::array<int64_t, 3>{4, n / (2 * cfg.BN), n / (2 * cfg.BM)}
                                       : std::array<int64_t, 3>{n / cfg.BN, n / cfg.BM, 1};
  SimOptions options;
  options.functional = functional;
  options.check_races = functional;
  SimStats stats;
  for (auto _ : state)
    stats = sim.run(program, grid,
                    {static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c)}, options);
  GemmRoofline roof = gemm_roofline(cfg, sim.spec());
  double peakCycles = roof.flops / (sim.spec().peak_bf16_flops() / (sim.spec().clock_ghz * 1e9));
  state.counters["sim_cycles"] = stats.cycles;
  state.counters["roofline_fraction"] = roof.bound_cycles / stats.cycles;
  state.counters["TFLOP/s"] = roof.flops / (stats.cycles / (sim.spec().clock_ghz * 1e9)) / 1e12;
  state.counters["sim_MACs/s"] =
      benchmark::Counter(static_cast<double>(stats.macs), benchmark::Counter::kIsIterationInvariantRate);
  gRows.push_back({n, cfg, stats.cycles, roof.bound_cycles, peakCycles / stats.cycles, functional});
}

void BM_MaiaGemmTiming(benchmark::State &state) { run(state, false); }
void BM_MaiaGemmFunctional(benchmark::State &state) { run(state, true); }
void BM_MaiaGemmSharedTiming(benchmark::State &state) { run(state, false, true); }

BENCHMARK(BM_MaiaGemmTiming)->Arg(1024)->Arg(2048)->Arg(4096)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_MaiaGemmSharedTiming)->Arg(1024)->Arg(2048)->Arg(4096)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_MaiaGemmFunctional)->Arg(512)->Unit(benchmark::kMillisecond)->Iterations(1);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::printf("\n%-6s %-10s %-7s %-13s %12s %12s %10s %9s\n", "n", "mode", "shared", "blocks", "cycles", "bound",
              "of bound", "of peak");
  for (const Row &r : gRows)
    std::printf("%-6lld %-10s %-7s %4lldx%lldx%-4lld %12.0f %12.0f %9.1f%% %8.1f%%\n", static_cast<long long>(r.n),
                r.functional ? "functional" : "timing", r.cfg.cluster_shared ? "cluster" : "no", static_cast<long long>(r.cfg.BM),
                static_cast<long long>(r.cfg.BN), static_cast<long long>(r.cfg.BK), r.cycles, r.bound,
                100.0 * r.bound / r.cycles, 100.0 * r.peak_fraction);
  benchmark::Shutdown();
  return 0;
}
