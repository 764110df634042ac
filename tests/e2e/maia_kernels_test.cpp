// The library kernels compiled for the Maia-style machine from the same sources as for
// the CPU, run on the simulator and checked against the fp64 reference with the same
// policy; odd sizes, poisoned outputs.
#include "kernel_checks.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <array>

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("gemm (bf16) on maia-sim matches the reference", "[e2e][maia]") {
  Gemm gemm(DType::BF16, "maia");
  for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {13, 17, 1}, {130, 129, 65}, {200, 3, 257}}) {
    tegula::testing::check_gemm(gemm, DType::BF16, M, N, K,
                                "maia gemm " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K));
    CHECK(last_simulated_launch().cycles > 0);
  }
}

TEST_CASE("softmax on maia-sim matches the reference", "[e2e][maia]") {
  for (DType dtype : {DType::F32, DType::BF16})
    for (auto [M, N] : std::vector<std::array<int64_t, 2>>{{1, 1}, {5, 7}, {9, 1031}})
      tegula::testing::check_softmax("maia", dtype, M, N);
}

TEST_CASE("vector add on maia-sim matches the reference", "[e2e][maia]") {
  for (DType dtype : {DType::F32, DType::BF16}) {
    VectorAdd add(dtype, "maia");
    for (int64_t n : {1, 1023, 1025, 5000})
      tegula::testing::check_vector_add(add, dtype, n,
                                        "maia vector_add " + std::string(dtype_name(dtype)) + " " + std::to_string(n));
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
