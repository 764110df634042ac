#include "backends/gpu/Layout/Reduction.h"

#include <stdexcept>
#include <string>

namespace tegula::gpu {

std::optional<ReductionPlan> plan_reduction(const LinearLayout &layout, int axis) {
  if (axis < 0 || axis >= static_cast<int>(layout.outs().size()))
    throw std::invalid_argument("a reduction along axis " + std::to_string(axis) + " of a " +
                                std::to_string(layout.outs().size()) + "-d layout");
  ReductionPlan plan;
  for (const LinearLayout::Dim &in : layout.ins()) {
    if (in.name != "register" && in.name != "lane" && in.name != "warp")
      throw std::invalid_argument("a reduction plan reads registers, lanes and warps, not '" + in.name + "'");
    for (int bit = 0; bit < in.log2_size; ++bit) {
      const LinearLayout::Basis &b = layout.basis(in.name, bit);
      bool along = b[axis] != 0, across = false;
      for (size_t j = 0; j < b.size(); ++j)
        across = across || (static_cast<int>(j) != axis && b[j] != 0);
      if (!along) // a copy, or a step across the axis: kept apart
        continue;
      if (across)
        return std::nullopt;
      if (in.name == "register")
        plan.register_bits.push_back(bit);
      else if (in.name == "lane")
        plan.lane_xor.push_back(int64_t{1} << bit);
      else
        plan.warp_bits.push_back(bit);
    }
  }
  return plan;
}

} // namespace tegula::gpu
