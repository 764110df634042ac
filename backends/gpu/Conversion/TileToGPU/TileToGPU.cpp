// tegula-convert-tile-to-gpu: each laid-out tile kernel becomes a gpu.func that one
// thread of the block runs, in upstream dialects only (gpu, arith, math, scf, vector,
// llvm). A tile becomes the registers the thread holds of it; what moves between
// threads (shuffles) is explicit. After this pass no Tegula op or type is left: the
// module is what every vendor's lowering, and the emulator, start from.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Conversion/TileToGPU/Passes.h"
#include "backends/gpu/Layout/Conversion.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <map>

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULACONVERTTILETOGPU
#include "backends/gpu/Conversion/TileToGPU/Passes.h.inc"
} // namespace tegula::gpu

namespace tegula::gpu::lowering {

using namespace mlir;

LogicalResult KernelLowering::lowerBlock(Block &block) {
  for (Operation &op : block)
    if (failed(lower(&op)))
      return failure();
  return success();
}

LogicalResult KernelLowering::lowerElementwise(Operation *op) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  const size_t count = regs_.lookup(op->getOperand(0)).size();
  for (Value operand : op->getOperands())
    if (isa<RankedTensorType>(operand.getType()) && regs_.lookup(operand).size() != count)
      return op->emitError("internal: operands of one elementwise op in different layouts");
  SmallVector<Value> out;
  for (size_t r = 0; r < count; ++r) {
    OperationState state(op->getLoc(), op->getName());
    for (Value operand : op->getOperands())
      state.addOperands(isa<RankedTensorType>(operand.getType()) ? regs_[operand][r] : scalars_.lookup(operand));
    state.addTypes(elementType(result));
    state.addAttributes(op->getAttrs());
    out.push_back(b.create(state)->getResult(0));
  }
  regs_[op->getResult(0)] = std::move(out);
  return success();
}

/// For each register of `to`, the register of `from` that holds the same element in the
/// same thread (`project` maps `to`'s coordinates to `from`'s). Fails where the element
/// is in another thread.
FailureOr<SmallVector<int64_t>>
KernelLowering::sourceRegisters(Operation *op, const LinearLayout &from, const LinearLayout &to,
                                function_ref<std::vector<int64_t>(std::vector<int64_t>)> project) {
  // `project` maps coordinates and may add a constant (split's second half): a basis,
  // a step between coordinates, maps through its linear part only.
  const std::vector<int64_t> origin = project(std::vector<int64_t>(to.outs().size(), 0));
  auto step = [&](const LinearLayout::Basis &basis) {
    std::vector<int64_t> image = project(basis);
    for (size_t d = 0; d < image.size(); ++d)
      image[d] ^= origin[d];
    return image;
  };
  for (const char *name : {"lane", "warp"})
    for (int bit = 0; (int64_t{1} << bit) < to.in_size(name); ++bit)
      if (from.in_size(name) != to.in_size(name) || step(to.basis(name, bit)) != from.basis(name, bit))
        return op->emitError("moving this tile between layouts crosses threads, which this op's lowering does "
                             "not do");
  std::map<std::vector<int64_t>, int64_t> registerOf;
  for (int64_t r = from.in_size("register") - 1; r >= 0; --r)
    registerOf[from.apply({{"register", r}})] = r;
  SmallVector<int64_t> out;
  for (int64_t r = 0; r < to.in_size("register"); ++r) {
    auto it = registerOf.find(project(to.apply({{"register", r}})));
    if (it == registerOf.end())
      return op->emitError("internal: a register of the result is in no register of the source");
    out.push_back(it->second);
  }
  return out;
}

/// A tile moved to another layout without leaving its thread.
LogicalResult KernelLowering::lowerRelayout(Operation *op, Value src, Value result,
                                            function_ref<std::vector<int64_t>(std::vector<int64_t>)> project) {
  FailureOr<LinearLayout> from = layoutOf(src, op), to = layoutOf(result, op);
  if (failed(from) || failed(to))
    return failure();
  FailureOr<SmallVector<int64_t>> sources = sourceRegisters(op, *from, *to, project);
  if (failed(sources))
    return failure();
  const SmallVector<Value> &source = regs_[src];
  SmallVector<Value> out;
  for (int64_t r : *sources)
    out.push_back(source[r]);
  regs_[result] = std::move(out);
  return success();
}

/// join: each register of the pairs is a register of one half (the last coordinate
/// says which); split: each register of a half is a register of the pairs.
LogicalResult KernelLowering::lowerPairs(Operation *op) {
  const bool join = isa<tile::JoinOp>(op);
  Value pairs = join ? op->getResult(0) : op->getOperand(0);
  Value half = join ? op->getOperand(0) : op->getResult(0);
  FailureOr<LinearLayout> pairLayout = layoutOf(pairs, op), halfLayout = layoutOf(half, op);
  if (failed(pairLayout) || failed(halfLayout))
    return failure();
  const size_t last = cast<RankedTensorType>(pairs.getType()).getRank() - 1;
  if (join) {
    // The half's register holding each element: the pair's coordinates without the
    // last, in the same thread.
    FailureOr<SmallVector<int64_t>> sources =
        sourceRegisters(op, *halfLayout, *pairLayout, [&](std::vector<int64_t> x) {
          x.erase(x.begin() + last);
          return x;
        });
    if (failed(sources))
      return failure();
    SmallVector<Value> out;
    for (int64_t r = 0; r < pairLayout->in_size("register"); ++r) {
      const int64_t which = pairLayout->apply({{"register", r}})[last];
      out.push_back(regs_[op->getOperand(which)][(*sources)[r]]);
    }
    regs_[pairs] = std::move(out);
    return success();
  }
  for (int which = 0; which < 2; ++which) {
    FailureOr<SmallVector<int64_t>> sources =
        sourceRegisters(op, *pairLayout, *halfLayout, [&](std::vector<int64_t> x) {
          x.push_back(which);
          return x;
        });
    if (failed(sources))
      return failure();
    SmallVector<Value> out;
    for (int64_t r : *sources)
      out.push_back(regs_[pairs][r]);
    regs_[op->getResult(which)] = std::move(out);
  }
  return success();
}

void KernelLowering::bindTiles(ValueRange from, ValueRange to, Location loc) {
  size_t next = 0;
  for (Value v : from) {
    if (auto tile = dyn_cast<RankedTensorType>(v.getType())) {
      SmallVector<Type> types;
      (void)flatTypes(tile, loc, types);
      regs_[v] = SmallVector<Value>(to.slice(next, types.size()));
      next += types.size();
    } else {
      scalars_.map(v, to[next++]);
    }
  }
}

LogicalResult KernelLowering::lowerFor(Operation *op) {
  auto loop = cast<scf::ForOp>(op);
  if (std::optional<Pipeline> plan = planPipeline(loop))
    return lowerPipelinedFor(loop, *plan);
  SmallVector<Value> inits;
  for (Value init : loop.getInitArgs())
    llvm::append_range(inits, flat(init));
  auto lowered = scf::ForOp::create(b, op->getLoc(), scalars_.lookup(loop.getLowerBound()),
                                    scalars_.lookup(loop.getUpperBound()), scalars_.lookup(loop.getStep()), inits);
  Block *body = lowered.getBody();
  scalars_.map(loop.getInductionVar(), lowered.getInductionVar());
  bindTiles(loop.getRegionIterArgs(), body->getArguments().drop_front(), op->getLoc());
  {
    OpBuilder::InsertionGuard guard(b);
    if (body->mightHaveTerminator())
      body->getTerminator()->erase();
    b.setInsertionPointToEnd(body);
    if (failed(lowerBlock(*loop.getBody())))
      return failure();
  }
  bindTiles(loop.getResults(), lowered.getResults(), op->getLoc());
  return success();
}

LogicalResult KernelLowering::lowerIf(Operation *op) {
  auto branch = cast<scf::IfOp>(op);
  SmallVector<Type> types;
  for (Type t : branch.getResultTypes())
    if (failed(flatTypes(t, op->getLoc(), types)))
      return failure();
  auto lowered = scf::IfOp::create(b, op->getLoc(), types, scalars_.lookup(branch.getCondition()),
                                   /*withElseRegion=*/!branch.getElseRegion().empty());
  for (auto [from, to] : {std::pair{&branch.getThenRegion(), &lowered.getThenRegion()},
                          std::pair{&branch.getElseRegion(), &lowered.getElseRegion()}}) {
    if (from->empty())
      continue;
    OpBuilder::InsertionGuard guard(b);
    Block &block = to->front();
    if (block.mightHaveTerminator())
      block.getTerminator()->erase();
    b.setInsertionPointToEnd(&block);
    if (failed(lowerBlock(from->front())))
      return failure();
  }
  size_t next = 0;
  for (Value result : branch.getResults()) {
    SmallVector<Type> parts;
    (void)flatTypes(result.getType(), op->getLoc(), parts);
    if (isa<RankedTensorType>(result.getType()))
      regs_[result] = SmallVector<Value>(lowered.getResults().slice(next, parts.size()));
    else
      scalars_.map(result, lowered.getResult(next));
    next += parts.size();
  }
  return success();
}

LogicalResult KernelLowering::lower(Operation *op) {
  Location loc = op->getLoc();
  auto tileResult = [&]() -> RankedTensorType {
    return op->getNumResults() == 1 ? dyn_cast<RankedTensorType>(op->getResult(0).getType()) : nullptr;
  };
  if (auto yield = dyn_cast<scf::YieldOp>(op)) {
    SmallVector<Value> values;
    for (Value v : yield.getOperands())
      llvm::append_range(values, flat(v));
    scf::YieldOp::create(b, loc, values);
    return success();
  }
  if (isa<func::ReturnOp>(op)) {
    ::mlir::gpu::ReturnOp::create(b, loc);
    return success();
  }
  if (isa<scf::ForOp>(op))
    return lowerFor(op);
  if (isa<scf::IfOp>(op))
    return lowerIf(op);
  if (isa<tile::LoadOp>(op))
    return lowerLoad(op);
  if (isa<tile::StoreOp>(op))
    return lowerStore(op);
  if (isa<tile::ReduceOp>(op))
    return lowerReduce(op);
  if (isa<tile::ReduceWithOp>(op))
    return lowerReduceWith(op);
  if (isa<tile::ScanOp>(op))
    return lowerScan(op);
  if (isa<tile::DotOp>(op))
    return lowerDot(op);
  if (isa<tile::AtomicRMWOp, tile::AtomicCASOp>(op))
    return lowerAtomic(op);
  if (isa<tile::PrintOp>(op))
    return lowerPrint(op);
  if (isa<tile::AssertOp>(op))
    return lowerAssert(op);
  if (auto id = dyn_cast<tile::ProgramIdOp>(op)) {
    Value index = ::mlir::gpu::BlockIdOp::create(b, loc, static_cast<::mlir::gpu::Dimension>(id.getAxis()));
    scalars_.map(id.getResult(), arith::IndexCastOp::create(b, loc, b.getI32Type(), index));
    return success();
  }
  if (auto count = dyn_cast<tile::NumProgramsOp>(op)) {
    Value index = ::mlir::gpu::GridDimOp::create(b, loc, static_cast<::mlir::gpu::Dimension>(count.getAxis()));
    scalars_.map(count.getResult(), arith::IndexCastOp::create(b, loc, b.getI32Type(), index));
    return success();
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    auto type = tileResult();
    if (!type) {
      scalars_.map(constant.getResult(), b.clone(*op)->getResult(0));
      return success();
    }
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense || !dense.isSplat())
      return op->emitError("the GPU lowering takes tile constants with one value, got ") << constant.getValue();
    Value element = arith::ConstantOp::create(b, loc, cast<TypedAttr>(dense.getSplatValue<Attribute>()));
    SmallVector<Type> parts;
    if (failed(flatTypes(type, loc, parts)))
      return failure();
    regs_[constant.getResult()] = SmallVector<Value>(parts.size(), element);
    return success();
  }
  if (auto splat = dyn_cast<tile::SplatOp>(op)) {
    SmallVector<Type> parts;
    if (failed(flatTypes(splat.getType(), loc, parts)))
      return failure();
    regs_[splat.getResult()] = SmallVector<Value>(parts.size(), scalars_.lookup(splat.getSrc()));
    return success();
  }
  if (auto range = dyn_cast<tile::RangeOp>(op)) {
    FailureOr<LinearLayout> layout = layoutOf(range.getResult(), op);
    if (failed(layout))
      return failure();
    const int64_t start = static_cast<int32_t>(range.getStart());
    SmallVector<Value> out;
    for (int64_t r = 0; r < layout->in_size("register"); ++r) {
      Value c = coordinate(*layout, r, 0, loc);
      out.push_back(start == 0 ? c : Value(arith::AddIOp::create(b, loc, c, i32(start, loc))));
    }
    regs_[range.getResult()] = std::move(out);
    return success();
  }
  if (auto addptr = dyn_cast<tile::AddPtrOp>(op)) {
    Type pointee = cast<tile::PointerType>(tile::elementTypeOf(addptr.getType())).getPointeeType();
    SmallVector<Value> ptrs = flat(addptr.getPtr()), offsets = flat(addptr.getOffset());
    SmallVector<Value> out;
    for (size_t r = 0; r < ptrs.size(); ++r)
      out.push_back(LLVM::GEPOp::create(b, loc, ptrs[r].getType(), elementType(pointee), ptrs[r],
                                        ValueRange{offsets.size() == 1 ? offsets[0] : offsets[r]}));
    if (tileResult())
      regs_[addptr.getResult()] = std::move(out);
    else
      scalars_.map(addptr.getResult(), out.front());
    return success();
  }
  if (auto broadcast = dyn_cast<tile::BroadcastOp>(op)) {
    ArrayRef<int64_t> srcShape = broadcast.getSrc().getType().getShape();
    return lowerRelayout(op, broadcast.getSrc(), broadcast.getResult(), [&](std::vector<int64_t> c) {
      for (size_t d = 0; d < c.size(); ++d)
        if (srcShape[d] == 1)
          c[d] = 0;
      return c;
    });
  }
  if (auto expand = dyn_cast<tile::ExpandDimsOp>(op)) {
    const unsigned axis = expand.getAxis();
    return lowerRelayout(op, expand.getSrc(), expand.getResult(), [&](std::vector<int64_t> c) {
      c.erase(c.begin() + axis);
      return c;
    });
  }
  if (auto trans = dyn_cast<tile::TransOp>(op)) {
    ArrayRef<int32_t> order = trans.getOrder();
    return lowerRelayout(op, trans.getSrc(), trans.getResult(), [&](std::vector<int64_t> c) {
      std::vector<int64_t> source(c.size());
      for (size_t i = 0; i < c.size(); ++i)
        source[order[i]] = c[i];
      return source;
    });
  }
  if (auto reshape = dyn_cast<tile::ReshapeOp>(op)) {
    // Row-major: the result's coordinates flattened are the source's flattened.
    ArrayRef<int64_t> from = reshape.getSrc().getType().getShape(), to = reshape.getType().getShape();
    return lowerRelayout(op, reshape.getSrc(), reshape.getResult(), [&](std::vector<int64_t> c) {
      int64_t flat = 0;
      for (size_t d = 0; d < to.size(); ++d)
        flat = flat * to[d] + c[d];
      std::vector<int64_t> source(from.size());
      for (size_t d = from.size(); d-- > 0;) {
        source[d] = flat % from[d];
        flat /= from[d];
      }
      return source;
    });
  }
  if (isa<tile::JoinOp, tile::SplitOp>(op))
    return lowerPairs(op);
  if (auto convert = dyn_cast<ir::ConvertLayoutOp>(op)) {
    FailureOr<LinearLayout> from = layoutOf(convert.getSrc(), op), to = layoutOf(convert.getResult(), op);
    if (failed(from) || failed(to))
      return failure();
    Type element = elementType(convert.getType());
    const int64_t bytes = element.isIntOrFloat() ? std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8) : 8;
    ConversionKind kind = plan_conversion(*from, *to, bytes).kind;
    if (kind == ConversionKind::None || kind == ConversionKind::Registers)
      return lowerRelayout(op, convert.getSrc(), convert.getResult(), [](std::vector<int64_t> c) { return c; });
    return lowerSharedConversion(op, convert.getSrc(), convert.getResult());
  }
  if (tileResult() && op->getNumRegions() == 0 && isa<arith::ArithDialect, math::MathDialect>(op->getDialect()))
    return lowerElementwise(op);
  bool touchesTiles = llvm::any_of(op->getOperandTypes(), [](Type t) { return isa<RankedTensorType>(t); }) ||
                      llvm::any_of(op->getResultTypes(), [](Type t) { return isa<RankedTensorType>(t); });
  if (!touchesTiles && op->getNumRegions() == 0 && isa<arith::ArithDialect, math::MathDialect>(op->getDialect())) {
    Operation *clone = b.clone(*op, scalars_);
    for (auto [from, to] : llvm::zip(op->getResults(), clone->getResults()))
      scalars_.map(from, to);
    return success();
  }
  return op->emitError("the GPU lowering does not handle '") << op->getName() << "' yet";
}

} // namespace tegula::gpu::lowering

namespace {

using namespace mlir;

struct ConvertTileToGpuPass : public tegula::gpu::impl::TegulaConvertTileToGpuBase<ConvertTileToGpuPass> {
  using TegulaConvertTileToGpuBase::TegulaConvertTileToGpuBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = module.getContext();
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tegula::tile::kKernelAttrName))
        kernels.push_back(func);
    if (kernels.empty())
      return;
    OpBuilder b(context);
    b.setInsertionPointToEnd(module.getBody());
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), b.getUnitAttr());
    auto gpuModule = gpu::GPUModuleOp::create(b, module.getLoc(), "tegula_kernels");
    for (func::FuncOp func : kernels) {
      std::optional<tegula::gpu::ir::BlockShape> block = tegula::gpu::ir::getBlock(func);
      if (!block) {
        func.emitError("a kernel without a block (tgpu.num_warps, tgpu.warp_size): run "
                       "tegula-coalesce-gpu-accesses first");
        return signalPassFailure();
      }
      SmallVector<Type> args;
      for (Type t : func.getArgumentTypes()) {
        if (isa<RankedTensorType>(t)) {
          func.emitError("a kernel takes scalars and pointers, not tiles");
          return signalPassFailure();
        }
        args.push_back(isa<tegula::tile::PointerType>(t)
                           ? Type(LLVM::LLVMPointerType::get(context, tegula::gpu::lowering::kGlobalAddressSpace))
                           : t);
      }
      b.setInsertionPointToEnd(gpuModule.getBody());
      auto kernel = gpu::GPUFuncOp::create(b, func.getLoc(), func.getName(), b.getFunctionType(args, {}));
      kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
      const int32_t threads = static_cast<int32_t>(block->warps * block->lanes);
      kernel.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({threads, 1, 1}));
      Block &entry = kernel.getBody().front();
      b.setInsertionPointToStart(&entry);
      tegula::gpu::lowering::KernelLowering lowering(b, kernel, *block, func.getLoc());
      lowering.plantShiftExchange = plantShiftExchange;
      lowering.plantSwapFragment = plantSwapFragment;
      lowering.asyncCopies = asyncCopies;
      lowering.plantDropAsyncWait = plantDropAsyncWait;
      if (auto stages = func->getAttrOfType<IntegerAttr>(tegula::tile::kNumStagesAttrName))
        lowering.numStages = stages.getInt();
      for (auto [from, to] : llvm::zip(func.getArguments(), entry.getArguments()))
        lowering.mapScalar(from, to);
      if (failed(lowering.lowerBlock(func.getBody().front()))) {
        gpuModule.erase();
        return signalPassFailure();
      }
    }
    for (func::FuncOp func : kernels)
      func.erase();
  }
};

} // namespace
