// CPU GEMM (f32) against OpenBLAS sgemm in the same run, at 256..2048 on 1 and 2
// threads. Prints Google Benchmark's table, then GFLOP/s side by side and the ratio.
//
// Expectation written before optimizing the dot lowering: the naive linalg.matmul ->
// scalar loops path runs at 2-4 GFLOP/s (no vector FMAs, C reloaded every k); the
// register-tiled microkernel (8x32 C block in 16 zmm, one broadcast of A and two loads
// of B per k) should reach 40-60% of one core's OpenBLAS, limited by the scalar
// gathers that read the A and B blocks.
#include "tegula/kernels/library.h"
#include "tegula/kernels/reference.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cstdio>
#include <map>
#include <memory>

using namespace tegula;

namespace {

struct Operands {
  Buffer a, b, c;
  explicit Operands(int64_t n) : a(DType::F32, n * n), b(DType::F32, n * n), c(DType::F32, n * n) {
    kernels::fill_uniform(a, 1);
    kernels::fill_uniform(b, 2);
  }
};

Operands &operands(int64_t n) {
  static std::map<int64_t, std::unique_ptr<Operands>> cache;
  auto &slot = cache[n];
  if (!slot)
    slot = std::make_unique<Operands>(n);
  return *slot;
}

const kernels::Gemm &tegula_gemm() {
  static kernels::Gemm gemm(DType::F32);
  return gemm;
}

void set_flops(benchmark::State &state, int64_t n) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_TegulaSgemm(benchmark::State &state) {
  int64_t n = state.range(0);
  LaunchOptions launch;
  launch.threads = static_cast<int>(state.range(1));
  Operands &op = operands(n);
  const kernels::Gemm &gemm = tegula_gemm();
  for (auto _ : state) {
    gemm(op.a, op.b, op.c, n, n, n, launch);
    benchmark::DoNotOptimize(op.c.data());
  }
  set_flops(state, n);
}

void BM_OpenBlasSgemm(benchmark::State &state) {
  int64_t n = state.range(0);
  openblas_set_num_threads(static_cast<int>(state.range(1)));
  Operands &op = operands(n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n), static_cast<int>(n),
                static_cast<int>(n), 1.0f, op.a.as<float>().data(), static_cast<int>(n), op.b.as<float>().data(),
                static_cast<int>(n), 0.0f, op.c.as<float>().data(), static_cast<int>(n));
    benchmark::DoNotOptimize(op.c.data());
  }
  set_flops(state, n);
}

void sizes(benchmark::internal::Benchmark *b) {
  for (int threads : {1, 2})
    for (int n : {256, 512, 1024, 2048})
      b->Args({n, threads});
  b->ArgNames({"n", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_TegulaSgemm)->Apply(sizes);
BENCHMARK(BM_OpenBlasSgemm)->Apply(sizes);

/// Keeps each run's GFLOP/s so the ratio table can be printed after the runs.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &run : runs) {
      auto it = run.counters.find("GFLOP/s");
      if (it != run.counters.end() && run.run_type == Run::RT_Iteration)
        gflops_[run.benchmark_name()] = it->second.value / 1e9;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    std::printf("\n%-6s %-8s %14s %14s %8s\n", "n", "threads", "tegula GF/s", "openblas GF/s", "ratio");
    for (int threads : {1, 2})
      for (int n : {256, 512, 1024, 2048}) {
        std::string suffix = "/n:" + std::to_string(n) + "/threads:" + std::to_string(threads) + "/real_time";
        auto t = gflops_.find("BM_TegulaSgemm" + suffix), o = gflops_.find("BM_OpenBlasSgemm" + suffix);
        if (t == gflops_.end() || o == gflops_.end())
          continue;
        std::printf("%-6d %-8d %14.1f %14.1f %8.2f\n", n, threads, t->second, o->second, t->second / o->second);
      }
  }

private:
  std::map<std::string, double> gflops_;
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
