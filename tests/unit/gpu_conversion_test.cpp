// Layout conversions (backends/gpu/Layout/Conversion.h): the kind of movement found
// from the two layouts, and on every destination register, lane and warp the source
// the plan names holds the element the destination must hold.
#include "backends/gpu/Layout/Conversion.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace tegula::gpu;

namespace {

/// from(source_of(x)) == to(x) for every destination input x.
void check_sources(const LinearLayout &from, const LinearLayout &to, const ConversionPlan &plan) {
  for (int64_t r = 0; r < to.in_size("register"); ++r)
    for (int64_t l = 0; l < to.in_size("lane"); ++l)
      for (int64_t w = 0; w < to.in_size("warp"); ++w) {
        std::vector<int64_t> s = plan.source_of.apply({{"register", r}, {"lane", l}, {"warp", w}});
        INFO("destination register " << r << " lane " << l << " warp " << w);
        REQUIRE(from.apply({{"register", s[0]}, {"lane", s[1]}, {"warp", s[2]}}) ==
                to.apply({{"register", r}, {"lane", l}, {"warp", w}}));
      }
}

/// `l` with two of its register bases swapped: the same threads hold the same
/// elements, in other registers.
LinearLayout swap_registers(const LinearLayout &l, int a, int b) {
  std::vector<std::vector<LinearLayout::Basis>> bases;
  for (const LinearLayout::Dim &d : l.ins()) {
    bases.emplace_back();
    for (int bit = 0; bit < d.log2_size; ++bit)
      bases.back().push_back(l.basis(d.name, d.name == "register" && bit == a   ? b
                                             : d.name == "register" && bit == b ? a
                                                                                : bit));
  }
  return LinearLayout(l.ins(), l.outs(), bases);
}

} // namespace

TEST_CASE("a conversion's kind comes from the two layouts", "[gpu][conversion]") {
  LinearLayout rows = LinearLayout::blocked({16, 64}, {2, 4}, {4, 8}, {2, 1}, {1, 0});

  ConversionPlan same = plan_conversion(rows, rows, 4);
  CHECK(same.kind == ConversionKind::None);
  check_sources(rows, rows, same);

  LinearLayout permuted = swap_registers(rows, 0, 2);
  ConversionPlan registers = plan_conversion(rows, permuted, 4);
  CHECK(registers.kind == ConversionKind::Registers);
  check_sources(rows, permuted, registers);

  // One warp: lanes along the row, or 8x4 lanes: values move between lanes only.
  LinearLayout wide = LinearLayout::blocked({8, 32}, {1, 1}, {1, 32}, {1, 1}, {1, 0});
  LinearLayout square = LinearLayout::blocked({8, 32}, {1, 1}, {8, 4}, {1, 1}, {1, 0});
  ConversionPlan shuffles = plan_conversion(wide, square, 4);
  CHECK(shuffles.kind == ConversionKind::WarpShuffles);
  check_sources(wide, square, shuffles);
  CHECK(std::string(conversion_kind_name(shuffles.kind)) == "warp shuffles");
}

TEST_CASE("a conversion across warps goes through swizzled shared memory without conflicts",
          "[gpu][conversion]") {
  LinearLayout rows = LinearLayout::blocked({64, 64}, {1, 4}, {4, 8}, {4, 1}, {1, 0});
  LinearLayout cols = LinearLayout::blocked({64, 64}, {4, 1}, {8, 4}, {1, 4}, {0, 1});
  ConversionPlan plan = plan_conversion(rows, cols, 4);
  REQUIRE(plan.kind == ConversionKind::SharedMemory);
  check_sources(rows, cols, plan);
  CHECK(plan.swizzle == Swizzle{4, 4, 8});
  CHECK(plan.write.wavefronts == plan.write.ideal);
  CHECK(plan.read.wavefronts == plan.read.ideal);
}

TEST_CASE("a source with copies converts from one of them; one missing elements is refused",
          "[gpu][conversion]") {
  // 2x32 over four warps: warps hold copies of one another's rows.
  LinearLayout copies = LinearLayout::blocked({2, 32}, {1, 4}, {2, 16}, {4, 1}, {1, 0});
  LinearLayout one_warp = LinearLayout::blocked({2, 32}, {2, 1}, {1, 32}, {1, 1}, {0, 1});
  ConversionPlan plan = plan_conversion(copies, one_warp, 4);
  check_sources(copies, one_warp, plan);

  // Two lanes that both hold element 0: element 1 is held by nobody.
  LinearLayout partial({{"register", 0}, {"lane", 1}, {"warp", 0}}, {{"dim0", 1}, {"dim1", 1}},
                       {{}, {{0, 0}}, {}});
  CHECK_THROWS_AS(plan_conversion(partial, partial, 4), std::invalid_argument);
}
