// How an inclusive scan along one axis of a distributed tile runs, read off the layout.
// Every input bit whose basis steps along the axis (and only along it) decides one bit
// of the coordinate there; the scan walks those coordinate bits from the lowest up. At
// each step an element meets its partner (the input with that bit flipped: another
// register of the thread, a lane through a shuffle, or a warp through shared memory),
// takes the partner's group total, and the later of the two (the earlier, in a reverse
// scan) folds it into its prefix. After the step on coordinate bit k every element holds
// the scan of its aligned group of 2^(k+1) elements, so log2(length) steps finish it.
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_SCAN_H
#define TEGULA_BACKENDS_GPU_LAYOUT_SCAN_H

#include "backends/gpu/Layout/LinearLayout.h"

#include <optional>
#include <string>
#include <vector>

namespace tegula::gpu {

struct ScanStep {
  /// "register", "lane" or "warp": where the partner is.
  std::string in;
  /// The input bit that flips to reach the partner.
  int bit = 0;
};

/// The steps of a scan of `layout` ((register, lane, warp) -> (dim0, dim1, ...)) along
/// output dimension `axis`, lowest coordinate bit first; nullopt unless each coordinate
/// bit along the axis is decided by exactly one input bit that steps only along it (a
/// swizzled layout, which no butterfly scans).
std::optional<std::vector<ScanStep>> plan_scan(const LinearLayout &layout, int axis);

} // namespace tegula::gpu

#endif
