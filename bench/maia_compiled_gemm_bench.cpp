// The library GEMM compiled for Maia (the same source as on the CPU), run on the
// simulator in timing-only mode, as a fraction of its own roofline bound: the bytes
// its blocks move over HBM bandwidth, or its FLOPs over the tensor units of the tiles
// it keeps busy (backends/maia/reference/gemm_program.h). The hand-scheduled program
// of bench_maia_gemm is the ceiling it is compared with.
//
// Expected before running: with the K loop software-pipelined, each tile keeps one
// DMA in flight while its tensor unit works, so the kernel is bound by HBM. Every
// command pays the DMA latency (400 cycles) in turn on its tile's queue; with BK = 64
// two 16 KiB slices per step take ~1750 cycles of shared bandwidth at 64 tiles, so the
// latency alone costs ~30% at 128x128x64; at 256x256x64 the per-step transfer is twice
// as long and the loss about half that.
//
// Shared rows: the compiler runs the grid as 2x2 squares per cluster and fetches each
// A and B slice once per pair into cluster SRAM; the bound counts half the operand
// bytes. Expected before running: near the hand-scheduled shared program (82% of the
// raised bound at 4096^3, 512 blocks), a little below it, as each step's copies from
// CSRAM (64 cycles of latency plus 128 KiB at a quarter of the cluster's 1024 B/cycle)
// are not overlapped with the tensor unit, which waits for them.
#include "backends/maia/reference/gemm_program.h"
#include "tegula/maia/driver.h"
#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/maia/simulator.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace tegula;
using namespace tegula::maia;

namespace {

struct Row {
  int64_t n;
  kernels::GemmConfig cfg;
  bool shared = false;
  double cycles = 0, bound = 0, peak_fraction = 0;
};
std::vector<Row> gRows;

/// Runs `program` on n x n x n operands of `bytes` per element (C in f32) in
/// timing-only mode, once per benchmark iteration.
SimStats simulate(benchmark::State &state, Simulator &sim, const Program &program, int64_t n, int64_t block,
                  int64_t bytes) {
  uint64_t a = sim.hbm().allocate(n * n * bytes, "a", false), b = sim.hbm().allocate(n * n * bytes, "b", false),
           c = sim.hbm().allocate(n * n * 4, "c", false);
  SimOptions options;
  options.functional = false;
  options.check_races = false;
  SimStats stats;
  const int64_t blocks = (n + block - 1) / block;
  for (auto _ : state)
    stats = sim.run(program, {blocks, blocks, 1},
                    {static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c), n, n, n}, options);
  return stats;
}

void BM_MaiaCompiledGemm(benchmark::State &state) {
  int64_t n = state.range(0);
  int block = static_cast<int>(state.range(1));
  kernels::GemmConfig cfg{block, block, static_cast<int>(state.range(2))};
  const std::string target = state.range(3) != 0 ? "maia" : "maia:cluster-sharing=off";
  auto compiled = compile_traced(kernels::trace_gemm(DType::BF16, cfg), target);
  const Program &program = *program_of(compiled->kernel());
  Simulator sim;
  SimStats stats = simulate(state, sim, program, n, cfg.BM, 2);
  GemmProgramConfig roofCfg;
  roofCfg.M = roofCfg.N = roofCfg.K = n;
  roofCfg.BM = cfg.BM;
  roofCfg.BN = cfg.BN;
  roofCfg.BK = cfg.BK;
  roofCfg.cluster_shared = program.grid_mapping == GridMapping::ClusterSquares;
  GemmRoofline roof = gemm_roofline(roofCfg, sim.spec());
  double peakCycles = roof.flops / (sim.spec().peak_bf16_flops() / (sim.spec().clock_ghz * 1e9));
  state.counters["sim_cycles"] = stats.cycles;
  state.counters["roofline_fraction"] = roof.bound_cycles / stats.cycles;
  state.counters["TFLOP/s"] = roof.flops / (stats.cycles / (sim.spec().clock_ghz * 1e9)) / 1e12;
  gRows.push_back({n, cfg, roofCfg.cluster_shared, stats.cycles, roof.bound_cycles, peakCycles / stats.cycles});
}

BENCHMARK(BM_MaiaCompiledGemm)
    ->ArgNames({"n", "block", "BK", "shared"})
    ->Args({1024, 128, 64, 0})
    ->Args({1024, 128, 128, 0})
    ->Args({1024, 128, 128, 1})
    ->Args({2048, 128, 64, 0})
    ->Args({2048, 256, 64, 0})
    ->Args({2048, 256, 128, 0})
    ->Args({2048, 256, 128, 1})
    ->Args({4096, 256, 64, 0})
    ->Args({4096, 256, 128, 0})
    ->Args({4096, 256, 128, 1})
    ->Args({4096, 512, 64, 0})
    ->Args({4096, 512, 128, 0})
    ->Args({4096, 512, 128, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// f32 on the vector unit: the tensor unit multiplies bf16 only, so each step along K is
// one rank-1 update (vt.ger) of the whole BM x BN block, after one transpose of the A
// slice. Its bound is the vector unit's: M N K multiply-adds at tvp_lanes per cycle on
// every tile the grid keeps busy. Expected before running: a 128x128 block's update is
// 256 lane groups plus the 8-cycle latency, so the steps alone reach ~97% of that bound;
// the A transposes (1/128 of the work) and the DMAs, which the K loop prefetches behind
// the updates, should leave it near 90%. The bf16 kernel on the tensor unit is 16x16
// MACs per cycle per tile against 64 lanes: 64 times the vector unit's peak.
struct VectorRow {
  int64_t n;
  kernels::GemmConfig cfg;
  double cycles = 0, bound = 0;
};
std::vector<VectorRow> gVectorRows;

void BM_MaiaCompiledGemmF32(benchmark::State &state) {
  const int64_t n = state.range(0);
  kernels::GemmConfig cfg{static_cast<int>(state.range(1)), static_cast<int>(state.range(1)),
                          static_cast<int>(state.range(2))};
  auto compiled = compile_traced(kernels::trace_gemm(DType::F32, cfg), "maia:cluster-sharing=off");
  const Program &program = *program_of(compiled->kernel());
  Simulator sim;
  SimStats stats = simulate(state, sim, program, n, cfg.BM, 4);
  const int64_t blocks = (n + cfg.BM - 1) / cfg.BM;
  const double tiles = std::min<double>(static_cast<double>(blocks * blocks), sim.spec().tiles());
  const double bound = static_cast<double>(n) * n * n / (sim.spec().tvp_lanes * tiles);
  state.counters["sim_cycles"] = stats.cycles;
  state.counters["vector_bound_fraction"] = bound / stats.cycles;
  gVectorRows.push_back({n, cfg, stats.cycles, bound});
}

BENCHMARK(BM_MaiaCompiledGemmF32)
    ->ArgNames({"n", "block", "BK"})
    ->Args({1024, 128, 32})
    ->Args({2048, 128, 32})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::printf("\ncompiled library GEMM, bf16, timing-only simulation\n");
  std::printf("%-6s %-13s %-7s %12s %12s %10s %9s\n", "n", "blocks", "shared", "cycles", "bound", "of bound",
              "of peak");
  for (const Row &r : gRows)
    std::printf("%-6lld %4lldx%lldx%-4lld %-7s %12.0f %12.0f %9.1f%% %8.1f%%\n", static_cast<long long>(r.n),
                static_cast<long long>(r.cfg.BM), static_cast<long long>(r.cfg.BN),
                static_cast<long long>(r.cfg.BK), r.shared ? "yes" : "no", r.cycles, r.bound,
                100.0 * r.bound / r.cycles, 100.0 * r.peak_fraction);
  std::printf("\ncompiled library GEMM, f32 on the vector unit, timing-only simulation\n");
  std::printf("%-6s %-13s %12s %12s %10s\n", "n", "blocks", "cycles", "bound", "of bound");
  for (const VectorRow &r : gVectorRows)
    std::printf("%-6lld %4lldx%lldx%-4lld %12.0f %12.0f %9.1f%%\n", static_cast<long long>(r.n),
                static_cast<long long>(r.cfg.BM), static_cast<long long>(r.cfg.BN),
                static_cast<long long>(r.cfg.BK), r.cycles, r.bound, 100.0 * r.bound / r.cycles);
  benchmark::Shutdown();
  return 0;
}
