// tegula-allocate-shared-memory: the workgroup buffers of each gpu.func placed in one
// block of shared memory, buffers whose lives do not overlap sharing bytes (Passes.td).
#include "backends/gpu/Transforms/Passes.h"

#include "backends/gpu/IR/GPUDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>
#include <map>

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULAALLOCATESHAREDMEMORY
#include "backends/gpu/Transforms/Passes.h.inc"
} // namespace tegula::gpu

namespace {

using namespace mlir;
namespace mgpu = ::mlir::gpu;

constexpr int64_t kAlignment = 16;

struct Buffer {
  unsigned attribution;
  MemRefType type;
  int64_t bytes = 0;
  int64_t first = 0, last = 0; ///< program points of its first and last use (inclusive)
  int64_t offset = -1;
};

/// Program points: each op's position in a pre-order walk, and the last point inside it.
struct ProgramPoints {
  DenseMap<Operation *, int64_t> start, end;
  explicit ProgramPoints(Operation *root) {
    int64_t next = 0;
    root->walk<WalkOrder::PreOrder>([&](Operation *op) { start[op] = next++; });
    root->walk<WalkOrder::PostOrder>([&](Operation *op) {
      int64_t last = start[op];
      for (Region &r : op->getRegions())
        for (Block &b : r)
          for (Operation &inner : b)
            last = std::max(last, end[&inner]);
      end[op] = last;
    });
  }
};

/// The span in which `value`'s contents matter: from its first to its last use, where a
/// use inside a loop that the other uses are outside of counts as the whole loop.
std::pair<int64_t, int64_t> liveSpan(Value value, const ProgramPoints &points) {
  SmallVector<Operation *> users(value.getUsers().begin(), value.getUsers().end());
  if (users.empty())
    return {0, -1};
  Region *common = users.front()->getParentRegion();
  auto contains = [](Region *region, Operation *op) { return region->isAncestor(op->getParentRegion()); };
  while (!llvm::all_of(users, [&](Operation *u) { return contains(common, u); }))
    common = common->getParentRegion();
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (Operation *user : users) {
    Operation *at = common->findAncestorOpInRegion(*user);
    first = std::min(first, points.start.lookup(at));
    last = std::max(last, points.end.lookup(at));
  }
  return {first, last};
}

int64_t byteSize(MemRefType type) {
  const int64_t bits = type.getElementType().getIntOrFloatBitWidth();
  return (type.getNumElements() * std::max<int64_t>(8, bits) / 8 + kAlignment - 1) / kAlignment * kAlignment;
}

struct AllocateSharedMemoryPass
    : public tegula::gpu::impl::TegulaAllocateSharedMemoryBase<AllocateSharedMemoryPass> {
  using TegulaAllocateSharedMemoryBase::TegulaAllocateSharedMemoryBase;

  void runOnOperation() override {
    getOperation().walk([&](mgpu::GPUFuncOp func) {
      if (failed(allocate(func)))
        signalPassFailure();
    });
  }

  LogicalResult allocate(mgpu::GPUFuncOp func) {
    OpBuilder b(func.getContext());
    const unsigned count = func.getNumWorkgroupAttributions();
    ProgramPoints points(func);
    SmallVector<Buffer> buffers;
    for (unsigned i = 0; i < count; ++i) {
      BlockArgument arg = func.getWorkgroupAttributions()[i];
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !type.hasStaticShape() || type.getRank() != 1 || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat())
        return func.emitError("shared memory buffers are placed when they are 1-d memrefs of numbers, got ")
               << arg.getType();
      Buffer buffer{i, type, byteSize(type)};
      std::tie(buffer.first, buffer.last) = liveSpan(arg, points);
      buffers.push_back(buffer);
    }
    // Largest first, each at the lowest offset clear of every placed buffer it lives
    // alongside.
    SmallVector<Buffer *> order;
    for (Buffer &buffer : buffers)
      order.push_back(&buffer);
    std::stable_sort(order.begin(), order.end(), [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
    int64_t total = 0;
    for (Buffer *buffer : order) {
      SmallVector<std::pair<int64_t, int64_t>> taken;
      for (Buffer *other : order)
        if (other->offset >= 0 && other->first <= buffer->last && buffer->first <= other->last)
          taken.push_back({other->offset, other->offset + other->bytes});
      std::sort(taken.begin(), taken.end());
      int64_t offset = 0;
      for (auto [lo, hi] : taken)
        if (offset + buffer->bytes > lo && offset < hi)
          offset = std::max(offset, hi);
      buffer->offset = offset;
      total = std::max(total, offset + buffer->bytes);
    }
    const bool dynamic = limit > 0 && total > limit && total <= dynamicLimit;
    if (limit > 0 && total > limit && !dynamic)
      return func.emitError("kernel '")
             << func.getName() << "' needs " << total << " bytes of shared memory in " << buffers.size()
             << " buffers, and a block of the target has " << std::max<int64_t>(limit, dynamicLimit)
             << ": use smaller blocks, fewer stages or fewer warps";
    if (buffers.empty())
      return success();
    auto space = mgpu::AddressSpaceAttr::get(func.getContext(), mgpu::AddressSpace::Workgroup);
    b.setInsertionPointToStart(&func.getBody().front());
    Value whole;
    if (dynamic) {
      // The launch provides the bytes; the kernel says how many it needs.
      whole = mgpu::DynamicSharedMemoryOp::create(
          b, func.getLoc(), MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), MemRefLayoutAttrInterface{}, space));
      func->setAttr(tegula::gpu::ir::kDynamicSharedBytesAttrName, b.getI64IntegerAttr(total));
    } else {
      whole = func.addWorkgroupAttribution(MemRefType::get({total}, b.getI8Type(), MemRefLayoutAttrInterface{}, space),
                                           func.getLoc());
    }
    std::map<int64_t, Value> offsets;
    for (const Buffer &buffer : buffers) {
      BlockArgument arg = func.getWorkgroupAttributions()[buffer.attribution];
      Value &offset = offsets[buffer.offset];
      if (!offset)
        offset = arith::ConstantIndexOp::create(b, arg.getLoc(), buffer.offset);
      Value view = memref::ViewOp::create(b, arg.getLoc(), buffer.type, whole, offset, ValueRange{});
      arg.replaceAllUsesWith(view);
    }
    // The placed buffers' attributions go; only the whole block of bytes stays, as an
    // attribution or as the dynamic shared memory.
    func.getBody().front().eraseArguments(func.getFirstWorkgroupAttributionIndex(), count);
    func->setAttr(mgpu::GPUFuncOp::getNumWorkgroupAttributionsAttrName(), b.getI64IntegerAttr(dynamic ? 0 : 1));
    func->removeAttr("workgroup_attrib_attrs");
    return success();
  }
};

} // namespace
