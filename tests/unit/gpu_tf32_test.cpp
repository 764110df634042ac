// f32 dots whose input precision allows tf32 run on NVIDIA's mma.sync m16n8k8 (A by
// ldmatrix, B by ldmatrix where it is kept N x K and by 32-bit loads where it is K x N,
// each element rounded to tf32; shared memory read without bank conflicts), checked on gpu-emu:sm_80 against fp64 with the bound
// of inputs rounded to 10 mantissa bits. The same GEMM without tf32 keeps exact
// products on the vector units, and gives other answers; AMD has no tf32 instruction
// here, so its f32 dots stay exact whatever the kernel allows.
#include "backends/gpu-emu/sim/Interpreter.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/reference.h"

#include "../e2e/testing.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// Whether the last gpu-emu launch read shared memory with ldmatrix.
bool used_ldmatrix() {
  for (const auto &[site, x] : gpuemu::last_report().shared)
    if (site.find("nvgpu.ldmatrix") != std::string::npos)
      return true;
  return false;
}

/// The GEMM bound plus what rounding A's and B's elements to tf32 may add: 2^-11 of
/// each, so about twice that of each product's magnitude (doubled again for the sums).
std::vector<double> tf32_bound(const std::vector<double> &magnitude, int64_t K) {
  std::vector<double> bound = gemm_bound(magnitude, K);
  for (size_t i = 0; i < bound.size(); ++i)
    bound[i] += 4 * std::ldexp(1.0, -11) * magnitude[i];
  return bound;
}

struct AbtConfig {
  int BM = 64, BN = 64, BK = 32, stages = 1;
};

/// C = A B^T with B's memory [N, K]: B reaches the dot as the transpose of a load, as
/// attention's K does.
void abt_kernel(dsl::Ptr<dsl::f32> a, dsl::Ptr<dsl::f32> b, dsl::Ptr<dsl::f32> c, dsl::Int M, dsl::Int N, dsl::Int K,
                AbtConfig cfg) {
  using namespace tegula::dsl;
  num_warps(4);
  if (cfg.stages > 1)
    num_stages(cfg.stages);
  assume_multiple_of(K, 4);
  assume_multiple_of(a, 16);
  assume_multiple_of(b, 16);
  Int row = program_id(0) * cfg.BM, col = program_id(1) * cfg.BN;
  auto a_desc = make_desc(a, {M, K}, {K, 1}, {cfg.BM, cfg.BK});
  auto bt_desc = make_desc(b, {N, K}, {K, 1}, {cfg.BN, cfg.BK});
  auto acc = zeros<f32>({cfg.BM, cfg.BN});
  for (auto k : range(0, K, cfg.BK).carry(acc))
    acc = dot(a_desc.load({row, k}), trans(bt_desc.load({col, k})), acc, Precision::TF32);
  store(make_desc(c, {M, N}, {N, 1}, {cfg.BM, cfg.BN}), {row, col}, acc);
}

} // namespace

TEST_CASE("an f32 GEMM that allows tf32 runs on mma.sync m16n8k8 on sm_80, pipelined or not", "[gpu-emu][dot][tf32]") {
  // M and N no multiples of the block; K = 8, 40 and 200 are 1, 2 and 7 steps of 32.
  const int64_t M = 70, N = 72;
  for (int stages : {1, 2, 3})
    for (int64_t K : {8, 40, 200}) {
      const std::string what = std::to_string(stages) + " stages, K = " + std::to_string(K);
      INFO(what);
      GemmConfig config{64, 64, 32};
      config.num_warps = 4;
      config.num_stages = stages;
      config.kn_multiple = 8;
      config.allow_tf32 = true;
      Buffer a = testing::random_buffer(DType::F32, M * K, what + " a");
      Buffer b = testing::random_buffer(DType::F32, K * N, what + " b");
      Buffer c(DType::F32, static_cast<size_t>(M * N)), exact(DType::F32, static_cast<size_t>(M * N));
      c.fill_bytes(0xFF);
      Gemm(DType::F32, "gpu-emu:sm_80", {}, config)(a, b, c, M, N, K);
      CHECK(used_ldmatrix());
      // A by ldmatrix, B's single words: no bank conflicts in either.
      for (const auto &[site, x] : gpuemu::last_report().shared) {
        INFO(site << ": " << x.sectors << " wavefronts for " << x.ideal);
        CHECK(x.sectors <= x.ideal);
      }
      std::vector<double> magnitude;
      std::vector<double> ref = reference_gemm(a, b, M, N, K, &magnitude);
      CHECK(check(c, ref, tf32_bound(magnitude, K)).ok());
      // Without tf32: exact products on FMAs, within the f32 bound, and not the same bits.
      config.allow_tf32 = false;
      exact.fill_bytes(0xFF);
      Gemm(DType::F32, "gpu-emu:sm_80", {}, config)(a, b, exact, M, N, K);
      CHECK_FALSE(used_ldmatrix());
      CHECK(check(exact, ref, gemm_bound(magnitude, K)).ok());
      bool differs = false;
      for (int64_t i = 0; i < M * N; ++i)
        differs = differs || c.as<float>()[i] != exact.as<float>()[i];
      CHECK(differs);
    }
}

TEST_CASE("a tf32 dot whose B is a transposed load matches the reference, pipelined or not", "[gpu-emu][dot][tf32]") {
  // Pipelined, B's buffer holds its columns as rows (N x K) and ldmatrix reads them;
  // in one stage the transposed registers are staged K x N and read by 32-bit loads.
  const int64_t M = 45, N = 100;
  for (int stages : {1, 2})
    for (int64_t K : {12, 100}) {
      const std::string what = std::to_string(stages) + " stages, K = " + std::to_string(K);
      INFO(what);
      AbtConfig cfg;
      cfg.stages = stages;
      auto kernel = compile("abt_tf32", &abt_kernel, "gpu-emu:sm_80", cfg);
      Buffer a = testing::random_buffer(DType::F32, M * K, what + " a");
      Buffer b = testing::random_buffer(DType::F32, N * K, what + " b");
      Buffer c(DType::F32, static_cast<size_t>(M * N));
      c.fill_bytes(0xFF);
      kernel->launch(Grid((M + cfg.BM - 1) / cfg.BM, (N + cfg.BN - 1) / cfg.BN), a, b, c, M, N, K);
      CHECK(used_ldmatrix());
      std::vector<double> ref(static_cast<size_t>(M * N)), magnitude(ref.size());
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j)
          for (int64_t k = 0; k < K; ++k) {
            const double p = double{a.as<float>()[i * K + k]} * double{b.as<float>()[j * K + k]};
            ref[i * N + j] += p;
            magnitude[i * N + j] += std::fabs(p);
          }
      CHECK(check(c, ref, tf32_bound(magnitude, K)).ok());
    }
}

TEST_CASE("AMD's f32 dots stay exact when the kernel allows tf32", "[gpu-emu][dot][tf32]") {
  const int64_t M = 70, N = 72, K = 40;
  GemmConfig config = default_gemm_config("gpu-emu:gfx942");
  config.allow_tf32 = true;
  Buffer a = testing::random_buffer(DType::F32, M * K, "gfx942 tf32 a");
  Buffer b = testing::random_buffer(DType::F32, K * N, "gfx942 tf32 b");
  Buffer c(DType::F32, static_cast<size_t>(M * N));
  c.fill_bytes(0xFF);
  Gemm(DType::F32, "gpu-emu:gfx942", {}, config)(a, b, c, M, N, K);
  std::vector<double> magnitude;
  std::vector<double> ref = reference_gemm(a, b, M, N, K, &magnitude);
  CHECK(check(c, ref, gemm_bound(magnitude, K)).ok());
}
