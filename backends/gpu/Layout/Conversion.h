// How a tile moves from one distributed layout to another: computed from the two
// layouts, not from their kinds. The map from each destination (register, lane, warp)
// to a source (register, lane, warp) holding the same element says what must move:
// nothing, registers within each thread, values between the lanes of each warp
// (shuffles), or values between warps (through shared memory, with a swizzle chosen
// against bank conflicts).
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_CONVERSION_H
#define TEGULA_BACKENDS_GPU_LAYOUT_CONVERSION_H

#include "backends/gpu/Layout/SharedMemory.h"

namespace tegula::gpu {

enum class ConversionKind {
  None,          ///< the same element in the same register of the same thread
  Registers,     ///< each thread already holds what it needs, in other registers
  WarpShuffles,  ///< each warp holds what it needs: lanes exchange values
  SharedMemory,  ///< values cross warps: written to shared memory, read back
};

const char *conversion_kind_name(ConversionKind kind);

struct ConversionPlan {
  ConversionKind kind = ConversionKind::None;
  /// Destination (register, lane, warp) -> a source (register, lane, warp).
  LinearLayout source_of;
  /// For SharedMemory between 2-D layouts: the stored tile's swizzle and the cost of
  /// each side (other ranks are stored row-major, unswizzled).
  Swizzle swizzle;
  AccessCost write, read;
};

/// The plan for moving a tile from `from` to `to` ((register, lane, warp) -> (dim0,
/// dim1) over one tile). `from` must hold every element (surjective); throws
/// std::invalid_argument otherwise. Where `from` holds copies, the source is the copy
/// `right_inverse` picks, not necessarily the nearest one: the plan may move more than
/// the least possible, never the wrong element.
ConversionPlan plan_conversion(const LinearLayout &from, const LinearLayout &to, int64_t element_bytes,
                               const SharedMemoryBanks &banks = {});

} // namespace tegula::gpu

#endif
