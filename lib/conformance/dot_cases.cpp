// Conformance cases: dot for every input dtype (f32, f16, bf16 into f32; i8 into i32)
// and, for f32, every input precision, in a K loop with masked edges.
#include "harness.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

struct DotCfg {
  Precision precision;
  int BM, BN, BK;
};

/// c[M,N] = a[M,K] b[K,N] + 1, with a K loop over masked blocks (edges load zeros).
template <DotInputDType T> void dot_kernel(Ptr<T> a, Ptr<T> b, Ptr<f32> c, Int M, Int N, Int K, DotCfg cfg) {
  auto rm = program_id(0) * cfg.BM + arange(cfg.BM);
  auto rn = program_id(1) * cfg.BN + arange(cfg.BN);
  auto acc = full<f32>({cfg.BM, cfg.BN}, 1.0);
  for (auto k : range(0, K, cfg.BK).carry(acc)) {
    auto rk = k + arange(cfg.BK);
    auto x = load(a + rm.col() * K + rk.row(), rm.col() < M && rk.row() < K, 0.0);
    auto y = load(b + rk.col() * N + rn.row(), rk.col() < K && rn.row() < N, 0.0);
    acc = dot(x, y, acc, cfg.precision);
  }
  store(c + rm.col() * N + rn.row(), acc, rm.col() < M && rn.row() < N);
}

void i8_dot_kernel(Ptr<i8> a, Ptr<i8> b, Ptr<i32> c, Int M, Int N, Int K, DotCfg cfg) {
  auto rm = program_id(0) * cfg.BM + arange(cfg.BM);
  auto rn = program_id(1) * cfg.BN + arange(cfg.BN);
  auto acc = zeros<i32>({cfg.BM, cfg.BN});
  for (auto k : range(0, K, cfg.BK).carry(acc)) {
    auto rk = k + arange(cfg.BK);
    auto x = load(a + rm.col() * K + rk.row(), rm.col() < M && rk.row() < K, 0.0);
    auto y = load(b + rk.col() * N + rn.row(), rk.col() < K && rn.row() < N, 0.0);
    acc = dot(x, y, acc);
  }
  store(c + rm.col() * N + rn.row(), acc, rm.col() < M && rn.row() < N);
}

void run_dot(Run &run, Precision precision) {
  const int64_t M = run.shape[0], N = run.shape[1], K = run.shape[2];
  const DotCfg cfg{precision, 16, 32, 16};
  const Grid grid(cdiv(M, cfg.BM), cdiv(N, cfg.BN));
  if (run.dtype == DType::I8) {
    Buffer a = run.input(M * K, -128, 128), b = run.input(N * K, -128, 128), c = run.output(DType::I32, M * N);
    auto k = run.compile("dot_i8", &i8_dot_kernel, cfg);
    run.launch(*k, grid, a, b, c, M, N, K);
    std::vector<double> ref = kernels::reference_gemm(a, b, M, N, K);
    run.expect_exact(c, ref);
    return;
  }
  with_float(run.dtype, [&]<typename T>() {
    if constexpr (DotInputDType<T>) {
      Buffer a = run.input(M * K), b = run.input(K * N), c = run.output(DType::F32, M * N);
      auto k = run.compile("dot", &dot_kernel<T>, cfg);
      run.launch(*k, grid, a, b, c, M, N, K);
      std::vector<double> mag;
      std::vector<double> ref = kernels::reference_gemm(a, b, M, N, K, &mag);
      for (double &r : ref)
        r += 1;
      for (double &m : mag)
        m += 1;
      std::vector<double> bound = kernels::gemm_bound(mag, K);
      // TF32 may round each input to 10 mantissa bits (2^-11 each); TF32x3 keeps
      // about f32's precision.
      if (precision == Precision::TF32)
        for (size_t i = 0; i < bound.size(); ++i)
          bound[i] += 2 * 2 * std::ldexp(1.0, -11) * mag[i];
      run.expect(c, ref, bound);
    }
  });
}

} // namespace

void add_dot_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> shapes = {{37, 45, 50}, {1, 1, 1}};
  cases.push_back({"dot.ieee", "dot", {DType::F32, DType::F16, DType::BF16, DType::I8}, shapes,
                   [](Run &r) { run_dot(r, Precision::IEEE); }});
  cases.push_back({"dot.tf32", "dot", {DType::F32}, shapes, [](Run &r) { run_dot(r, Precision::TF32); }});
  cases.push_back({"dot.tf32x3", "dot", {DType::F32}, shapes, [](Run &r) { run_dot(r, Precision::TF32x3); }});
}

} // namespace tegula::conformance
