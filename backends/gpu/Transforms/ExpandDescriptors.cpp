// tegula-expand-gpu-descriptors: descriptor loads and stores, and gathers, rewritten as
// (masked) accesses through tiles of pointers (Passes.td says why).
#include "backends/gpu/Transforms/Passes.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULAEXPANDGPUDESCRIPTORS
#include "backends/gpu/Transforms/Passes.h.inc"
} // namespace tegula::gpu

namespace {

using namespace mlir;
namespace tile = tegula::tile;

struct BlockAccess {
  Value ptrs, mask;
};

/// The pointers and the in-bounds mask of the block at `offsets` of `desc`: element i
/// of the block is element offsets + i of the tensor, in bounds when every coordinate
/// is in [0, shape).
BlockAccess blockAccess(OpBuilder &b, Location loc, tile::MakeDescOp desc, ValueRange offsets) {
  auto type = cast<tile::TensorDescType>(desc.getType());
  ArrayRef<int64_t> block = type.getBlockShape();
  const int64_t rank = static_cast<int64_t>(block.size());
  Type i32 = b.getI32Type();
  Value sum, mask;
  for (int64_t d = 0; d < rank; ++d) {
    auto line = RankedTensorType::get({block[d]}, i32);
    Value r = tile::RangeOp::create(b, loc, line, 0, static_cast<int32_t>(block[d]));
    Value at = arith::AddIOp::create(b, loc, tile::SplatOp::create(b, loc, line, offsets[d]), r);
    Value zero = tile::SplatOp::create(b, loc, line, arith::ConstantIntOp::create(b, loc, i32, 0));
    Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, at, zero);
    Value extent = tile::SplatOp::create(b, loc, line, desc.getShape()[d]);
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, at, extent);
    Value inside = arith::AndIOp::create(b, loc, above, below);
    Value step = arith::MulIOp::create(b, loc, at, tile::SplatOp::create(b, loc, line, desc.getStrides()[d]));
    // Along dimension d of the block, constant along the others.
    auto spread = [&](Value v) {
      SmallVector<int64_t> shape{block[d]};
      for (int64_t j = 0; j < rank; ++j) {
        if (j == d)
          continue;
        shape.insert(shape.begin() + j, 1);
        v = tile::ExpandDimsOp::create(
            b, loc, RankedTensorType::get(shape, cast<RankedTensorType>(v.getType()).getElementType()), v,
            static_cast<int32_t>(j));
      }
      return tile::BroadcastOp::create(
          b, loc, RankedTensorType::get(block, cast<RankedTensorType>(v.getType()).getElementType()), v);
    };
    Value full = spread(step), in = spread(inside);
    sum = sum ? Value(arith::AddIOp::create(b, loc, sum, full)) : full;
    mask = mask ? Value(arith::AndIOp::create(b, loc, mask, in)) : in;
  }
  auto ptrType = RankedTensorType::get(block, desc.getBase().getType());
  Value base = tile::SplatOp::create(b, loc, ptrType, desc.getBase());
  return {tile::AddPtrOp::create(b, loc, ptrType, base, sum), mask};
}

struct ExpandGpuDescriptorsPass
    : public tegula::gpu::impl::TegulaExpandGpuDescriptorsBase<ExpandGpuDescriptorsPass> {
  void runOnOperation() override {
    // A gather is a load through the base plus each index.
    getOperation().walk([&](tile::GatherOp gather) {
      OpBuilder b(gather);
      Location loc = gather.getLoc();
      auto type = gather.getType();
      auto ptrType = RankedTensorType::get(type.getShape(), gather.getBase().getType());
      Value base = tile::SplatOp::create(b, loc, ptrType, gather.getBase());
      Value ptrs = tile::AddPtrOp::create(b, loc, ptrType, base, gather.getIndices());
      Value loaded = tile::LoadOp::create(b, loc, type, ptrs, gather.getMask(), gather.getOther());
      gather.replaceAllUsesWith(loaded);
      gather->erase();
    });
    WalkResult result = getOperation().walk([&](Operation *op) {
      Value descValue;
      if (auto load = dyn_cast<tile::DescLoadOp>(op))
        descValue = load.getDesc();
      else if (auto store = dyn_cast<tile::DescStoreOp>(op))
        descValue = store.getDesc();
      else
        return WalkResult::advance();
      auto desc = descValue.getDefiningOp<tile::MakeDescOp>();
      if (!desc) {
        op->emitError("the GPU lowering reads descriptors made in the kernel (tile.make_desc), not ones carried "
                      "through loops or branches");
        return WalkResult::interrupt();
      }
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (auto load = dyn_cast<tile::DescLoadOp>(op)) {
        BlockAccess access = blockAccess(b, loc, desc, load.getOffsets());
        auto type = load.getType();
        Value zero = arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
        Value loaded = tile::LoadOp::create(b, loc, type, access.ptrs, access.mask, zero);
        load.replaceAllUsesWith(loaded);
      } else {
        auto store = cast<tile::DescStoreOp>(op);
        BlockAccess access = blockAccess(b, loc, desc, store.getOffsets());
        tile::StoreOp::create(b, loc, access.ptrs, store.getValue(), access.mask);
      }
      op->erase();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    // Descriptors left without users are gone too.
    getOperation().walk([](tile::MakeDescOp desc) {
      if (desc->use_empty())
        desc->erase();
    });
  }
};

} // namespace
