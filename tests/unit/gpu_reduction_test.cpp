// Reductions across a distributed tile (backends/gpu/Layout/Reduction.h): each plan is
// run the way a block would run it (registers, then lane shuffles, then warps) on a
// random tile, and every thread must end with the exact sum of its line along the axis.
#include "backends/gpu/Layout/Reduction.h"

#include "../e2e/testing.h"

#include <catch2/catch.hpp>

#include <random>

using namespace tegula::gpu;

namespace {

/// Runs `plan` on `layout` holding `tile` (row-major, integers so sums are exact) and
/// returns each (register, lane, warp)'s value afterwards, indexed [w][l][r].
std::vector<std::vector<std::vector<int64_t>>> run(const LinearLayout &layout, const ReductionPlan &plan,
                                                    const std::vector<int64_t> &tile, int64_t cols) {
  const int64_t regs = layout.in_size("register"), lanes = layout.in_size("lane"), warps = layout.in_size("warp");
  std::vector<std::vector<std::vector<int64_t>>> v(warps, std::vector<std::vector<int64_t>>(lanes, std::vector<int64_t>(regs)));
  for (int64_t w = 0; w < warps; ++w)
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t r = 0; r < regs; ++r) {
        std::vector<int64_t> at = layout.apply({{"register", r}, {"lane", l}, {"warp", w}});
        v[w][l][r] = tile[at[0] * cols + at[1]];
      }
  int64_t regMask = 0;
  for (int bit : plan.register_bits)
    regMask |= int64_t{1} << bit;
  for (auto &warp : v) // within each thread
    for (auto &thread : warp) {
      std::vector<int64_t> sums(regs, 0);
      for (int64_t r = 0; r < regs; ++r)
        sums[r & ~regMask] += thread[r];
      for (int64_t r = 0; r < regs; ++r)
        thread[r] = sums[r & ~regMask];
    }
  for (int64_t mask : plan.lane_xor) // butterfly shuffles
    for (auto &warp : v) {
      auto before = warp;
      for (int64_t l = 0; l < lanes; ++l)
        for (int64_t r = 0; r < regs; ++r)
          warp[l][r] = before[l][r] + before[l ^ mask][r];
    }
  int64_t warpMask = 0;
  for (int bit : plan.warp_bits)
    warpMask |= int64_t{1} << bit;
  auto before = v; // through shared memory: every warp reads its partners' partials
  for (int64_t w = 0; w < warps; ++w)
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t r = 0; r < regs; ++r) {
        int64_t sum = 0;
        for (int64_t p = 0; p < warps; ++p)
          if ((p & ~warpMask) == (w & ~warpMask))
            sum += before[p][l][r];
        v[w][l][r] = sum;
      }
  return v;
}

void check_sums(const LinearLayout &layout, int axis) {
  const int64_t rows = layout.out_size("dim0"), cols = layout.out_size("dim1");
  const uint64_t seed = tegula::testing::case_seed("gpu reduction " + layout.str() + " axis " + std::to_string(axis));
  INFO("seed " << seed << ", layout " << layout.str() << ", axis " << axis);
  std::mt19937_64 rng(seed);
  std::vector<int64_t> tile(rows * cols);
  for (int64_t &x : tile)
    x = static_cast<int64_t>(rng() % 2001) - 1000;
  std::optional<ReductionPlan> plan = plan_reduction(layout, axis);
  REQUIRE(plan.has_value());
  auto v = run(layout, *plan, tile, cols);
  for (int64_t w = 0; w < layout.in_size("warp"); ++w)
    for (int64_t l = 0; l < layout.in_size("lane"); ++l)
      for (int64_t r = 0; r < layout.in_size("register"); ++r) {
        std::vector<int64_t> at = layout.apply({{"register", r}, {"lane", l}, {"warp", w}});
        int64_t want = 0;
        for (int64_t k = 0; k < (axis == 0 ? rows : cols); ++k)
          want += axis == 0 ? tile[k * cols + at[1]] : tile[at[0] * cols + k];
        INFO("register " << r << " lane " << l << " warp " << w);
        REQUIRE(v[w][l][r] == want);
      }
}

} // namespace

TEST_CASE("a reduction plan reads which registers, lanes and warps step along the axis", "[gpu][reduction]") {
  // 64x64, four columns per thread, 4x8 lanes, four warps down the rows: the block
  // covers 16x32, so registers repeat it twice along the rows (register bit 2) and four
  // times down the columns (bits 3 and 4).
  LinearLayout rows = LinearLayout::blocked({64, 64}, {1, 4}, {4, 8}, {4, 1}, {1, 0});
  std::optional<ReductionPlan> along_rows = plan_reduction(rows, 1);
  REQUIRE(along_rows.has_value());
  CHECK(along_rows->register_bits == std::vector<int>{0, 1, 2});
  CHECK(along_rows->lane_xor == std::vector<int64_t>{1, 2, 4});
  CHECK_FALSE(along_rows->crosses_warps());
  std::optional<ReductionPlan> down_columns = plan_reduction(rows, 0);
  REQUIRE(down_columns.has_value());
  CHECK(down_columns->register_bits == std::vector<int>{3, 4});
  CHECK(down_columns->lane_xor == std::vector<int64_t>{8, 16});
  CHECK(down_columns->warp_bits == std::vector<int>{0, 1});
  check_sums(rows, 0);
  check_sums(rows, 1);
}

TEST_CASE("copies take no part in a reduction, so nothing is counted twice", "[gpu][reduction]") {
  // 2x32 over four warps of 2x16 lanes: lane bit 3 and both warp bits are copies.
  LinearLayout copies = LinearLayout::blocked({2, 32}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  std::optional<ReductionPlan> plan = plan_reduction(copies, 1);
  REQUIRE(plan.has_value());
  CHECK(plan->lane_xor == std::vector<int64_t>{1, 2, 4});
  CHECK_FALSE(plan->crosses_warps());
  check_sums(copies, 0);
  check_sums(copies, 1);
}

TEST_CASE("a layout whose bits step along and across the axis at once has no butterfly plan", "[gpu][reduction]") {
  // Lane bit 0 moves one row and one column at once.
  LinearLayout diagonal({{"register", 0}, {"lane", 1}, {"warp", 0}}, {{"dim0", 1}, {"dim1", 1}}, {{}, {{1, 1}}, {}});
  CHECK_FALSE(plan_reduction(diagonal, 1).has_value());
  CHECK_THROWS_AS(plan_reduction(diagonal, 2), std::invalid_argument);
}
