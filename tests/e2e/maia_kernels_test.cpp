// The library kernels compiled for the Maia-style machine from the same sources as for
// the CPU, run on the simulator and checked against the fp64 reference with the same
// policy; odd sizes, poisoned outputs.
#include "testing.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <array>

using namespace tegula;
using namespace tegula::kernels;
using tegula::testing::case_seed;

TEST_CASE("gemm (bf16) on maia-sim matches the reference", "[e2e][maia]") {
  Gemm gemm(DType::BF16, "maia");
  for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {13, 17, 1}, {130, 129, 65}, {200, 3, 257}}) {
    std::string tag = "maia gemm " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K);
    uint64_t seed = case_seed(tag);
    INFO(tag << " seed " << seed);
    Buffer a(DType::BF16, M * K), b(DType::BF16, K * N), c(DType::F32, M * N);
    fill_uniform(a, seed);
    fill_uniform(b, seed + 1);
    c.fill_bytes(0xFF);
    gemm(a, b, c, M, N, K);
    std::vector<double> absProduct;
    auto ref = reference_gemm(a, b, M, N, K, &absProduct);
    auto result = check(c, ref, gemm_bound(absProduct, K));
    INFO(result.summary());
    CHECK(result.ok());
    CHECK(last_simulated_launch().cycles > 0);
  }
}

TEST_CASE("softmax on maia-sim matches the reference", "[e2e][maia]") {
  for (DType dtype : {DType::F32, DType::BF16}) {
    for (auto [M, N] : std::vector<std::array<int64_t, 2>>{{1, 1}, {5, 7}, {9, 1031}}) {
      std::string tag = "maia softmax " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + "x" + std::to_string(N);
      uint64_t seed = case_seed(tag);
      INFO(tag << " seed " << seed);
      Softmax softmax(dtype, "maia", {}, default_softmax_config("maia", N));
      Buffer x(dtype, M * N), y(dtype, M * N);
      fill_uniform(x, seed, -6.0, 6.0);
      y.fill_bytes(0xFF);
      softmax(x, y, M, N);
      auto ref = reference_softmax(x, M, N);
      auto result = check(y, ref, softmax_bound(ref, N, dtype));
      INFO(result.summary());
      CHECK(result.ok());
    }
  }
}

TEST_CASE("vector add on maia-sim matches the reference", "[e2e][maia]") {
  for (DType dtype : {DType::F32, DType::BF16}) {
    VectorAdd add(dtype, "maia");
    for (int64_t n : {1, 1023, 1025, 5000}) {
      std::string tag = "maia vector_add " + std::string(dtype_name(dtype)) + " " + std::to_string(n);
      uint64_t seed = case_seed(tag);
      INFO(tag << " seed " << seed);
      Buffer x(dtype, n), y(dtype, n), out(dtype, n);
      fill_uniform(x, seed);
      fill_uniform(y, seed + 1);
      out.fill_bytes(0xFF);
      add(x, y, out, n);
      auto ref = reference_vector_add(x, y, n);
      auto result = check(out, ref, vector_add_bound(ref, dtype));
      INFO(result.summary());
      CHECK(result.ok());
    }
  }
}

TEST_CASE("what maia cannot run yet is refused at compile time, with the reason", "[e2e][maia]") {
  try {
    Gemm gemm(DType::F32, "maia");
    FAIL("an f32 GEMM compiled for maia");
  } catch (const Error &e) {
    INFO(e.what());
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("tensor unit multiplies bf16") != std::string::npos);
    CHECK(std::string(e.what()).find("gemm.cpp") != std::string::npos);
  }
  CHECK_THROWS_AS(VectorAdd(DType::F16, "maia"), Error);
}

TEST_CASE("bugs planted by the compiler in the library GEMM are caught by the simulator", "[e2e][maia]") {
  const int64_t M = 300, N = 200, K = 160;
  auto run = [&](const std::string &bug) -> std::string {
    CompileOptions options;
    options.maia_plant_bug = bug;
    Gemm gemm(DType::BF16, "maia", options);
    Buffer a(DType::BF16, M * K), b(DType::BF16, K * N), c(DType::F32, M * N);
    fill_uniform(a, 1);
    fill_uniform(b, 2);
    try {
      gemm(a, b, c, M, N, K);
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::DeviceFault);
      return e.what();
    }
    return "";
  };
  std::string race = run("drop-wait");
  INFO(race);
  CHECK(race.find("race") != std::string::npos);
  CHECK(race.find("gemm.cpp") != std::string::npos); // the instruction's kernel source line
  std::string overflow = run("overflow-tsram");
  INFO(overflow);
  CHECK(overflow.find("outside the tile's") != std::string::npos);
  std::string past = run("dma-past-end");
  INFO(past);
  CHECK(past.find("not inside one allocation") != std::string::npos);
  CHECK(past.find("'b'") != std::string::npos);
  CHECK(run("").empty()); // the same kernel without a planted bug is clean
}
