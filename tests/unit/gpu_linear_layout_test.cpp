// Layouts as data (backends/gpu/Layout): blocked layouts against a direct formula for
// every register, lane and warp; broadcasts counted element by element; inverses and
// conversions between two layouts checked on every input.
#include "backends/gpu/Layout/LinearLayout.h"

#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

using tegula::gpu::LinearLayout;

namespace {

using Input = std::vector<std::pair<std::string, int64_t>>;

/// Every (register, lane, warp) input of a layout.
std::vector<Input> all_inputs(const LinearLayout &l) {
  std::vector<Input> out;
  for (int64_t r = 0; r < l.in_size("register"); ++r)
    for (int64_t t = 0; t < l.in_size("lane"); ++t)
      for (int64_t w = 0; w < l.in_size("warp"); ++w)
        out.push_back({{"register", r}, {"lane", t}, {"warp", w}});
  return out;
}

} // namespace

TEST_CASE("identity, broadcast and products map bits to coordinates", "[gpu][layout]") {
  LinearLayout l = LinearLayout::identity(4, "register", "dim0") * LinearLayout::identity(8, "lane", "dim0");
  CHECK(l.out_size("dim0") == 32);
  CHECK(l.apply({{"register", 3}, {"lane", 5}}) == std::vector<int64_t>{3 + 5 * 4});
  CHECK(l.injective());
  CHECK(l.surjective());

  LinearLayout b = LinearLayout::broadcast(4, "warp", "dim0");
  CHECK(b.out_size("dim0") == 1);
  CHECK(b.apply({{"warp", 3}}) == std::vector<int64_t>{0});
  CHECK(b.copies() == 4);

  CHECK_THROWS_AS(l.apply({{"register", 4}}), std::invalid_argument);
  CHECK_THROWS_AS(l.apply({{"block", 0}}), std::invalid_argument);
  CHECK_THROWS_AS(LinearLayout::identity(6, "register", "dim0"), std::invalid_argument);
  CHECK_THROWS_AS(LinearLayout({{"lane", 1}}, {{"dim0", 1}}, {{{2}}}), std::invalid_argument);   // past dim0
  CHECK_THROWS_AS(LinearLayout({{"lane", 1}}, {{"dim0", 1}}, {{{1, 0}}}), std::invalid_argument); // two coordinates
  CHECK(l.str() == "register: (1) (2) | lane: (4) (8) (16) -> dim0 x 32");
}

TEST_CASE("a blocked layout matches the direct formula on every register, lane and warp", "[gpu][layout]") {
  // 16x64, four contiguous columns per thread, a warp of 2x16 lanes, four warps down the
  // rows: the block covers 8 rows, so registers repeat it once more.
  LinearLayout l = LinearLayout::blocked({16, 64}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  REQUIRE(l.in_size("register") == 8);
  REQUIRE(l.in_size("lane") == 32);
  REQUIRE(l.in_size("warp") == 4);
  for (const Input &in : all_inputs(l)) {
    int64_t r = in[0].second, t = in[1].second, w = in[2].second;
    std::vector<int64_t> want{(t >> 4) + 2 * w + 8 * (r >> 2), (r & 3) + 4 * (t & 15)};
    INFO("register " << r << " lane " << t << " warp " << w);
    REQUIRE(l.apply(in) == want);
  }
  CHECK(l.injective());
  CHECK(l.surjective());
  // Registers 0..3 of a thread are contiguous along the fast dimension: one 16-byte
  // access of f32.
  for (int bit = 0; bit < 2; ++bit)
    CHECK(l.basis("register", bit) == std::vector<int64_t>{0, int64_t{1} << bit});
}

TEST_CASE("a layout wider than its tile holds copies, each element equally often", "[gpu][layout]") {
  // The same block over a 2x32 tile: lanes past column 31 and warps past row 1 hold
  // copies.
  LinearLayout l = LinearLayout::blocked({2, 32}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  CHECK(l.surjective());
  CHECK_FALSE(l.injective());
  CHECK(l.copies() == 8);
  std::map<std::vector<int64_t>, int> holders;
  for (const Input &in : all_inputs(l)) {
    std::vector<int64_t> at = l.apply(in);
    REQUIRE(at[0] < 2);
    REQUIRE(at[1] < 32);
    ++holders[at];
  }
  CHECK(holders.size() == 64);
  for (const auto &[at, count] : holders)
    CHECK(count == 8);
  CHECK_FALSE(l.invert().has_value());
}

TEST_CASE("the inverse undoes a layout, and a conversion finds the same element", "[gpu][layout]") {
  LinearLayout rows = LinearLayout::blocked({16, 64}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  LinearLayout cols = LinearLayout::blocked({16, 64}, {4, 1}, {4, 8}, {1, 4}, {0, 1});
  std::optional<LinearLayout> inverse = rows.invert();
  REQUIRE(inverse.has_value());
  CHECK(inverse->ins() == rows.outs());
  for (const Input &in : all_inputs(rows)) {
    std::vector<int64_t> at = rows.apply(in);
    std::vector<int64_t> back = inverse->apply({{"dim0", at[0]}, {"dim1", at[1]}});
    REQUIRE(back == std::vector<int64_t>{in[0].second, in[1].second, in[2].second});
  }
  // rows -> cols: which register, lane and warp of `cols` holds what each of `rows` does.
  std::optional<LinearLayout> cols_inverse = cols.invert();
  REQUIRE(cols_inverse.has_value());
  LinearLayout conversion = rows.compose(*cols_inverse);
  for (const Input &in : all_inputs(rows)) {
    std::vector<int64_t> there = conversion.apply(in);
    std::vector<int64_t> held = cols.apply({{"register", there[0]}, {"lane", there[1]}, {"warp", there[2]}});
    REQUIRE(held == rows.apply(in));
  }
  CHECK_THROWS_AS(rows.compose(rows), std::invalid_argument); // outputs are not inputs
}

TEST_CASE("a reshaped or permuted layout keeps every element in its register, lane and warp", "[gpu][layout]") {
  // 128 elements, two per thread, as a block of 4 warps of 16 lanes; viewed as 4x4x8 and
  // then permuted to 8x4x4 (order {2, 0, 1}).
  const LinearLayout flat = LinearLayout::blocked({128}, {2}, {16}, {4}, {0});
  const LinearLayout cube = tegula::gpu::reshape_layout(flat, {4, 4, 8});
  const LinearLayout permuted = tegula::gpu::permute_layout(cube, {2, 0, 1});
  REQUIRE(cube.outs().size() == 3);
  CHECK(cube.out_size("dim0") == 4);
  CHECK(cube.out_size("dim2") == 8);
  CHECK(permuted.out_size("dim0") == 8);
  for (const Input &in : all_inputs(flat)) {
    const int64_t i = flat.apply(in)[0];
    const std::vector<int64_t> c = cube.apply(in), p = permuted.apply(in);
    INFO("element " << i);
    CHECK(c == std::vector<int64_t>{i / 32, (i / 8) % 4, i % 8}); // row-major
    CHECK(p == std::vector<int64_t>{c[2], c[0], c[1]});           // p[k][i][j] = c[i][j][k]
  }
  // And back: the reshape of the reshape is the original.
  CHECK(tegula::gpu::reshape_layout(cube, {128}) == flat);
  CHECK_THROWS_AS(tegula::gpu::reshape_layout(flat, {4, 4}), std::invalid_argument);
  CHECK_THROWS_AS(tegula::gpu::permute_layout(cube, {0, 0, 1}), std::invalid_argument);
  CHECK_THROWS_AS(tegula::gpu::permute_layout(cube, {1, 0}), std::invalid_argument);
}

TEST_CASE("contiguous registers: the vector a layout lets one thread move along a dimension", "[gpu][layout]") {
  // 4 per thread along columns, lanes continuing the run: vectors of 4; and 32 lanes of
  // 4 make 128 contiguous columns a warp.
  LinearLayout rows = LinearLayout::blocked({16, 256}, {1, 4}, {1, 32}, {4, 1}, {1, 0});
  CHECK(contiguous_registers(rows, 1) == 4);
  CHECK(contiguous_registers(rows, 0) == 1);
  CHECK(extend_run(rows, "lane", 1, contiguous_registers(rows, 1)) == 128);
  // One per thread, the registers repeating 128 columns apart: no vector.
  LinearLayout spread = LinearLayout::blocked({4, 256}, {1, 1}, {1, 32}, {1, 4}, {1, 0});
  CHECK(contiguous_registers(spread, 1) == 1);
  // All lanes down the rows, each thread's registers running the whole 8 columns: a run
  // of 8.
  LinearLayout tall = LinearLayout::blocked({32, 8}, {1, 8}, {32, 1}, {1, 1}, {1, 0});
  CHECK(contiguous_registers(tall, 1) == 8);
  // A lane that steps 2 columns splits runs of 4 into pairs: the vector shrinks to 2.
  LinearLayout odd({{"register", 2}, {"lane", 1}}, {{"dim0", 3}}, {{{1}, {2}}, {{2}}});
  CHECK(contiguous_registers(odd, 0) == 2);
}
