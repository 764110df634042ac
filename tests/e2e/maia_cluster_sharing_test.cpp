// The compiled library GEMM on maia-sim runs its grid as 2x2 squares of instances, one
// per cluster group, which share A and B slices through cluster SRAM: the same
// results as without sharing, half the operand traffic, and instances that only
// complete a square at an odd grid edge write nothing.
#include "kernel_checks.h"

#include "tegula/maia/driver.h"
#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/maia/isa.h"

#include <array>

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("the maia GEMM shares operand slices in cluster squares unless told not to", "[e2e][maia][cluster]") {
  Gemm shared(DType::BF16, "maia", {}, GemmConfig{128, 128, 128});
  Gemm alone(DType::BF16, "maia:cluster-sharing=off", {}, GemmConfig{128, 128, 128});
  REQUIRE(maia::program_of(shared.compiled().kernel()) != nullptr);
  CHECK(maia::program_of(shared.compiled().kernel())->grid_mapping == maia::GridMapping::ClusterSquares);
  CHECK(maia::program_of(alone.compiled().kernel())->grid_mapping == maia::GridMapping::Direct);

  // 4x4 blocks, K in four steps. Each block reads 128 x 512 of A and 512 x 128 of B
  // (bf16) and writes 128 x 128 of C (f32); shared, each slice is read once per pair.
  const int64_t M = 512, N = 512, K = 512;
  testing::check_gemm(alone, DType::BF16, M, N, K, "maia gemm unshared 512^3");
  SimulatedLaunch unshared = last_simulated_launch();
  testing::check_gemm(shared, DType::BF16, M, N, K, "maia gemm shared 512^3");
  SimulatedLaunch sharing = last_simulated_launch();
  const uint64_t blocks = 16, operands = 2 * (128 * K * 2), cBytes = M * N * 4;
  CHECK(unshared.hbm_bytes == blocks * operands + cBytes);
  CHECK(sharing.hbm_bytes == blocks * operands / 2 + cBytes);
  CHECK(sharing.hbm_bytes_written == cBytes);
  // Half the bytes over HBM, which bounds this shape: faster too.
  CHECK(sharing.cycles < unshared.cycles);
}

TEST_CASE("instances completing a square past the grid's edge write nothing", "[e2e][maia][cluster]") {
  Gemm gemm(DType::BF16, "maia", {}, GemmConfig{128, 128, 128});
  REQUIRE(maia::program_of(gemm.compiled().kernel())->grid_mapping == maia::GridMapping::ClusterSquares);
  // Grids 3x1, 1x3, 3x3 and 5x2 blocks: squares with one or two stand-ins, and two
  // K steps (pairs) or three (a tail, which passes a barrier of its own).
  for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{
           {300, 100, 256}, {100, 300, 384}, {257, 259, 300}, {600, 250, 129}}) {
    std::string tag = "maia gemm squares " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K);
    testing::check_gemm(gemm, DType::BF16, M, N, K, tag);
    INFO(tag);
    // A stand-in computes its neighbour's block; had it stored it, C would be written
    // twice there.
    CHECK(last_simulated_launch().hbm_bytes_written == static_cast<uint64_t>(M * N * 4));
  }
}
