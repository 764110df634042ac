// Cluster sharing in tegula-convert-tile-to-maia. In a GEMM, the blocks of one row of C
// read the same slices of A, and the blocks of one column the same slices of B. When a
// cluster group of four tiles runs a 2x2 square of blocks, each slice is needed twice
// in the group: one instance fetches it from HBM into cluster SRAM, the barrier
// publishes it, and both copy it into TSRAM, which halves the HBM traffic for operands.
//
// A load is shared when it is in a pipelined loop at the kernel's top level, whose
// bounds are the same in every instance, and its address depends on exactly one of the
// grid axes 0 and 1 (and on the induction variable and the kernel's arguments). The
// kernel then runs as squares (GridMapping::ClusterSquares): every instance executes
// the same barriers, so an instance that completes a square past the grid's edge (an
// odd grid dimension) computes its neighbour's block again, fetches its share, and
// stores nothing.
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"
#include "tegula/maia/isa.h"

namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

namespace {
/// What a value may depend on, as bits: the program id along axis 0, 1 or 2, or
/// anything else that can differ between instances (loaded data, loop-carried values).
enum Dependence : unsigned { kAxis0 = 1, kAxis1 = 2, kAxis2 = 4, kVarying = 8 };

class InstanceDependence {
public:
  explicit InstanceDependence(func::FuncOp kernel) {
    // Pre-order: an op's operands are visited before it (regions' results are
    // conservatively varying, so nothing depends on a value not yet seen).
    kernel.walk<WalkOrder::PreOrder>([&](Operation *op) {
      unsigned bits = 0;
      for (Value v : op->getOperands())
        bits |= of(v);
      if (auto pid = dyn_cast<tile::ProgramIdOp>(op))
        bits |= 1u << static_cast<int32_t>(pid.getAxis());
      if (isa<tile::LoadOp, tile::DescLoadOp, tile::AtomicRMWOp, tile::AtomicCASOp>(op) || op->getNumRegions() != 0)
        bits |= kVarying;
      for (Value r : op->getResults())
        bits_[r] = bits;
    });
  }
  unsigned of(Value v) const {
    if (auto it = bits_.find(v); it != bits_.end())
      return it->second;
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg)
      return kVarying;
    Operation *owner = arg.getOwner()->getParentOp();
    if (isa<func::FuncOp>(owner))
      return 0; // kernel arguments are the same in every instance
    if (auto loop = dyn_cast<scf::ForOp>(owner); loop && arg == loop.getInductionVar())
      return of(loop.getLowerBound()) | of(loop.getUpperBound()) | of(loop.getStep());
    return kVarying;
  }
  unsigned ofOperands(Operation *op) const {
    unsigned bits = 0;
    for (Value v : op->getOperands())
      bits |= of(v);
    return bits;
  }

private:
  DenseMap<Value, unsigned> bits_;
};
} // namespace

void Lowering::planClusterSharing(func::FuncOp src) {
  // The squares are dealt one per cluster group, which the simulator forms from four
  // consecutive instances.
  if (clusterTiles_ != 4)
    return;
  bool eligible = true;
  bool usesAxis[2] = {false, false};
  src.walk([&](Operation *op) {
    if (auto pid = dyn_cast<tile::ProgramIdOp>(op)) {
      int32_t axis = static_cast<int32_t>(pid.getAxis());
      if (axis == 2)
        eligible = false;
      else
        usesAxis[axis] = true;
    }
    if (auto n = dyn_cast<tile::NumProgramsOp>(op); n && static_cast<int32_t>(n.getAxis()) == 2)
      eligible = false;
    // A stand-in instance must not write memory; atomics are not suppressed as stores are.
    if (isa<tile::AtomicRMWOp, tile::AtomicCASOp>(op))
      eligible = false;
  });
  // Only a 2-D grid has pairs along both axes of a square.
  if (!eligible || !usesAxis[0] || !usesAxis[1])
    return;
  InstanceDependence deps(src);
  for (Operation &op : src.getBody().front()) {
    auto loop = dyn_cast<scf::ForOp>(op);
    if (!loop)
      continue;
    APInt step;
    if (!matchPattern(loop.getStep(), m_ConstantInt(&step)) || !step.isStrictlyPositive())
      continue;
    // Every instance of the square must pass the loop's barriers the same number of times.
    if (deps.of(loop.getLowerBound()) | deps.of(loop.getUpperBound()))
      continue;
    SharedLoop plan;
    bool axes[2] = {false, false};
    for (Operation *load : prefetchableLoads(loop)) {
      unsigned bits = deps.ofOperands(load);
      if (bits != kAxis0 && bits != kAxis1)
        continue;
      auto type = cast<RankedTensorType>(load->getResult(0).getType());
      int64_t bytes = type.getNumElements() * bytesOf(type.getElementType());
      int64_t slot = (bytes + 255) / 256 * 256;
      int axis = bits == kAxis0 ? 0 : 1;
      axes[axis] = true;
      plan.loads.push_back(SharedLoad{load, axis, plan.stageBytes, slot});
      plan.stageBytes += 2 * slot;
    }
    // Both kinds of slice, or half of each square's fetches would be redundant.
    if (!axes[0] || !axes[1] || 2 * plan.stageBytes > csram_)
      continue;
    sharedLoops_[loop] = std::move(plan);
  }
  squares_ = !sharedLoops_.empty();
}

void Lowering::mapSquareLanes() {
  // An instance past the grid's end stands in for the last block along that axis: it
  // reads what that block reads and passes the same barriers, but stores nothing.
  laneU_ = mir::ClusterPidOp::create(b_, loc(), b_.getI64Type(), 0);
  laneV_ = mir::ClusterPidOp::create(b_, loc(), b_.getI64Type(), 1);
  for (int axis = 0; axis < 2; ++axis) {
    Value block = mir::ProgramIdOp::create(b_, loc(), b_.getI64Type(), axis);
    Value grid = mir::NumProgramsOp::create(b_, loc(), b_.getI64Type(), axis);
    squarePid_[axis] = min(block, sub(grid, cst(1)));
    Value inside = min(sub(grid, block), cst(1)); // 1 inside, 0 past the end
    live_ = axis == 0 ? inside : min(live_, inside);
  }
}

Value Lowering::slotAddress(const SharedLoad &load, int stage) {
  Value coord = load.axis == 0 ? laneU_ : laneV_;
  int64_t base = static_cast<int64_t>(kCsramWindow) + stage * sharedLoops_.find(load.load->getParentOp())->second.stageBytes + load.offset;
  return add(cst(base), mul(coord, cst(load.slotBytes)));
}

Value Lowering::fetchesShared(const SharedLoad &load) {
  // The square's four slices of one iteration are spread over its four instances: the
  // slice along axis 0 with coordinate u is fetched by lane (u, v = u), the slice along
  // axis 1 with coordinate v by lane (u = 1 - v, v). With d = u - v in {-1, 0, 1},
  // d * d is 0 on the diagonal and 1 off it.
  Value d = sub(laneU_, laneV_);
  Value offDiagonal = mul(d, d);
  return load.axis == 0 ? sub(cst(1), offDiagonal) : offDiagonal;
}

} // namespace tegula::maia::lowering
