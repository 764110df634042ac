// tegula-coalesce-gpu-accesses: the blocked layout of each global access, from the axis
// info of its pointers and mask (Passes.td says how it is chosen).
#include "backends/gpu/Transforms/Passes.h"

#include "backends/gpu/Transforms/BlockedLayouts.h"

#include "dialects/tile/Analysis/AxisInfo.h"
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <algorithm>
#include <array>
#include <optional>

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULACOALESCEGPUACCESSES
#include "backends/gpu/Transforms/Passes.h.inc"
} // namespace tegula::gpu

namespace {

using namespace mlir;
using tegula::gpu::floorPowerOfTwo;
using tegula::gpu::ir::BlockedEncodingAttr;

/// The dimensions, most contiguous first; equal ones in row-major order (last first).
SmallVector<int64_t> accessOrder(ArrayRef<int64_t> contiguity) {
  SmallVector<int64_t> order;
  for (int64_t d = static_cast<int64_t>(contiguity.size()) - 1; d >= 0; --d)
    order.push_back(d);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return contiguity[a] > contiguity[b]; });
  return order;
}

/// The coalesced layout of an access, and its fastest dimension with the widest vector
/// along it that the axis info proves safe (which the tile's share per thread may not
/// fill).
std::pair<BlockedEncodingAttr, std::array<int64_t, 2>> coalescedLayout(MLIRContext *context, ArrayRef<int64_t> shape,
                                                        const tegula::tile::AxisInfo &ptr,
                                                        std::optional<const tegula::tile::AxisInfo *> mask,
                                                        int64_t elementBytes, tegula::gpu::ir::BlockShape block) {
  SmallVector<int64_t> order = accessOrder(ptr.getContiguity());
  const int64_t fast = order.front();
  int64_t elements = 1; // saturated: only its ratio to the block's threads matters
  for (int64_t extent : shape)
    elements = std::min<int64_t>(elements * std::min<int64_t>(extent, int64_t{1} << 30), int64_t{1} << 30);
  // Every bound is a power of two, so the vector divides each run it must stay inside
  // (a run of 48 contiguous elements takes vectors of 16, not 32).
  using tegula::tile::AxisInfo;
  int64_t widest = std::min({AxisInfo::getHighestPowerOf2Divisor(ptr.getContiguity(fast)), ptr.getDivisibility(fast),
                             floorPowerOfTwo(std::max<int64_t>(1, 16 / elementBytes)), floorPowerOfTwo(shape[fast])});
  if (mask) // a mask the analysis does not reach may change at every element
    widest = std::min(widest, *mask ? AxisInfo::getHighestPowerOf2Divisor((*mask)->getConstancy(fast)) : 1);
  const int64_t vec = std::min(widest, floorPowerOfTwo(std::max<int64_t>(1, elements / (block.warps * block.lanes))));
  return {tegula::gpu::fillBlock(context, shape, order, vec, block), {fast, widest}};
}

struct CoalesceGpuAccessesPass
    : public tegula::gpu::impl::TegulaCoalesceGpuAccessesBase<CoalesceGpuAccessesPass> {
  using TegulaCoalesceGpuAccessesBase::TegulaCoalesceGpuAccessesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (int64_t v : {static_cast<int64_t>(numWarps), static_cast<int64_t>(warpSize)})
      if (v < 1 || (v & (v - 1)) != 0 || v > 1024) {
        module.emitError() << "num-warps and warp-size must be powers of two up to 1024, got " << v;
        return signalPassFailure();
      }
    for (auto func : module.getOps<func::FuncOp>()) {
      if (!func->hasAttr(tegula::tile::kKernelAttrName))
        continue;
      // The kernel's own choice (a meta-parameter) before the target's default.
      int64_t warps = numWarps;
      if (auto chosen = func->getAttrOfType<IntegerAttr>(tegula::tile::kNumWarpsAttrName))
        warps = chosen.getInt();
      const int64_t lanes = warpSize, most = maxThreads;
      if (warps * lanes > most) {
        func.emitError() << "kernel '" << func.getSymName() << "' runs as " << warps << " warps of " << lanes
                         << " lanes, " << warps * lanes << " threads; this target runs at most " << most
                         << " threads in a block (" << most / lanes << " warps)";
        return signalPassFailure();
      }
      const tegula::gpu::ir::BlockShape block{warps, lanes};
      tegula::gpu::ir::setBlock(func, block);
      tegula::tile::AxisInfoAnalysis axis(func);
      func.walk([&](Operation *op) {
        Value ptr, mask;
        if (auto load = dyn_cast<tegula::tile::LoadOp>(op)) {
          ptr = load.getPtr();
          mask = load.getMask();
        } else if (auto store = dyn_cast<tegula::tile::StoreOp>(op)) {
          ptr = store.getPtr();
          mask = store.getMask();
        } else {
          return;
        }
        auto tile = dyn_cast<RankedTensorType>(ptr.getType());
        const tegula::tile::AxisInfo *info = axis.getAxisInfo(ptr);
        if (!tile || !info) // a scalar access, or one the analysis does not reach
          return;
        auto pointee = cast<tegula::tile::PointerType>(tile.getElementType()).getPointeeType();
        int64_t bytes = pointee.isIntOrFloat() ? std::max<int64_t>(1, pointee.getIntOrFloatBitWidth() / 8) : 8;
        std::optional<const tegula::tile::AxisInfo *> maskInfo;
        if (mask)
          maskInfo = axis.getAxisInfo(mask);
        auto [layout, widest] = coalescedLayout(op->getContext(), tile.getShape(), *info, maskInfo, bytes, block);
        op->setAttr(tegula::gpu::ir::kAccessLayoutAttrName, layout);
        op->setAttr(tegula::gpu::ir::kWidestVectorAttrName, DenseI64ArrayAttr::get(op->getContext(), widest));
      });
    }
  }
};

} // namespace
