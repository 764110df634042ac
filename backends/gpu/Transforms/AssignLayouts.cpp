// tegula-assign-gpu-layouts: a layout encoding on every tile value of a kernel, and a
// tgpu.convert_layout wherever a use needs another (Passes.td says how they are chosen).
#include "backends/gpu/Transforms/Passes.h"

#include "backends/gpu/Layout/MatrixInstruction.h"
#include "backends/gpu/Transforms/BlockedLayouts.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace tegula::gpu {
#define GEN_PASS_DEF_TEGULAASSIGNGPULAYOUTS
#include "backends/gpu/Transforms/Passes.h.inc"
} // namespace tegula::gpu

namespace {

using namespace mlir;
namespace tile = tegula::tile;
namespace tgpu = tegula::gpu::ir;

RankedTensorType tileType(Value v) { return dyn_cast<RankedTensorType>(v.getType()); }

/// Arithmetic and math applied element by element: the result's layout is every
/// operand's.
bool isElementwise(Operation *op) {
  if (op->getNumRegions() != 0 || op->getNumResults() != 1 || !tileType(op->getResult(0)))
    return false;
  if (isa<tile::AddPtrOp>(op))
    return true;
  Dialect *dialect = op->getDialect();
  return dialect && isa<arith::ArithDialect, math::MathDialect>(dialect) && !isa<arith::ConstantOp>(op);
}

/// Ops whose results take their layout from no operand: the users decide.
bool isSource(Operation *op) { return isa<tile::RangeOp, tile::SplatOp, arith::ConstantOp>(op); }

class LayoutAssignment {
public:
  LayoutAssignment(func::FuncOp func, tgpu::BlockShape block, ArrayRef<tegula::gpu::MatrixInstruction> matrix)
      : func_(func), block_(block), matrix_(matrix) {}

  LogicalResult run() {
    // A dot's accumulator first: it is carried through the loop over k, so the accesses'
    // wishes must not reach it and convert it at every step.
    func_.walk([&](tile::DotOp dot) {
      Attribute layout = accumulatorLayoutOf(dot);
      hint(dot.getResult(), layout);
      hint(dot.getAcc(), layout);
    });
    func_.walk([&](Operation *op) {
      if (Attribute access = op->getAttr(tgpu::kAccessLayoutAttrName)) {
        for (Value operand : op->getOperands())
          if (tileType(operand))
            hint(operand, access);
        for (Value result : op->getResults())
          hint(result, access);
      }
    });
    return assignBlock(func_.getBody().front());
  }

private:
  /// Wanted layouts spread from each access, over the ops that keep a layout
  /// (elementwise ops, broadcasts, scans, loop-carried values) and the ones that slice it
  /// (expand_dims, reductions), backwards to what computes the access's operands and
  /// forwards to what uses its result, so that index arithmetic happens in the layout of
  /// the access it feeds and results stay in the layout they were loaded in. The first
  /// access to reach a value decides.
  void hint(Value start, Attribute startLayout) {
    SmallVector<std::pair<Value, Attribute>> work{{start, startLayout}};
    MLIRContext *context = start.getContext();
    auto slice = [&](unsigned dim, Attribute parent) -> Attribute {
      return tgpu::SliceEncodingAttr::get(context, dim, parent);
    };
    while (!work.empty()) {
      auto [value, layout] = work.pop_back_val();
      auto type = tileType(value);
      if (!type || !layout || !fits(layout, type) || !hints_.try_emplace(value, layout).second)
        continue;
      auto push = [&](Value v, Attribute l) { work.push_back({v, l}); };
      // Backwards, to what computes the value.
      if (Operation *def = value.getDefiningOp()) {
        if (isElementwise(def) || isa<tile::BroadcastOp, tile::ScanOp>(def)) {
          for (Value operand : def->getOperands())
            push(operand, layout);
        } else if (auto expand = dyn_cast<tile::ExpandDimsOp>(def)) {
          push(expand.getSrc(), slice(expand.getAxis(), layout));
        } else if (auto reduce = dyn_cast<tile::ReduceOp>(def)) {
          auto s = dyn_cast<tgpu::SliceEncodingAttr>(layout);
          if (s && s.getDim() == reduce.getAxis())
            push(reduce.getSrc(), s.getParent());
        } else if (auto loop = dyn_cast<scf::ForOp>(def)) {
          unsigned i = cast<OpResult>(value).getResultNumber();
          push(loop.getRegionIterArgs()[i], layout);
        } else if (auto branch = dyn_cast<scf::IfOp>(def)) {
          unsigned i = cast<OpResult>(value).getResultNumber();
          push(branch.thenYield().getOperand(i), layout);
          if (!branch.getElseRegion().empty())
            push(branch.elseYield().getOperand(i), layout);
        }
      } else if (auto arg = dyn_cast<BlockArgument>(value)) {
        if (auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp()); loop && arg.getArgNumber() > 0) {
          unsigned i = arg.getArgNumber() - 1;
          push(loop.getInitArgs()[i], layout);
          push(loop.getBody()->getTerminator()->getOperand(i), layout);
          push(loop.getResult(i), layout);
        }
      }
      // Forwards, to what uses it.
      for (OpOperand &use : value.getUses()) {
        Operation *user = use.getOwner();
        if (isElementwise(user)) {
          push(user->getResult(0), layout);
          for (Value operand : user->getOperands())
            push(operand, layout);
        } else if (isa<tile::BroadcastOp, tile::ScanOp>(user)) {
          push(user->getResult(0), layout);
        } else if (auto expand = dyn_cast<tile::ExpandDimsOp>(user)) {
          auto s = dyn_cast<tgpu::SliceEncodingAttr>(layout);
          if (s && s.getDim() == expand.getAxis())
            push(expand.getResult(), s.getParent());
        } else if (auto reduce = dyn_cast<tile::ReduceOp>(user)) {
          push(reduce.getResult(), slice(reduce.getAxis(), layout));
        } else if (auto yield = dyn_cast<scf::YieldOp>(user)) {
          Operation *parent = yield->getParentOp();
          if (auto loop = dyn_cast<scf::ForOp>(parent))
            push(loop.getRegionIterArgs()[use.getOperandNumber()], layout);
          else if (isa<scf::IfOp>(parent))
            push(parent->getResult(use.getOperandNumber()), layout);
        } else if (auto loop = dyn_cast<scf::ForOp>(user)) {
          if (use.getOperandNumber() >= loop.getNumControlOperands())
            push(loop.getRegionIterArgs()[use.getOperandNumber() - loop.getNumControlOperands()], layout);
        }
      }
    }
  }

  /// Whether `layout` places every element of a tile of `type`'s shape: a blocked layout
  /// repeats over any shape, a linear one (a matrix instruction's accumulator) reaches
  /// only as far as its bases, so a broadcast to a wider tile cannot keep it.
  static bool fits(Attribute layout, RankedTensorType type) {
    ScopedDiagnosticHandler quiet(type.getContext(), [](Diagnostic &) { return success(); });
    return succeeded(tgpu::toLinearLayout(layout, type.getShape(),
                                          [&] { return emitError(UnknownLoc::get(type.getContext())); }));
  }

  Attribute hintOr(Value v, Attribute otherwise) {
    auto it = hints_.find(v);
    return it == hints_.end() ? otherwise : it->second;
  }

  Attribute defaultFor(Value v) {
    return tegula::gpu::defaultLayout(v.getContext(), tileType(v).getShape(), block_);
  }

  static void setLayout(Value v, Attribute layout) {
    auto type = tileType(v);
    v.setType(RankedTensorType::get(type.getShape(), type.getElementType(), layout));
  }

  /// Whether `value` is computed from scalars by ops that are cheaper to compute again
  /// in another layout than to move between threads: index arithmetic.
  static bool recomputable(Value value, int depth = 0) {
    Operation *def = value.getDefiningOp();
    if (!def || depth > 16)
      return false;
    if (isSource(def))
      return true;
    if (!isElementwise(def) && !isa<tile::BroadcastOp, tile::ExpandDimsOp>(def))
      return false;
    return llvm::all_of(def->getOperands(), [&](Value operand) {
      return !tileType(operand) || recomputable(operand, depth + 1);
    });
  }

  /// `value` computed again in `layout` before `user`, from the scalars it starts at.
  Value recompute(Value value, Attribute layout, Operation *user) {
    auto type = tileType(value);
    if (type.getEncoding() == layout)
      return value;
    Operation *def = value.getDefiningOp();
    OpBuilder b(user);
    IRMapping mapping;
    if (auto expand = dyn_cast<tile::ExpandDimsOp>(def)) {
      mapping.map(expand.getSrc(), recompute(expand.getSrc(), tgpu::SliceEncodingAttr::get(
                                                                  def->getContext(), expand.getAxis(), layout), user));
    } else {
      for (Value operand : def->getOperands())
        if (tileType(operand))
          mapping.map(operand, recompute(operand, layout, user));
    }
    Operation *clone = b.clone(*def, mapping);
    auto laid = RankedTensorType::get(type.getShape(), type.getElementType(), layout);
    if (auto constant = dyn_cast<arith::ConstantOp>(clone))
      constant.setValueAttr(cast<DenseElementsAttr>(constant.getValue()).reshape(laid));
    clone->getResult(0).setType(laid);
    return clone->getResult(0);
  }

  /// The operand in `layout`: computed again where it is index arithmetic, else
  /// converted before its user.
  void require(OpOperand &use, Attribute layout) {
    auto type = tileType(use.get());
    if (!type || type.getEncoding() == layout)
      return;
    if (recomputable(use.get())) {
      use.set(recompute(use.get(), layout, use.getOwner()));
      return;
    }
    OpBuilder b(use.getOwner());
    auto converted = tgpu::ConvertLayoutOp::create(
        b, use.getOwner()->getLoc(), RankedTensorType::get(type.getShape(), type.getElementType(), layout), use.get());
    use.set(converted);
  }

  /// A load too small to give every thread a full vector in its coalesced layout, whose
  /// result is wanted in a layout with longer runs (the slice a broadcast operand takes
  /// from the tile it joins: a norm's weight row), is done in that layout instead, as
  /// long as the runs stay within what the axis info proved. The threads that hold
  /// copies load the same bytes again, from the cache, where the coalesced layout would
  /// have moved the whole tile through shared memory.
  void takeWiderUseLayout(tile::LoadOp load) {
    auto access = load->getAttrOfType<tgpu::BlockedEncodingAttr>(tgpu::kAccessLayoutAttrName);
    auto widest = load->getAttrOfType<DenseI64ArrayAttr>(tgpu::kWidestVectorAttrName);
    Attribute wanted = hintOr(load.getResult(), Attribute());
    if (!access || !widest || widest.size() != 2 || !wanted || wanted == access ||
        tgpu::blockOf(wanted) != tgpu::blockOf(access))
      return;
    auto shape = tileType(load.getResult()).getShape();
    auto diagnose = [&] { return load.emitError(); };
    FailureOr<tegula::gpu::LinearLayout> from = tgpu::toLinearLayout(access, shape, diagnose);
    FailureOr<tegula::gpu::LinearLayout> to = tgpu::toLinearLayout(wanted, shape, diagnose);
    if (failed(from) || failed(to))
      return;
    const int dim = static_cast<int>(widest[0]);
    const int64_t run = std::min(tegula::gpu::contiguous_registers(*to, dim), widest[1]);
    if (run > std::min(tegula::gpu::contiguous_registers(*from, dim), widest[1]))
      load->setAttr(tgpu::kAccessLayoutAttrName, wanted);
  }

  /// A store whose tile already sits in a layout in which each warp writes whole 32-byte
  /// sectors along the dimension its pointers are contiguous in is done in that layout:
  /// moving the tile through shared memory to the coalesced layout would save no memory
  /// traffic, only vector width (a dot's accumulator: 8 lanes side by side in f32).
  void storeInHeldLayout(tile::StoreOp store) {
    auto type = tileType(store.getValue());
    Attribute held = type ? type.getEncoding() : Attribute();
    Attribute access = store->getAttr(tgpu::kAccessLayoutAttrName);
    auto widest = store->getAttrOfType<DenseI64ArrayAttr>(tgpu::kWidestVectorAttrName);
    if (!held || held == access || !widest || widest.size() != 2 || tgpu::blockOf(held) != tgpu::blockOf(access) ||
        !recomputable(store.getPtr()) || (store.getMask() && !recomputable(store.getMask())))
      return;
    FailureOr<tegula::gpu::LinearLayout> layout =
        tgpu::toLinearLayout(held, type.getShape(), [&] { return store.emitError(); });
    if (failed(layout))
      return;
    const int dim = static_cast<int>(widest[0]);
    // Elements side by side in a warp: a thread's run, continued by the lanes.
    const int64_t run = tegula::gpu::extend_run(*layout, "lane", dim, tegula::gpu::contiguous_registers(*layout, dim));
    const int64_t bytes = std::max<int64_t>(1, type.getElementType().getIntOrFloatBitWidth() / 8);
    if (run * bytes >= 32)
      store->setAttr(tgpu::kAccessLayoutAttrName, held);
  }

  LogicalResult assignBlock(Block &block) {
    for (Operation &op : llvm::make_early_inc_range(block))
      if (failed(assign(&op)))
        return failure();
    return success();
  }

  LogicalResult assign(Operation *op) {
    if (auto store = dyn_cast<tile::StoreOp>(op); store && op->hasAttr(tgpu::kAccessLayoutAttrName)) {
      // A store of fewer elements than the block has threads gains nothing from its
      // coalesced layout: where the stored tile already has another, the pointers are
      // computed in that one rather than the tile moved between threads.
      auto type = tileType(store.getValue());
      Attribute held = type ? type.getEncoding() : Attribute();
      if (held && type.getNumElements() <= block_.warps * block_.lanes &&
          held != op->getAttr(tgpu::kAccessLayoutAttrName) && recomputable(store.getPtr()) &&
          (!store.getMask() || recomputable(store.getMask())))
        op->removeAttr(tgpu::kAccessLayoutAttrName);
      else if (op->hasAttr(tgpu::kAccessLayoutAttrName))
        storeInHeldLayout(store);
    }
    if (auto load = dyn_cast<tile::LoadOp>(op); load && op->hasAttr(tgpu::kAccessLayoutAttrName))
      takeWiderUseLayout(load);
    if (auto access = op->getAttrOfType<Attribute>(tgpu::kAccessLayoutAttrName)) {
      for (OpOperand &use : op->getOpOperands())
        require(use, access);
      for (Value r : op->getResults())
        if (tileType(r))
          setLayout(r, access);
      return success();
    }
    if (isa<tile::LoadOp, tile::StoreOp, tile::AtomicRMWOp, tile::AtomicCASOp>(op)) {
      // Scalar accesses, atomics, or accesses the axis info did not reach.
      Value ptr = op->getOperand(0);
      if (!tileType(ptr))
        return success();
      Attribute layout = hintOr(ptr, defaultFor(ptr));
      if (auto store = dyn_cast<tile::StoreOp>(op))
        layout = tileType(store.getValue()).getEncoding() ? tileType(store.getValue()).getEncoding() : layout;
      for (OpOperand &use : op->getOpOperands())
        require(use, layout);
      for (Value r : op->getResults())
        setLayout(r, layout);
      return success();
    }
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto type = tileType(constant.getResult());
      auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!type)
        return success();
      if (!dense)
        return op->emitError("the GPU lowering takes tile constants as dense elements, got ") << constant.getValue();
      Attribute layout = hintOr(constant.getResult(), defaultFor(constant.getResult()));
      auto laid = RankedTensorType::get(type.getShape(), type.getElementType(), layout);
      constant.setValueAttr(dense.reshape(laid));
      constant.getResult().setType(laid);
      return success();
    }
    if (isSource(op)) {
      for (Value r : op->getResults())
        if (tileType(r))
          setLayout(r, hintOr(r, defaultFor(r)));
      return success();
    }
    if (isElementwise(op)) {
      Value result = op->getResult(0);
      Attribute layout;
      for (Value operand : op->getOperands())
        if (auto t = tileType(operand); t && !layout)
          layout = t.getEncoding();
      layout = hintOr(result, layout ? layout : defaultFor(result));
      for (OpOperand &use : op->getOpOperands())
        require(use, layout);
      setLayout(result, layout);
      return success();
    }
    if (auto broadcast = dyn_cast<tile::BroadcastOp>(op)) {
      Attribute layout = tileType(broadcast.getSrc()).getEncoding();
      if (!fits(layout, tileType(broadcast.getResult())))
        layout = defaultFor(broadcast.getResult());
      layout = hintOr(broadcast.getResult(), layout);
      require(broadcast->getOpOperand(0), layout);
      setLayout(broadcast.getResult(), layout);
      return success();
    }
    if (auto expand = dyn_cast<tile::ExpandDimsOp>(op)) {
      Attribute layout = hintOr(expand.getResult(), Attribute());
      auto slice = dyn_cast<tgpu::SliceEncodingAttr>(tileType(expand.getSrc()).getEncoding());
      if (!layout)
        layout = slice && slice.getDim() == expand.getAxis() ? slice.getParent() : defaultFor(expand.getResult());
      require(expand->getOpOperand(0),
              tgpu::SliceEncodingAttr::get(op->getContext(), expand.getAxis(), layout));
      setLayout(expand.getResult(), layout);
      return success();
    }
    if (isa<tile::ReduceOp, tile::ReduceWithOp>(op)) {
      Value src = op->getOperand(0), result = op->getResult(0);
      const unsigned axis = static_cast<unsigned>(op->getAttrOfType<IntegerAttr>("axis").getInt());
      if (tileType(result))
        setLayout(result, tgpu::SliceEncodingAttr::get(op->getContext(), axis, tileType(src).getEncoding()));
      return success();
    }
    if (auto scan = dyn_cast<tile::ScanOp>(op)) {
      // Scanned where it is: the steps follow whatever layout the source has.
      setLayout(scan.getResult(), tileType(scan.getSrc()).getEncoding());
      return success();
    }
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      for (auto [init, arg, result] : llvm::zip(loop.getInitArgs(), loop.getRegionIterArgs(), loop.getResults()))
        if (auto t = tileType(init)) {
          setLayout(arg, t.getEncoding());
          setLayout(result, t.getEncoding());
        }
      if (failed(assignBlock(*loop.getBody())))
        return failure();
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      for (auto [use, arg] : llvm::zip(yield->getOpOperands(), loop.getRegionIterArgs()))
        if (auto t = tileType(arg))
          require(use, t.getEncoding());
      return success();
    }
    if (auto branch = dyn_cast<scf::IfOp>(op)) {
      if (failed(assignBlock(branch.getThenRegion().front())))
        return failure();
      auto thenYield = branch.thenYield();
      for (auto [value, result] : llvm::zip(thenYield.getOperands(), branch.getResults()))
        if (auto t = tileType(value))
          setLayout(result, t.getEncoding());
      if (!branch.getElseRegion().empty()) {
        if (failed(assignBlock(branch.getElseRegion().front())))
          return failure();
        for (auto [use, result] : llvm::zip(branch.elseYield()->getOpOperands(), branch.getResults()))
          if (auto t = tileType(result))
            require(use, t.getEncoding());
      }
      return success();
    }
    if (auto trans = dyn_cast<tile::TransOp>(op)) {
      // The same registers, lanes and warps, their dimensions renamed: nothing moves.
      auto srcType = tileType(trans.getSrc());
      if (auto blocked = dyn_cast<tgpu::BlockedEncodingAttr>(srcType.getEncoding())) {
        setLayout(trans.getResult(), permuted(blocked, trans.getOrder()));
        return success();
      }
      FailureOr<tegula::gpu::LinearLayout> layout = tgpu::toLinearLayout(srcType, [&] { return op->emitError(); });
      if (failed(layout))
        return failure();
      std::vector<int> order(trans.getOrder().begin(), trans.getOrder().end());
      setLayout(trans.getResult(),
                tgpu::LinearEncodingAttr::get(op->getContext(), tegula::gpu::permute_layout(*layout, order)));
      return success();
    }
    if (auto reshape = dyn_cast<tile::ReshapeOp>(op)) {
      // Each element stays in its register, lane and warp under its new coordinates.
      FailureOr<tegula::gpu::LinearLayout> layout =
          tgpu::toLinearLayout(tileType(reshape.getSrc()), [&] { return op->emitError(); });
      if (failed(layout))
        return failure();
      ArrayRef<int64_t> shape = tileType(reshape.getResult()).getShape();
      setLayout(reshape.getResult(),
                tgpu::LinearEncodingAttr::get(op->getContext(), tegula::gpu::reshape_layout(
                                                                    *layout, std::vector<int64_t>(shape.begin(), shape.end()))));
      return success();
    }
    if (auto join = dyn_cast<tile::JoinOp>(op)) {
      // The pair of each element in one thread's registers, the halves slices of it.
      Attribute layout = pairsInRegisters(tileType(join.getResult()).getShape());
      Attribute half = tgpu::SliceEncodingAttr::get(op->getContext(), tileType(join.getLhs()).getRank(), layout);
      require(join->getOpOperand(0), half);
      require(join->getOpOperand(1), half);
      setLayout(join.getResult(), layout);
      return success();
    }
    if (auto split = dyn_cast<tile::SplitOp>(op)) {
      Attribute layout = pairsInRegisters(tileType(split.getSrc()).getShape());
      require(split->getOpOperand(0), layout);
      Attribute half = tgpu::SliceEncodingAttr::get(op->getContext(), tileType(split.getLhs()).getRank(), layout);
      setLayout(split.getLhs(), half);
      setLayout(split.getRhs(), half);
      return success();
    }
    if (auto dot = dyn_cast<tile::DotOp>(op)) {
      // The operands are read through shared memory, from whatever layout they are in.
      Attribute preferred = accumulatorLayoutOf(dot);
      Attribute layout = hintOr(dot.getResult(), preferred);
      if (layout != preferred) // another dot's accumulator reached this one first: the vector units take any layout
        dot->removeAttr(tgpu::kMatrixInstructionAttrName);
      require(dot.getAccMutable(), layout);
      setLayout(dot.getResult(), layout);
      return success();
    }
    if (isa<scf::YieldOp, func::ReturnOp, tile::ProgramIdOp, tile::NumProgramsOp, tgpu::ConvertLayoutOp>(op))
      return success();
    if (isa<tile::PrintOp, tile::AssertOp>(op)) // each element wherever its value holds it
      return success();
    bool touchesTiles = llvm::any_of(op->getOperandTypes(), [](Type t) { return isa<RankedTensorType>(t); }) ||
                        llvm::any_of(op->getResultTypes(), [](Type t) { return isa<RankedTensorType>(t); });
    if (!touchesTiles && op->getNumRegions() == 0)
      return success(); // scalar arithmetic: every thread computes it
    return op->emitError("the GPU lowering does not handle '") << op->getName() << "' yet";
  }

  /// The layout of a dot's accumulator: the first of the target's matrix instructions
  /// that takes the dot's types and shape (named on the dot as tgpu.matrix_instruction),
  /// tiled over the warps; else the vector units' layout.
  Attribute accumulatorLayoutOf(tile::DotOp dot) {
    auto a = tileType(dot.getA()), b = tileType(dot.getB()), c = tileType(dot.getResult());
    for (const tegula::gpu::MatrixInstruction &instr : matrix_) {
      if (!takes(instr, a.getElementType(), b.getElementType(), c.getElementType(), dot.getInputPrecision()) ||
          a.getDimSize(1) % instr.k != 0)
        continue;
      std::optional<tegula::gpu::MatrixTiling> tiling =
          tegula::gpu::tile_accumulator(instr, c.getDimSize(0), c.getDimSize(1), block_.warps);
      if (!tiling)
        continue;
      dot->setAttr(tgpu::kMatrixInstructionAttrName, StringAttr::get(dot.getContext(), instr.name));
      return tgpu::LinearEncodingAttr::get(dot.getContext(), tiling->layout);
    }
    dot->removeAttr(tgpu::kMatrixInstructionAttrName);
    return tegula::gpu::accumulatorLayout(dot.getContext(), c.getShape(), block_);
  }

  /// Whether `instr` computes a dot of these types as exactly as `precision` asks: f16
  /// and bf16 products are exact on any of them; f32 inputs go to tf32 only where the
  /// kernel allows it (tf32x3 asks for more than one tf32 product gives).
  static bool takes(const tegula::gpu::MatrixInstruction &instr, Type a, Type b, Type c,
                    tile::InputPrecision precision) {
    const bool input = llvm::any_of(instr.inputs, [&](tegula::gpu::MatrixInput in) {
      switch (in) {
      case tegula::gpu::MatrixInput::F16:
        return a.isF16();
      case tegula::gpu::MatrixInput::BF16:
        return a.isBF16();
      case tegula::gpu::MatrixInput::TF32:
        return a.isF32() && precision == tile::InputPrecision::TF32;
      }
      return false;
    });
    return input && a == b && c.isF32();
  }

  /// `blocked` with its dimensions in `order` (result dimension i is source dimension
  /// order[i]): the layout of the transposed tile, holding each element where the source
  /// held it.
  static tgpu::BlockedEncodingAttr permuted(tgpu::BlockedEncodingAttr blocked, ArrayRef<int32_t> order) {
    SmallVector<int64_t> perThread, lanes, warps, fastest;
    SmallVector<int64_t> position(order.size());
    for (auto [i, d] : llvm::enumerate(order)) {
      perThread.push_back(blocked.getSizePerThread()[d]);
      lanes.push_back(blocked.getThreadsPerWarp()[d]);
      warps.push_back(blocked.getWarpsPerCTA()[d]);
      position[d] = static_cast<int64_t>(i);
    }
    for (int64_t d : blocked.getOrder())
      fastest.push_back(position[d]);
    return tgpu::BlockedEncodingAttr::get(blocked.getContext(), perThread, lanes, warps, fastest);
  }

  /// For a tile whose last dimension holds pairs: both elements of each pair in one
  /// thread's registers, the rest spread as the default layout spreads them.
  Attribute pairsInRegisters(ArrayRef<int64_t> shape) {
    SmallVector<int64_t> order{static_cast<int64_t>(shape.size()) - 1};
    for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
      order.push_back(d);
    return tegula::gpu::fillBlock(func_.getContext(), shape, order, 2, block_);
  }

  func::FuncOp func_;
  tgpu::BlockShape block_;
  ArrayRef<tegula::gpu::MatrixInstruction> matrix_;
  DenseMap<Value, Attribute> hints_;
};

struct AssignGpuLayoutsPass : public tegula::gpu::impl::TegulaAssignGpuLayoutsBase<AssignGpuLayoutsPass> {
  using TegulaAssignGpuLayoutsBase::TegulaAssignGpuLayoutsBase;
  void runOnOperation() override {
    std::vector<tegula::gpu::MatrixInstruction> matrix;
    for (const std::string &name : matrixInstructions) {
      std::optional<tegula::gpu::MatrixInstruction> instr = tegula::gpu::find_matrix_instruction(name, plantSwapFragment);
      if (!instr) {
        getOperation().emitError("no matrix instruction '") << name << "'";
        return signalPassFailure();
      }
      matrix.push_back(*instr);
    }
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(tile::kKernelAttrName))
        continue;
      std::optional<tgpu::BlockShape> block = tgpu::getBlock(func);
      if (!block) {
        func.emitError("a kernel without a block (tgpu.num_warps, tgpu.warp_size): run "
                       "tegula-coalesce-gpu-accesses first");
        return signalPassFailure();
      }
      if (failed(LayoutAssignment(func, *block, matrix).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
