// tegula-insert-gpu-barriers: a gpu.barrier before each shared-memory access that could
// otherwise meet another thread's access to the same bytes since the last barrier
// (Passes.td).
#include "backends/gpu/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULAINSERTGPUBARRIERS
#include "backends/gpu/Transforms/Passes.h.inc"
} // namespace tegula::gpu

namespace {

using namespace mlir;
namespace mgpu = ::mlir::gpu;

/// Bytes [lo, hi) of one root buffer (a workgroup attribution) that an access may touch.
struct Region {
  Value root;
  int64_t lo = 0, hi = 0;
  int64_t exchange = -1; ///< the tile exchange the access belongs to (-1: unknown)
  bool overlaps(const Region &o) const { return root == o.root && lo < o.hi && o.lo < hi; }
  bool operator==(const Region &o) const {
    return root == o.root && lo == o.lo && hi == o.hi && exchange == o.exchange;
  }
};

/// Adds `r` unless it is there: states merge at every branch and loop.
void add(SmallVector<Region> &regions, const Region &r) {
  if (!llvm::is_contained(regions, r))
    regions.push_back(r);
}

struct State {
  SmallVector<Region> reads, writes;
  void clear() {
    reads.clear();
    writes.clear();
  }
  void merge(const State &o) {
    for (const Region &r : o.reads)
      add(reads, r);
    for (const Region &w : o.writes)
      add(writes, w);
  }
};

bool isWorkgroup(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  auto space = memref ? dyn_cast_or_null<mgpu::AddressSpaceAttr>(memref.getMemorySpace()) : nullptr;
  return space && space.getValue() == mgpu::AddressSpace::Workgroup;
}

int64_t byteSize(MemRefType type) {
  return type.getNumElements() * std::max<int64_t>(8, type.getElementType().getIntOrFloatBitWidth()) / 8;
}

/// The bytes a memref of workgroup memory covers: a view at a constant offset of an
/// attribution, or the attribution itself. Unknown views cover their whole root.
Region regionOf(Value memref) {
  Region region;
  auto type = cast<MemRefType>(memref.getType());
  if (auto view = memref.getDefiningOp<memref::ViewOp>()) {
    region = regionOf(view.getSource());
    std::optional<int64_t> offset = getConstantIntValue(view.getByteShift());
    if (offset && type.hasStaticShape()) {
      region.lo += *offset;
      region.hi = region.lo + byteSize(type);
    }
    return region;
  }
  region.root = memref;
  region.hi = type.hasStaticShape() ? byteSize(type) : INT64_MAX;
  return region;
}

struct Access {
  Region region;
  bool write = false;
};

std::optional<Access> sharedAccess(Operation *op) {
  Value memref;
  bool write = false;
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    memref = load.getMemRef();
  } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
    memref = store.getMemRef();
    write = true;
  } else if (auto load = dyn_cast<nvgpu::LdMatrixOp>(op)) {
    memref = load.getSrcMemref();
  } else if (auto load = dyn_cast<vector::LoadOp>(op)) {
    memref = load.getBase();
  } else if (auto store = dyn_cast<vector::StoreOp>(op)) {
    memref = store.getBase();
    write = true;
  }
  if (!memref || !isWorkgroup(memref.getType()))
    return std::nullopt;
  Access access{regionOf(memref), write};
  if (auto id = op->getAttrOfType<IntegerAttr>(tegula::gpu::ir::kExchangeAttrName))
    access.region.exchange = id.getInt();
  return access;
}

/// Whether `a` must wait for the accesses of `state`: a read for earlier writes, a write
/// for earlier reads and writes; but the writes of one exchange never meet (each
/// element is written by one thread).
bool conflicts(const State &state, const Access &a) {
  for (const Region &w : state.writes)
    if (w.overlaps(a.region) && !(a.write && w.exchange >= 0 && w.exchange == a.region.exchange))
      return true;
  if (a.write)
    for (const Region &r : state.reads)
      if (r.overlaps(a.region))
        return true;
  return false;
}

void record(State &state, const Access &a) { add(a.write ? state.writes : state.reads, a.region); }

class BarrierInsertion {
public:
  /// Walks `block` from `state`, inserting barriers where an access conflicts; inside a
  /// branch (`divergent`), where only part of the block may run, a barrier cannot go:
  /// the caller puts one before the branch, and a conflict within it is an error.
  LogicalResult run(Block &block, State &state, bool divergent) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (isa<mgpu::BarrierOp>(op)) {
        state.clear();
        continue;
      }
      if (std::optional<Access> access = sharedAccess(&op)) {
        if (conflicts(state, *access)) {
          if (divergent)
            return op.emitError("shared-memory accesses that need a barrier between them inside a branch that "
                                "only part of the block may take");
          {
            OpBuilder b(&op);
            mgpu::BarrierOp::create(b, op.getLoc());
          }
          ++inserted;
          state.clear();
        }
        record(state, *access);
        continue;
      }
      if (auto loop = dyn_cast<scf::ForOp>(op)) {
        // Twice: the second pass starts from what the first iteration left, as every
        // later iteration does.
        State first = state;
        if (failed(run(*loop.getBody(), first, divergent)))
          return failure();
        State again = state;
        again.merge(first);
        if (failed(run(*loop.getBody(), again, divergent)))
          return failure();
        state.merge(again);
        continue;
      }
      if (auto branch = dyn_cast<scf::IfOp>(op)) {
        if (!divergent && conflictsWithin(branch, state)) {
          {
            OpBuilder b(&op);
            mgpu::BarrierOp::create(b, op.getLoc());
          }
          ++inserted;
          state.clear();
        }
        State taken = state, other = state;
        if (failed(run(branch.getThenRegion().front(), taken, true)))
          return failure();
        if (!branch.getElseRegion().empty() && failed(run(branch.getElseRegion().front(), other, true)))
          return failure();
        state = taken;
        state.merge(other);
        continue;
      }
      if (op.getNumRegions() != 0) {
        bool touches = false;
        op.walk([&](Operation *inner) { touches = touches || sharedAccess(inner).has_value(); });
        if (touches)
          return op.emitError("barrier insertion does not follow shared memory into '") << op.getName() << "'";
      }
    }
    return success();
  }

  int64_t inserted = 0;

private:
  static bool conflictsWithin(scf::IfOp branch, const State &state) {
    bool found = false;
    branch.walk([&](Operation *op) {
      if (std::optional<Access> access = sharedAccess(op))
        found = found || conflicts(state, *access);
    });
    return found;
  }
};

struct InsertGpuBarriersPass : public tegula::gpu::impl::TegulaInsertGpuBarriersBase<InsertGpuBarriersPass> {
  using TegulaInsertGpuBarriersBase::TegulaInsertGpuBarriersBase;
  void runOnOperation() override {
    getOperation().walk([&](mgpu::GPUFuncOp func) {
      if (plantDrop) {
        func.walk([](Operation *op) { op->removeAttr(tegula::gpu::ir::kExchangeAttrName); });
        return;
      }
      BarrierInsertion insertion;
      State state;
      if (failed(insertion.run(func.getBody().front(), state, false)))
        return signalPassFailure();
      func.walk([](Operation *op) { op->removeAttr(tegula::gpu::ir::kExchangeAttrName); });
    });
  }
};

} // namespace
