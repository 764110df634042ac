// Shared memory as layouts (backends/gpu/Layout/SharedMemory.h): the stored tile with
// and without a swizzle against the direct formula, the bank wavefronts of a warp's
// accesses counted by hand for a transpose, and the swizzle chosen for it.
#include "backends/gpu/Layout/SharedMemory.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace tegula::gpu;

namespace {

// 64x64 f32: written by rows (four consecutive columns per thread, one 16-byte access)
// and read by columns (four consecutive rows per thread, one element per access).
LinearLayout by_rows() { return LinearLayout::blocked({64, 64}, {1, 4}, {4, 8}, {4, 1}, {1, 0}); }
LinearLayout by_columns() { return LinearLayout::blocked({64, 64}, {4, 1}, {8, 4}, {1, 4}, {0, 1}); }

} // namespace

TEST_CASE("a stored tile is row-major, with the swizzle's XOR on each row's groups", "[gpu][shared]") {
  for (Swizzle s : {Swizzle{1, 1, 1}, Swizzle{4, 2, 8}, Swizzle{8, 1, 4}}) {
    INFO("vec " << s.vec << " per_phase " << s.per_phase << " max_phase " << s.max_phase);
    LinearLayout stored = shared_layout(32, 64, s);
    REQUIRE(stored.injective());
    REQUIRE(stored.surjective());
    for (int64_t offset = 0; offset < 32 * 64; ++offset) {
      int64_t row = offset / 64, group = offset % 64 / s.vec, within = offset % s.vec;
      int64_t col = (group ^ (row / s.per_phase % s.max_phase)) * s.vec + within;
      REQUIRE(stored.apply({{"offset", offset}}) == std::vector<int64_t>{row, col});
    }
  }
  CHECK_THROWS_AS(shared_layout(32, 64, {8, 1, 16}), std::invalid_argument); // 128 columns of phases
  CHECK_THROWS_AS(shared_layout(32, 48, {1, 1, 1}), std::invalid_argument);
}

TEST_CASE("a warp's accesses cost one wavefront per bank-distinct phase", "[gpu][shared]") {
  LinearLayout plain = shared_layout(64, 64, {1, 1, 1});
  CHECK(row_vector(by_rows(), 4) == 4);
  CHECK(row_vector(by_columns(), 4) == 1);
  CHECK(row_vector(by_rows(), 2) == 4); // f16: four consecutive, less than 16 bytes
  // Writing by rows: 16-byte accesses, 8 lanes per phase cover one 128-byte row: no
  // conflict. 64x64 f32 / 4 elements per access / 8 lanes = 128 phases.
  AccessCost write = shared_access_cost(by_rows(), plain, 4, 4);
  CHECK(write.ideal == 128);
  CHECK(write.wavefronts == 128);
  // Reading by columns: a warp reads rows 0, 4, ..., 28 of four columns; rows are 256
  // bytes apart, so the 8 rows of one column fall in one bank: 8 wavefronts each.
  AccessCost read = shared_access_cost(by_columns(), plain, 4, 1);
  CHECK(read.ideal == 128);
  CHECK(read.wavefronts == 8 * 128);
  CHECK_THROWS_AS(shared_access_cost(by_columns(), plain, 4, 4), std::invalid_argument); // not consecutive
}

TEST_CASE("the chosen swizzle makes a transpose through shared memory conflict-free", "[gpu][shared]") {
  Swizzle s = choose_swizzle(by_rows(), by_columns(), 4);
  INFO("vec " << s.vec << " per_phase " << s.per_phase << " max_phase " << s.max_phase);
  LinearLayout stored = shared_layout(64, 64, s);
  AccessCost write = shared_access_cost(by_rows(), stored, 4, 4);
  AccessCost read = shared_access_cost(by_columns(), stored, 4, 1);
  CHECK(write.wavefronts == write.ideal);
  CHECK(read.wavefronts == read.ideal);
  CHECK(s.vec == 4); // the written vectors stay whole
  CHECK(s.max_phase == 8);
  // A conversion whose reads are already conflict-free keeps the plain layout.
  CHECK(choose_swizzle(by_rows(), by_rows(), 4) == Swizzle{4, 1, 1});
}
