#include "backends/gpu/Transforms/BlockedLayouts.h"

#include <algorithm>

namespace tegula::gpu {

using namespace mlir;

int64_t floorPowerOfTwo(int64_t v) {
  int64_t p = 1;
  while (p * 2 <= v)
    p *= 2;
  return p;
}

ir::BlockedEncodingAttr fillBlock(MLIRContext *context, ArrayRef<int64_t> shape, ArrayRef<int64_t> order,
                                  int64_t vector, ir::BlockShape block) {
  const size_t rank = shape.size();
  const int64_t fast = order.front();
  SmallVector<int64_t> perThread(rank, 1), lanes(rank, 1), warps(rank, 1);
  perThread[fast] = vector;
  int64_t lanesLeft = block.lanes, warpsLeft = block.warps;
  for (int64_t d : order) {
    lanes[d] = std::min(lanesLeft, floorPowerOfTwo(std::max<int64_t>(1, shape[d] / perThread[d])));
    lanesLeft /= lanes[d];
  }
  lanes[fast] *= lanesLeft; // lanes past the tile hold copies
  for (int64_t d : order) {
    warps[d] = std::min(warpsLeft, floorPowerOfTwo(std::max<int64_t>(1, shape[d] / (perThread[d] * lanes[d]))));
    warpsLeft /= warps[d];
  }
  warps[order.back()] *= warpsLeft; // and so do warps
  return ir::BlockedEncodingAttr::get(context, perThread, lanes, warps, order);
}

ir::BlockedEncodingAttr defaultLayout(MLIRContext *context, ArrayRef<int64_t> shape, ir::BlockShape block) {
  SmallVector<int64_t> order;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d)
    order.push_back(d);
  return fillBlock(context, shape, order, 1, block);
}

} // namespace tegula::gpu
