// A loop over k whose dot operands are loaded in the loop, software-pipelined over the
// kernel's num_stages (S) with asynchronous copies (cp.async) on targets that have them:
// each operand gets S buffers in shared memory laid out as the dot reads it; the loads of
// the first S - 1 steps are issued before the loop, one commit group per step; step i
// waits until its own group has landed (at most S - 2 newer ones pending), meets the
// block at a barrier, issues the loads of step i + S - 1 into the buffer step i - 1 read
// and commits them, then runs the dot from buffer i % S. The barrier is what lets the new
// copies overwrite the buffer of step i - 1: every thread has finished reading it. Steps
// past the end load nothing (a source size of 0 zero-fills the copy), so the loop's
// count need not be a multiple of anything, and after the loop the block waits for every
// copy, so that the buffers' bytes may be reused.
//
// What qualifies: a dot on mma.sync whose operand is a tile.load in the loop body (or B
// the tile.trans of one: its buffer then holds B's columns as rows), used only there,
// reading zeros where masked, contiguous along the load's rows in runs of 4, 8 or 16
// bytes (the access vector the coalescing proved), with its pointers and mask computed
// in the body from the induction variable and values from outside the loop.
// The address computation is lowered again for each step it loads. Anything else keeps
// its plain lowering.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// Whether `other` (a load's value where masked) is absent or zero everywhere: what a
/// zero-filling copy gives.
bool readsZerosWhereMasked(tile::LoadOp load) {
  Value other = load.getOther();
  if (!other)
    return true;
  if (auto splat = other.getDefiningOp<tile::SplatOp>()) // a scalar constant made a tile
    other = splat.getSrc();
  Attribute value;
  if (!matchPattern(other, m_Constant(&value)))
    return false;
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    value = dense.isSplat() ? dense.getSplatValue<Attribute>() : nullptr;
  if (auto f = dyn_cast_or_null<FloatAttr>(value))
    return f.getValue().isZero() && !f.getValue().isNegative();
  if (auto i = dyn_cast_or_null<IntegerAttr>(value))
    return i.getValue().isZero();
  return false;
}

/// Whether `op` is per-thread arithmetic that costs nothing but instructions to lower
/// again: no memory, no exchange between threads.
bool recomputable(Operation *op) {
  if (isa<tile::RangeOp, tile::SplatOp, tile::BroadcastOp, tile::ExpandDimsOp, tile::AddPtrOp, tile::ProgramIdOp,
          tile::NumProgramsOp>(op))
    return true;
  return isa<arith::ArithDialect>(op->getDialect()) && op->getNumRegions() == 0 && isMemoryEffectFree(op);
}

/// The ops of `body` that compute `roots` from the induction variable and values from
/// outside the loop, in program order; failure if any depends on something else (an
/// iteration argument, a load, an op with regions).
FailureOr<SmallVector<Operation *>> addressSlice(scf::ForOp loop, ValueRange roots) {
  Block *body = loop.getBody();
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> work(roots.begin(), roots.end());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (v == loop.getInductionVar())
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == body)
        return failure(); // an iteration argument
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!body->findAncestorOpInBlock(*def))
      continue; // from outside the loop
    if (def->getBlock() != body || !recomputable(def))
      return failure();
    if (slice.insert(def))
      llvm::append_range(work, def->getOperands());
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

} // namespace

std::optional<KernelLowering::Pipeline> KernelLowering::planPipeline(scf::ForOp loop) {
  if (!asyncCopies || numStages < 2)
    return std::nullopt;
  Pipeline plan;
  for (Operation &op : *loop.getBody()) {
    auto dot = dyn_cast<tile::DotOp>(&op);
    auto name = dot ? dot->getAttrOfType<StringAttr>(ir::kMatrixInstructionAttrName) : nullptr;
    if (!name)
      continue;
    std::optional<MatrixInstruction> instr = find_matrix_instruction(name.getValue().str(), false);
    if (!instr || instr->unit != MatrixUnit::MmaSync)
      continue;
    for (int operand = 0; operand < 2; ++operand) {
      Value tile = dot->getOperand(operand);
      if (!tile.hasOneUse())
        continue;
      // B as the transpose of a load (attention's K): the buffer keeps the load's rows,
      // which are B's columns, and ldmatrix reads them without transposing.
      auto trans = operand == 1 ? tile.getDefiningOp<tile::TransOp>() : nullptr;
      Value loaded = trans ? trans.getSrc() : tile;
      auto load = loaded.getDefiningOp<tile::LoadOp>();
      if (!load || load->getBlock() != loop.getBody() || !loaded.hasOneUse() || !readsZerosWhereMasked(load) ||
          (trans && trans->getBlock() != loop.getBody()))
        continue;
      FailureOr<LinearLayout> layout = layoutOf(load.getPtr(), load);
      auto widest = load->getAttrOfType<DenseI64ArrayAttr>(ir::kWidestVectorAttrName);
      if (failed(layout) || !widest || widest.size() != 2 || widest[0] != 1)
        continue;
      const int64_t vec = accessVector(load, load.getPtr(), *layout);
      auto type = cast<RankedTensorType>(loaded.getType());
      const int64_t bytes = vec * type.getElementType().getIntOrFloatBitWidth() / 8;
      const int64_t rowLength = dotOperandRow(type.getDimSize(1), type.getElementType());
      // Each copy lands as one aligned run of a buffer row.
      if ((bytes != 4 && bytes != 8 && bytes != 16) || rowVector(*layout, vec, rowLength) < vec)
        continue;
      SmallVector<Value> roots{load.getPtr()};
      if (load.getMask())
        roots.push_back(load.getMask());
      FailureOr<SmallVector<Operation *>> slice = addressSlice(loop, roots);
      if (failed(slice))
        continue;
      plan.operands.push_back({load, trans, tile, std::move(*layout), vec, type.getDimSize(0), rowLength,
                               dotOperandPhaseStep(*instr, operand, trans != nullptr), std::move(*slice)});
    }
  }
  if (plan.operands.empty())
    return std::nullopt;
  return plan;
}

Value KernelLowering::sharedPointer(Value buffer, Location loc) {
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value integer = arith::IndexCastOp::create(b, loc, b.getI64Type(), base);
  return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext(), kSharedAddressSpace), integer);
}

LogicalResult KernelLowering::issueCopies(const PipelinedOperand &operand, Value buffer, Value iv, Value step,
                                          Value slot, Value valid, Location loc) {
  // The address computation of the step that starts at `step`.
  scalars_.map(iv, step);
  for (Operation *op : operand.slice)
    if (failed(lower(op)))
      return failure();
  auto load = cast<tile::LoadOp>(operand.load);
  const SmallVector<Value> ptrs = flat(load.getPtr());
  const SmallVector<Value> masks = load.getMask() ? flat(load.getMask()) : SmallVector<Value>();
  Type element = cast<RankedTensorType>(operand.tile.getType()).getElementType();
  const int64_t bytes = operand.vec * element.getIntOrFloatBitWidth() / 8;
  const int64_t slotElements = operand.rows * operand.rowLength;
  OpBuilder::InsertionGuard guard(b);
  if (Value first = firstCopy(operand.layout, loc)) { // threads holding copies copy once
    auto branch = scf::IfOp::create(b, loc, TypeRange{}, first, /*withElseRegion=*/false);
    b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
  }
  Value shared = sharedPointer(buffer, loc);
  Value slotStart = arith::MulIOp::create(b, loc, slot, i32(slotElements, loc));
  const uint64_t copies = copyRegisterBits(operand.layout);
  Value full = i32(bytes, loc), none = i32(0, loc);
  for (int64_t r = 0; r < static_cast<int64_t>(ptrs.size()); r += operand.vec) {
    if (r & copies)
      continue;
    Value at = arith::AddIOp::create(b, loc, slotStart,
                                     dotOperandOffset(coordinate(operand.layout, r, 0, loc),
                                                      coordinate(operand.layout, r, 1, loc), operand.rowLength,
                                                      element, loc, operand.phaseStep));
    Value dst = LLVM::GEPOp::create(b, loc, shared.getType(), element, shared, ValueRange{at});
    Value on = masks.empty() ? valid : Value(arith::AndIOp::create(b, loc, masks[r], valid));
    Value source = arith::SelectOp::create(b, loc, on, full, none);
    // Named after the load it replaces, as the loads are in gpu-emu's report.
    NVVM::CpAsyncOp::create(b, operand.load->getLoc(), dst, ptrs[r], b.getI32IntegerAttr(static_cast<int32_t>(bytes)),
                            NVVM::LoadCacheModifierKindAttr::get(b.getContext(), bytes == 16
                                                                                     ? NVVM::LoadCacheModifierKind::CG
                                                                                     : NVVM::LoadCacheModifierKind::CA),
                            source);
  }
  return success();
}

LogicalResult KernelLowering::lowerPipelinedFor(scf::ForOp loop, const Pipeline &plan) {
  Location loc = loop.getLoc();
  const int64_t stages = numStages;
  Value from = scalars_.lookup(loop.getLowerBound()), upper = scalars_.lookup(loop.getUpperBound()),
        step = scalars_.lookup(loop.getStep());
  Value iv = loop.getInductionVar();
  SmallVector<Value> buffers;
  for (const PipelinedOperand &operand : plan.operands) {
    auto type = cast<RankedTensorType>(operand.tile.getType());
    buffers.push_back(sharedBuffer(type.getElementType(), stages * operand.rows * operand.rowLength, loc));
  }
  auto issueStep = [&](Value start, Value slot) -> LogicalResult {
    Value valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, start, upper);
    for (auto [operand, buffer] : llvm::zip(plan.operands, buffers))
      if (failed(issueCopies(operand, buffer, iv, start, slot, valid, loc)))
        return failure();
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
    return success();
  };

  // Earlier shared-memory accesses may share these buffers' bytes (buffers are placed by
  // liveness, and the copies are not accesses tegula-insert-gpu-barriers sees).
  ::mlir::gpu::BarrierOp::create(b, loc);
  for (int64_t s = 0; s + 1 < stages; ++s) {
    Value start = arith::AddIOp::create(b, loc, from, arith::MulIOp::create(b, loc, step, i32(s, loc)));
    if (failed(issueStep(start, i32(s, loc))))
      return failure();
  }

  SmallVector<Value> inits;
  for (Value init : loop.getInitArgs())
    llvm::append_range(inits, flat(init));
  auto lowered = scf::ForOp::create(b, loc, from, upper, step, inits);
  Block *body = lowered.getBody();
  bindTiles(loop.getRegionIterArgs(), body->getArguments().drop_front(), loc);
  {
    OpBuilder::InsertionGuard guard(b);
    if (body->mightHaveTerminator())
      body->getTerminator()->erase();
    b.setInsertionPointToEnd(body);
    Value now = lowered.getInductionVar();
    if (!plantDropAsyncWait)
      NVVM::CpAsyncWaitGroupOp::create(b, loc, static_cast<int32_t>(stages - 2));
    ::mlir::gpu::BarrierOp::create(b, loc);
    Value index = arith::DivSIOp::create(b, loc, arith::SubIOp::create(b, loc, now, from), step);
    Value slot = arith::RemSIOp::create(b, loc, index, i32(stages, loc));
    Value ahead = arith::AddIOp::create(b, loc, now, arith::MulIOp::create(b, loc, step, i32(stages - 1, loc)));
    Value aheadSlot =
        arith::RemSIOp::create(b, loc, arith::AddIOp::create(b, loc, index, i32(stages - 1, loc)), i32(stages, loc));
    if (failed(issueStep(ahead, aheadSlot)))
      return failure();
    scalars_.map(iv, now);
    llvm::DenseSet<Operation *> replaced; // by the copies
    for (auto [operand, buffer] : llvm::zip(plan.operands, buffers)) {
      replaced.insert(operand.load);
      if (operand.trans)
        replaced.insert(operand.trans);
      staged_[operand.tile] = {buffer, arith::MulIOp::create(b, loc, slot, i32(operand.rows * operand.rowLength, loc)),
                               operand.trans != nullptr, operand.phaseStep};
    }
    for (Operation &op : *loop.getBody())
      if (!replaced.contains(&op) && failed(lower(&op)))
        return failure();
    for (const PipelinedOperand &operand : plan.operands)
      staged_.erase(operand.tile);
  }
  bindTiles(loop.getResults(), lowered.getResults(), loc);
  // The copies of steps past the end have not landed: wait for them before the buffers'
  // bytes are reused.
  NVVM::CpAsyncWaitGroupOp::create(b, loc, 0);
  ::mlir::gpu::BarrierOp::create(b, loc);
  return success();
}

} // namespace tegula::gpu::lowering
