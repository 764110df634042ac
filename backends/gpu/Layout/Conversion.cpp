#include "backends/gpu/Layout/Conversion.h"

#include <algorithm>
#include <stdexcept>

namespace tegula::gpu {

namespace {

/// Whether every destination input bit of `dims` maps to the same bit of the same
/// dimension of the source, and to nothing else: data does not cross those dimensions.
bool keeps(const LinearLayout &source_of, const std::vector<std::string> &dims) {
  for (const LinearLayout::Dim &in : source_of.ins())
    for (int bit = 0; bit < in.log2_size; ++bit) {
      const LinearLayout::Basis &b = source_of.basis(in.name, bit);
      for (size_t j = 0; j < source_of.outs().size(); ++j) {
        const std::string &out = source_of.outs()[j].name;
        bool kept = std::find(dims.begin(), dims.end(), out) != dims.end();
        if (!kept)
          continue;
        int64_t want = in.name == out ? int64_t{1} << bit : 0;
        if (b[j] != want)
          return false;
      }
    }
  return true;
}

} // namespace

const char *conversion_kind_name(ConversionKind kind) {
  switch (kind) {
  case ConversionKind::None: return "none";
  case ConversionKind::Registers: return "registers";
  case ConversionKind::WarpShuffles: return "warp shuffles";
  case ConversionKind::SharedMemory: return "shared memory";
  }
  return "?";
}

ConversionPlan plan_conversion(const LinearLayout &from, const LinearLayout &to, int64_t element_bytes,
                               const SharedMemoryBanks &banks) {
  std::optional<LinearLayout> holder = from.right_inverse();
  if (!holder)
    throw std::invalid_argument("the source layout does not hold every element of the tile");
  ConversionPlan plan;
  plan.source_of = to.compose(*holder);
  if (keeps(plan.source_of, {"register", "lane", "warp"}))
    plan.kind = ConversionKind::None;
  else if (keeps(plan.source_of, {"lane", "warp"}))
    plan.kind = ConversionKind::Registers;
  else if (keeps(plan.source_of, {"warp"}))
    plan.kind = ConversionKind::WarpShuffles;
  else
    plan.kind = ConversionKind::SharedMemory;
  if (plan.kind == ConversionKind::SharedMemory && from.outs().size() == 2) {
    plan.swizzle = choose_swizzle(from, to, element_bytes, banks);
    LinearLayout stored = shared_layout(from.out_size("dim0"), from.out_size("dim1"), plan.swizzle);
    plan.write = shared_access_cost(from, stored, element_bytes, row_vector(from, element_bytes), banks);
    plan.read = shared_access_cost(to, stored, element_bytes, row_vector(to, element_bytes), banks);
  }
  return plan;
}

} // namespace tegula::gpu
