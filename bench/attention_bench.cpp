// Attention forward on the CPU (f32 and bf16 inputs), in GFLOP/s, against the CPU GEMM
// rate measured in the same run (Tegula's f32 GEMM and OpenBLAS sgemm at 1024^3).
// FLOPs: 4 B H Sq Skv D (two products), halved when causal.
//
// Expected before running: each key step is two tile dots of the GEMM's microkernel
// (64 x D by D x 64, then 64 x 64 by 64 x D) plus the softmax's exp, max and sums over
// 64 x 64 scores, which the dots do not hide. At D = 128 the dots are 2 x 64 x 64 x 128
// MACs per 4096 exponentials, so attention should reach about half of the GEMM rate; at
// D = 64 the exponentials weigh twice as much per FLOP, so about a third.
#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/reference.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

namespace {

double gGemmRate = 0, gBlasRate = 0;
struct Row {
  std::string name;
  double gflops; ///< FLOP/s, as Google Benchmark reports the rate
};
std::vector<Row> gRows;

void BM_GemmBaseline(benchmark::State &state) {
  const int64_t n = 1024;
  Buffer a(DType::F32, n * n), b(DType::F32, n * n), c(DType::F32, n * n);
  fill_uniform(a, 1);
  fill_uniform(b, 2);
  Gemm gemm(DType::F32);
  for (auto _ : state)
    gemm(a, b, c, n, n, n);
  double seconds = 0;
  {
    // One more timed launch for the rate used in the summary.
    auto start = std::chrono::steady_clock::now();
    gemm(a, b, c, n, n, n);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  gGemmRate = 2.0 * n * n * n / seconds / 1e9;
  auto start = std::chrono::steady_clock::now();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.as<float>().data(), n,
              b.as<float>().data(), n, 0.0f, c.as<float>().data(), n);
  gBlasRate = 2.0 * n * n * n / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 1e9;
  state.counters["GFLOP/s"] = gGemmRate;
  state.counters["OpenBLAS_GFLOP/s"] = gBlasRate;
}
BENCHMARK(BM_GemmBaseline)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Attention(benchmark::State &state) {
  const int64_t B = state.range(0), H = state.range(1), S = state.range(2);
  const int D = static_cast<int>(state.range(3));
  const bool causal = state.range(4) != 0;
  const DType dtype = state.range(5) ? DType::BF16 : DType::F32;
  Attention attention(dtype, "cpu", {}, default_attention_config("cpu", D, causal, false));
  Buffer q(dtype, B * S * H * D), k(dtype, B * S * H * D), v(dtype, B * S * H * D), out(dtype, B * S * H * D);
  fill_uniform(q, 1);
  fill_uniform(k, 2);
  fill_uniform(v, 3);
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  for (auto _ : state)
    attention(q, k, v, out, nullptr, B, S, S, H, H, scale);
  double flops = 4.0 * B * H * S * S * D * (causal ? 0.5 : 1.0);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// B, H, S, D, causal, bf16
BENCHMARK(BM_Attention)
    ->ArgNames({"B", "H", "S", "D", "causal", "bf16"})
    ->Args({1, 8, 512, 64, 0, 0})
    ->Args({1, 8, 512, 128, 0, 0})
    ->Args({1, 8, 2048, 64, 0, 0})
    ->Args({1, 8, 2048, 128, 0, 0})
    ->Args({1, 8, 2048, 128, 1, 0})
    ->Args({2, 16, 1024, 64, 0, 0})
    ->Args({4, 32, 512, 128, 1, 0})
    ->Args({1, 8, 4096, 64, 1, 0})
    ->Args({1, 8, 2048, 128, 0, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

/// Collects each attention row's rate for the summary after the run.
class Summary : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run &run : runs) {
      auto it = run.counters.find("GFLOP/s");
      if (it != run.counters.end() && run.benchmark_name().rfind("BM_Attention", 0) == 0)
        gRows.push_back({run.benchmark_name().substr(13), it->second.value});
    }
  }
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  Summary reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nattention on the CPU against the GEMM rate of this run (Tegula f32 GEMM %.1f GFLOP/s, "
              "OpenBLAS %.1f GFLOP/s at 1024^3)\n",
              gGemmRate, gBlasRate);
  std::printf("%-52s %10s %12s %12s\n", "case", "GFLOP/s", "of GEMM", "of OpenBLAS");
  for (const Row &r : gRows)
    std::printf("%-52s %10.1f %11.1f%% %11.1f%%\n", r.name.c_str(), r.gflops / 1e9,
                100.0 * r.gflops / 1e9 / gGemmRate, 100.0 * r.gflops / 1e9 / gBlasRate);
  benchmark::Shutdown();
  return 0;
}
