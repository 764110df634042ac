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

ir::BlockedEncodingAttr accumulatorLayout(MLIRContext *context, ArrayRef<int64_t> shape, ir::BlockShape block) {
  // Split `count` (a power of two) into (rows, cols), cols taking the larger half,
  // each within its extent; what neither extent takes becomes copies along the rows.
  auto split = [](int64_t count, int64_t rowsLeft, int64_t colsLeft) {
    int64_t cols = 1;
    while (cols * cols < count)
      cols *= 2;
    cols = std::min(cols, floorPowerOfTwo(std::max<int64_t>(1, colsLeft)));
    int64_t rows = std::min(count / cols, floorPowerOfTwo(std::max<int64_t>(1, rowsLeft)));
    cols = std::min(count / rows, std::max(cols, floorPowerOfTwo(std::max<int64_t>(1, colsLeft))));
    rows = count / cols; // copies where the tile is too small
    return std::pair<int64_t, int64_t>{rows, cols};
  };
  auto [laneRows, laneCols] = split(block.lanes, shape[0], shape[1]);
  auto [warpRows, warpCols] = split(block.warps, shape[0] / laneRows, shape[1] / laneCols);
  return ir::BlockedEncodingAttr::get(context, {1, 1}, {laneRows, laneCols}, {warpRows, warpCols}, {1, 0});
}

} // namespace tegula::gpu
