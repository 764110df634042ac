// The compiler's matrix instruction tables (backends/gpu/Layout/MatrixInstruction)
// against the vendors' formulas, entry by entry: every (register, lane) of mma.sync
// m16n8k16's and m16n8k8 tf32's A, B and accumulator (the PTX ISA) and of MFMA 32x32x8's (AMD's CDNA
// tables). gpu-emu keeps its own copy of the same tables (gpu_emu_tests [mma], [mfma]);
// these pin the compiler's, so the two are checked against the same formulas apart.
// Then the accumulator's tiling over warps: every element of the tile held, the warps
// split as documented, and the planted swap changing the table.
#include "backends/gpu/Layout/MatrixInstruction.h"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <utility>

using tegula::gpu::find_matrix_instruction;
using tegula::gpu::LinearLayout;
using tegula::gpu::MatrixInstruction;
using tegula::gpu::tile_accumulator;

namespace {

using At = std::pair<int64_t, int64_t>; // row, col

At at(const LinearLayout &fragment, int64_t reg, int64_t lane) {
  const std::vector<int64_t> c = fragment.apply({{"register", reg}, {"lane", lane}});
  return {c[0], c[1]};
}

} // namespace

TEST_CASE("mma.m16n8k16's fragments are the PTX ISA's", "[gpu][matrix]") {
  const MatrixInstruction mma = *find_matrix_instruction("mma.m16n8k16");
  CHECK((mma.m == 16 && mma.n == 8 && mma.k == 16 && mma.lanes == 32));
  for (int64_t lane = 0; lane < 32; ++lane) {
    const int64_t group = lane / 4, inGroup = lane % 4;
    INFO("lane " << lane);
    for (int64_t i = 0; i < 8; ++i) // a_i: two 16-bit elements a register
      CHECK(at(mma.a, i, lane) == At{group + 8 * ((i >> 1) & 1), 2 * inGroup + (i & 1) + 8 * (i >> 2)});
    for (int64_t i = 0; i < 4; ++i)
      CHECK(at(mma.b, i, lane) == At{2 * inGroup + (i & 1) + 8 * (i >> 1), group});
    for (int64_t i = 0; i < 4; ++i)
      CHECK(at(mma.c, i, lane) == At{group + 8 * (i >> 1), 2 * inGroup + (i & 1)});
  }
}

TEST_CASE("mma.m16n8k8.tf32's fragments are the PTX ISA's", "[gpu][matrix]") {
  // One f32 (read as tf32) a register: A 16 x 8 in 4, B 8 x 8 in 2, C as m16n8k16's.
  const MatrixInstruction mma = *find_matrix_instruction("mma.m16n8k8.tf32");
  CHECK((mma.m == 16 && mma.n == 8 && mma.k == 8 && mma.lanes == 32 && mma.tf32()));
  CHECK_FALSE(find_matrix_instruction("mma.m16n8k16")->tf32());
  CHECK(mma.a.in_size("register") == 4);
  CHECK(mma.b.in_size("register") == 2);
  for (int64_t lane = 0; lane < 32; ++lane) {
    const int64_t group = lane / 4, inGroup = lane % 4;
    INFO("lane " << lane);
    for (int64_t i = 0; i < 4; ++i) // row + 8 for a1, a3; column + 4 for a2, a3
      CHECK(at(mma.a, i, lane) == At{group + 8 * (i & 1), inGroup + 4 * (i >> 1)});
    for (int64_t i = 0; i < 2; ++i)
      CHECK(at(mma.b, i, lane) == At{inGroup + 4 * i, group});
    for (int64_t i = 0; i < 4; ++i)
      CHECK(at(mma.c, i, lane) == At{group + 8 * (i >> 1), 2 * inGroup + (i & 1)});
  }
  // The entries the ISA's figure shows for lane 5 (group 1, thread 1): a0 (1,1), a1 (9,1),
  // a2 (1,5), a3 (9,5); b0 (1,1), b1 (5,1).
  CHECK((at(mma.a, 0, 5) == At{1, 1} && at(mma.a, 1, 5) == At{9, 1} && at(mma.a, 2, 5) == At{1, 5} &&
         at(mma.a, 3, 5) == At{9, 5}));
  CHECK((at(mma.b, 0, 5) == At{1, 1} && at(mma.b, 1, 5) == At{5, 1}));
  // Its accumulator tiles the warps as m16n8k16's does.
  const MatrixInstruction k16 = *find_matrix_instruction("mma.m16n8k16");
  for (int64_t warps : {4, 8})
    CHECK(tile_accumulator(mma, 128, 64, warps)->layout == tile_accumulator(k16, 128, 64, warps)->layout);
}

TEST_CASE("mfma.32x32x8's fragments are AMD's", "[gpu][matrix]") {
  const MatrixInstruction mfma = *find_matrix_instruction("mfma.32x32x8");
  CHECK((mfma.m == 32 && mfma.n == 32 && mfma.k == 8 && mfma.lanes == 64));
  for (int64_t lane = 0; lane < 64; ++lane) {
    INFO("lane " << lane);
    for (int64_t i = 0; i < 4; ++i) {
      CHECK(at(mfma.a, i, lane) == At{lane % 32, 4 * (lane / 32) + i});
      CHECK(at(mfma.b, i, lane) == At{4 * (lane / 32) + i, lane % 32});
    }
    for (int64_t r = 0; r < 16; ++r)
      CHECK(at(mfma.c, r, lane) == At{8 * (r / 4) + 4 * (lane / 32) + r % 4, lane % 32});
  }
}

TEST_CASE("a matrix accumulator tiles its block's warps, the longer side split first", "[gpu][matrix]") {
  const MatrixInstruction mma = *find_matrix_instruction("mma.m16n8k16");
  struct Case {
    int64_t M, N, warps, warpRows, warpCols, copies;
  };
  for (const Case &c : {Case{128, 128, 8, 32, 64, 1}, Case{64, 64, 4, 32, 32, 1}, Case{32, 32, 8, 16, 8, 1},
                        Case{16, 8, 4, 16, 8, 4}, Case{64, 16, 8, 16, 8, 1}}) {
    INFO(c.M << " x " << c.N << " on " << c.warps << " warps");
    std::optional<tegula::gpu::MatrixTiling> t = tile_accumulator(mma, c.M, c.N, c.warps);
    REQUIRE(t);
    CHECK(t->warp_rows == c.warpRows);
    CHECK(t->warp_cols == c.warpCols);
    CHECK(t->tiles_m * mma.m == t->warp_rows);
    CHECK(t->tiles_n * mma.n == t->warp_cols);
    // Every element held, each by `copies` threads' registers.
    std::map<At, int64_t> held;
    for (int64_t r = 0; r < t->layout.in_size("register"); ++r)
      for (int64_t lane = 0; lane < 32; ++lane)
        for (int64_t w = 0; w < c.warps; ++w) {
          const std::vector<int64_t> e = t->layout.apply({{"register", r}, {"lane", lane}, {"warp", w}});
          ++held[{e[0], e[1]}];
        }
    CHECK(static_cast<int64_t>(held.size()) == c.M * c.N);
    for (const auto &[element, count] : held)
      CHECK(count == c.copies);
    // The instruction's own registers come first: register r < 4 of tile (0, 0) is the
    // fragment's c_r.
    for (int64_t r = 0; r < 4; ++r)
      for (int64_t lane = 0; lane < 32; ++lane) {
        const std::vector<int64_t> e = t->layout.apply({{"register", r}, {"lane", lane}});
        CHECK(At{e[0], e[1]} == at(mma.c, r, lane));
      }
  }
  CHECK_FALSE(tile_accumulator(mma, 8, 64, 4));  // fewer rows than one instruction tile
  CHECK_FALSE(tile_accumulator(mma, 64, 4, 4));  // fewer columns
  CHECK_FALSE(tile_accumulator(mma, 32, 80, 8)); // whole tiles, but no layout has 80 columns
  CHECK_FALSE(tile_accumulator(mma, 48, 64, 4));
  CHECK_FALSE(find_matrix_instruction("mma.m16n8k99"));
}

TEST_CASE("the planted swap changes the accumulator's table and nothing else", "[gpu][matrix]") {
  for (const char *name : {"mma.m16n8k16", "mma.m16n8k8.tf32", "mfma.32x32x8"}) {
    INFO(name);
    const MatrixInstruction right = *find_matrix_instruction(name), wrong = *find_matrix_instruction(name, true);
    CHECK(right.a == wrong.a);
    CHECK(right.b == wrong.b);
    CHECK_FALSE(right.c == wrong.c);
    // Still a bijection onto the same tile: the bug moves elements, it does not lose them.
    CHECK(wrong.c.injective());
    CHECK(wrong.c.surjective());
  }
}
