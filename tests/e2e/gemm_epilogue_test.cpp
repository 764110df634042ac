// GEMM with a bias and an activation in its epilogue, against act(A B + bias) in fp64.
#include "testing.h"

#include "tegula/kernels/gemm_epilogue.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <array>

using namespace tegula;
using namespace tegula::kernels;

namespace {

void check_epilogue(const std::string &target, DType dtype, bool bias, Activation act, int64_t M, int64_t N,
                    int64_t K, GemmConfig config) {
  config.bias = bias;
  config.activation = act;
  std::string tag = target + " gemm " + std::string(dtype_name(dtype)) + (bias ? " bias " : " ") +
                    activation_name(act) + " " + std::to_string(M) + "x" + std::to_string(N) + "x" +
                    std::to_string(K);
  uint64_t seed = testing::case_seed(tag);
  INFO(tag << " seed " << seed);
  Gemm gemm(dtype, target, {}, config);
  Buffer a(dtype, M * K), b(dtype, K * N), bv(DType::F32, N), c(DType::F32, M * N);
  fill_uniform(a, seed);
  fill_uniform(b, seed + 1);
  fill_uniform(bv, seed + 2, -2.0, 2.0);
  c.fill_bytes(0xFF);
  if (bias)
    gemm(a, b, bv, c, M, N, K);
  else
    gemm(a, b, c, M, N, K);
  std::vector<double> absProduct;
  auto plain = reference_gemm(a, b, M, N, K, &absProduct);
  auto ref = reference_epilogue(plain, bias ? &bv : nullptr, M, N, act);
  auto bound = epilogue_bound(plain, gemm_bound(absProduct, K), bias ? &bv : nullptr, M, N, act);
  auto result = check(c, ref, bound);
  INFO(result.summary());
  CHECK(result.ok());
}

} // namespace

TEST_CASE("gemm epilogues (bias, relu, gelu, silu) match the reference on the CPU", "[e2e][gemm]") {
  for (Activation act : {Activation::None, Activation::Relu, Activation::Gelu, Activation::Silu})
    for (bool bias : {false, true})
      for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {37, 29, 11}, {130, 67, 200}})
        check_epilogue("cpu", DType::F32, bias, act, M, N, K, GemmConfig{32, 32, 16});
  check_epilogue("cpu", DType::BF16, true, Activation::Gelu, 100, 130, 47, GemmConfig{});
  check_epilogue("cpu", DType::F16, true, Activation::Silu, 70, 300, 90, GemmConfig{});
}

TEST_CASE("the epilogue bound rejects a missing bias or a wrong activation", "[e2e][gemm]") {
  const int64_t M = 20, N = 30, K = 40;
  uint64_t seed = testing::case_seed("epilogue mutation");
  INFO("seed " << seed);
  Buffer a(DType::F32, M * K), b(DType::F32, K * N), bv(DType::F32, N), c(DType::F32, M * N);
  fill_uniform(a, seed);
  fill_uniform(b, seed + 1);
  fill_uniform(bv, seed + 2, -2.0, 2.0);
  std::vector<double> absProduct;
  auto plain = reference_gemm(a, b, M, N, K, &absProduct);
  auto ref = reference_epilogue(plain, &bv, M, N, Activation::Gelu);
  auto bound = epilogue_bound(plain, gemm_bound(absProduct, K), &bv, M, N, Activation::Gelu);
  auto noBias = reference_epilogue(plain, nullptr, M, N, Activation::Gelu);
  auto silu = reference_epilogue(plain, &bv, M, N, Activation::Silu);
  for (const auto *wrong : {&noBias, &silu}) {
    for (int64_t i = 0; i < M * N; ++i)
      write_element(c, i, (*wrong)[i]);
    CHECK(!check(c, ref, bound).ok());
  }
}

TEST_CASE("a gemm with a bias is called with one, and without one without", "[e2e][gemm]") {
  GemmConfig config;
  config.bias = true;
  Gemm withBias(DType::F32, "cpu", {}, config);
  Gemm plain(DType::F32);
  Buffer a(DType::F32, 4), b(DType::F32, 4), bv(DType::F32, 2), c(DType::F32, 4);
  CHECK_THROWS_AS(withBias(a, b, c, 2, 2, 2), Error);
  CHECK_THROWS_AS(plain(a, b, bv, c, 2, 2, 2), Error);
  Buffer shortBias(DType::F32, 1);
  CHECK_THROWS_AS(withBias(a, b, shortBias, c, 2, 2, 2), Error);
}

TEST_CASE("on maia every epilogue runs: the bias as a column broadcast, GELU and SiLU on the vector unit", "[e2e][gemm][maia]") {
  for (auto [bias, act] : std::vector<std::pair<bool, Activation>>{{false, Activation::Relu},
                                                                   {true, Activation::None},
                                                                   {false, Activation::Gelu},
                                                                   {true, Activation::Silu}})
    check_epilogue("maia", DType::BF16, bias, act, 130, 70, 200, GemmConfig{128, 128, 128});
}

TEST_CASE("the CPU and maia run a GEMM configured for a GPU: warps, stages and factors change nothing there",
          "[e2e][gemm][maia]") {
  // The GPU configuration for a shape with K and N multiples of 16 carries num_warps,
  // num_stages and kn_multiple (with 16-byte aligned buffers, as the runtime allocates
  // them); the CPU and maia ignore the first two and check the promises at launch.
  const GemmConfig gpu = default_gemm_config("cuda:sm_80", 96, 80, 48);
  REQUIRE(gpu.num_stages == 2);
  REQUIRE(gpu.num_warps == 8);
  REQUIRE(gpu.kn_multiple == 16);
  for (const char *target : {"cpu", "maia"})
    check_epilogue(target, DType::BF16, true, Activation::Relu, 96, 80, 48, gpu);
}
