// Scans across a distributed tile (backends/gpu/Layout/Scan.h): each plan is run the way
// a block runs it (every element keeps its prefix and its group's total; at each step it
// takes its partner's total and the later of the pair folds it in) on a random integer
// tile, and every (register, lane, warp) must end with the exact inclusive scan of its
// line at its element, forward and reverse.
#include "backends/gpu/Layout/Scan.h"

#include "../e2e/testing.h"

#include <catch2/catch.hpp>

#include <random>

using namespace tegula::gpu;

namespace {

struct Thread {
  int64_t r, l, w;
};

void check_scan(const LinearLayout &layout, int axis, bool reverse) {
  const int64_t rows = layout.out_size("dim0"), cols = layout.out_size("dim1");
  const uint64_t seed = tegula::testing::case_seed("gpu scan " + layout.str() + " axis " + std::to_string(axis) +
                                                   (reverse ? " reverse" : ""));
  INFO("seed " << seed << ", layout " << layout.str() << ", axis " << axis << (reverse ? ", reverse" : ""));
  std::mt19937_64 rng(seed);
  std::vector<int64_t> tile(rows * cols);
  for (int64_t &x : tile)
    x = static_cast<int64_t>(rng() % 2001) - 1000;
  std::optional<std::vector<ScanStep>> steps = plan_scan(layout, axis);
  REQUIRE(steps.has_value());
  const int64_t regs = layout.in_size("register"), lanes = layout.in_size("lane"), warps = layout.in_size("warp");
  auto index = [&](int64_t r, int64_t l, int64_t w) { return (w * lanes + l) * regs + r; };
  std::vector<int64_t> prefix(regs * lanes * warps), total;
  for (int64_t w = 0; w < warps; ++w)
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t r = 0; r < regs; ++r) {
        std::vector<int64_t> at = layout.apply({{"register", r}, {"lane", l}, {"warp", w}});
        prefix[index(r, l, w)] = tile[at[0] * cols + at[1]];
      }
  total = prefix;
  for (const ScanStep &step : *steps) {
    const std::vector<int64_t> before = total;
    for (int64_t w = 0; w < warps; ++w)
      for (int64_t l = 0; l < lanes; ++l)
        for (int64_t r = 0; r < regs; ++r) {
          int64_t id = step.in == "register" ? r : step.in == "lane" ? l : w;
          const int64_t flip = int64_t{1} << step.bit;
          const int64_t partner = step.in == "register" ? index(r ^ flip, l, w)
                                  : step.in == "lane"   ? index(r, l ^ flip, w)
                                                        : index(r, l, w ^ flip);
          const bool later = ((id & flip) != 0) != reverse;
          if (later)
            prefix[index(r, l, w)] += before[partner];
          total[index(r, l, w)] += before[partner];
        }
  }
  const int64_t length = axis == 0 ? rows : cols;
  for (int64_t w = 0; w < warps; ++w)
    for (int64_t l = 0; l < lanes; ++l)
      for (int64_t r = 0; r < regs; ++r) {
        std::vector<int64_t> at = layout.apply({{"register", r}, {"lane", l}, {"warp", w}});
        int64_t want = 0;
        for (int64_t k = 0; k < length; ++k) {
          const bool counted = reverse ? k >= at[axis] : k <= at[axis];
          if (counted)
            want += axis == 0 ? tile[k * cols + at[1]] : tile[at[0] * cols + k];
        }
        INFO("register " << r << " lane " << l << " warp " << w);
        REQUIRE(prefix[index(r, l, w)] == want);
      }
}

} // namespace

TEST_CASE("a scan plan walks the coordinate bits along the axis from the lowest", "[gpu][scan]") {
  // 64x64, four columns per thread, 4x8 lanes, four warps down the rows: along the rows
  // registers decide bits 0-1, lanes bits 2-4, a register again bit 5; down the columns
  // lanes decide bits 0-1, warps bits 2-3, registers bits 4-5.
  LinearLayout layout = LinearLayout::blocked({64, 64}, {1, 4}, {4, 8}, {4, 1}, {1, 0});
  std::optional<std::vector<ScanStep>> along_rows = plan_scan(layout, 1);
  REQUIRE(along_rows.has_value());
  std::vector<std::pair<std::string, int>> got;
  for (const ScanStep &s : *along_rows)
    got.push_back({s.in, s.bit});
  CHECK(got == std::vector<std::pair<std::string, int>>{
                   {"register", 0}, {"register", 1}, {"lane", 0}, {"lane", 1}, {"lane", 2}, {"register", 2}});
  std::optional<std::vector<ScanStep>> down = plan_scan(layout, 0);
  REQUIRE(down.has_value());
  got.clear();
  for (const ScanStep &s : *down)
    got.push_back({s.in, s.bit});
  CHECK(got == std::vector<std::pair<std::string, int>>{
                   {"lane", 3}, {"lane", 4}, {"warp", 0}, {"warp", 1}, {"register", 3}, {"register", 4}});
  for (int axis : {0, 1})
    for (bool reverse : {false, true})
      check_scan(layout, axis, reverse);
}

TEST_CASE("copies scan their own elements again and agree", "[gpu][scan]") {
  // 2x32 over four warps of 2x16 lanes: lane bit 3 and both warp bits are copies.
  LinearLayout copies = LinearLayout::blocked({2, 32}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  for (int axis : {0, 1})
    for (bool reverse : {false, true})
      check_scan(copies, axis, reverse);
  // One element along the axis: nothing to do.
  LinearLayout column = LinearLayout::blocked({32, 1}, {1, 1}, {32, 1}, {1, 1}, {0, 1});
  std::optional<std::vector<ScanStep>> steps = plan_scan(column, 1);
  REQUIRE(steps.has_value());
  CHECK(steps->empty());
  check_scan(column, 0, true);
}

TEST_CASE("a layout that is not a bit permutation along the axis has no scan plan", "[gpu][scan]") {
  // Lane bit 0 moves one row and one column at once.
  LinearLayout diagonal({{"register", 0}, {"lane", 1}, {"warp", 0}}, {{"dim0", 2}, {"dim1", 2}}, {{}, {{1, 1}}, {}});
  CHECK_FALSE(plan_scan(diagonal, 1).has_value());
  // Two lane bits that both decide coordinate bit 0.
  LinearLayout twice({{"register", 0}, {"lane", 2}, {"warp", 0}}, {{"dim0", 0}, {"dim1", 1}}, {{}, {{0, 1}, {0, 1}}, {}});
  CHECK_FALSE(plan_scan(twice, 1).has_value());
  // A step of three: no single coordinate bit.
  LinearLayout three({{"register", 1}, {"lane", 0}, {"warp", 0}}, {{"dim0", 0}, {"dim1", 2}}, {{{0, 3}}, {}, {}});
  CHECK_FALSE(plan_scan(three, 1).has_value());
  CHECK_THROWS_AS(plan_scan(diagonal, 2), std::invalid_argument);
}
