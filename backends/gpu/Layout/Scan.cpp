#include "backends/gpu/Layout/Scan.h"

#include <map>
#include <stdexcept>

namespace tegula::gpu {

std::optional<std::vector<ScanStep>> plan_scan(const LinearLayout &layout, int axis) {
  if (axis < 0 || axis >= static_cast<int>(layout.outs().size()))
    throw std::invalid_argument("a scan along axis " + std::to_string(axis) + " of a " +
                                std::to_string(layout.outs().size()) + "-d layout");
  std::map<int, ScanStep> byCoordinateBit;
  for (const LinearLayout::Dim &in : layout.ins()) {
    if (in.name != "register" && in.name != "lane" && in.name != "warp")
      throw std::invalid_argument("a scan plan reads registers, lanes and warps, not '" + in.name + "'");
    for (int bit = 0; bit < in.log2_size; ++bit) {
      const LinearLayout::Basis &b = layout.basis(in.name, bit);
      const int64_t along = b[axis];
      bool across = false;
      for (size_t j = 0; j < b.size(); ++j)
        across = across || (static_cast<int>(j) != axis && b[j] != 0);
      if (along == 0) // a copy, or a step across the axis: another line
        continue;
      if (across || (along & (along - 1)) != 0)
        return std::nullopt;
      int coordinateBit = 0;
      while ((int64_t{1} << coordinateBit) != along)
        ++coordinateBit;
      if (!byCoordinateBit.emplace(coordinateBit, ScanStep{in.name, bit}).second)
        return std::nullopt;
    }
  }
  std::vector<ScanStep> steps;
  for (auto &[coordinateBit, step] : byCoordinateBit) {
    if (coordinateBit != static_cast<int>(steps.size())) // a coordinate bit no input decides
      return std::nullopt;
    steps.push_back(step);
  }
  if (static_cast<int>(steps.size()) != layout.outs()[axis].log2_size)
    return std::nullopt;
  return steps;
}

} // namespace tegula::gpu
