// How a reduction along one axis of a distributed tile combines its values, read off
// the layout: within each thread over the registers that step along the axis, then
// across the lanes that do (a butterfly: one shuffle per lane bit, exchanging with the
// lane whose id differs in that bit), then across the warps that do (through shared
// memory). Input bits that are copies (zero bases) hold equal values and take no part:
// combining them would count an element twice.
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_REDUCTION_H
#define TEGULA_BACKENDS_GPU_LAYOUT_REDUCTION_H

#include "backends/gpu/Layout/LinearLayout.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tegula::gpu {

struct ReductionPlan {
  /// Register index bits that step along the axis: a thread combines 2^size of them.
  std::vector<int> register_bits;
  /// Shuffle partners, in order: lane id XOR each (one lane bit each).
  std::vector<int64_t> lane_xor;
  /// Warp index bits that step along the axis: their partial results meet in shared
  /// memory.
  std::vector<int> warp_bits;
  bool crosses_warps() const { return !warp_bits.empty(); }
};

/// The plan for reducing `layout` ((register, lane, warp) -> (dim0, dim1, ...)) along
/// output dimension `axis`; nullopt where an input bit moves along the axis and across
/// it at once (a swizzled layout), which no butterfly reduces.
std::optional<ReductionPlan> plan_reduction(const LinearLayout &layout, int axis);

} // namespace tegula::gpu

#endif
