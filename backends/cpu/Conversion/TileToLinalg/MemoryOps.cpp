// Lowering of the tile dialect's memory ops for the CPU: addresses are i64, and each
// element access sits behind its mask (and, in bounds-check mode, behind the runtime's
// check), so a masked-off or rejected lane never touches memory.
#include "backends/cpu/Conversion/TileToLinalg/Patterns.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"

using namespace mlir;
using namespace tegula;
using namespace tegula::cpu;

namespace {

template <typename Op>
struct MemoryPattern : public OpConversionPattern<Op> {
  MemoryPattern(TypeConverter &converter, MLIRContext *ctx, LoweringState &state)
      : OpConversionPattern<Op>(converter, ctx), state(state) {}
  LoweringState &state;
};

Type pointeeOf(Type ptrLike) {
  return cast<tile::PointerType>(tile::elementTypeOf(ptrLike)).getPointeeType();
}

Value extractAt(OpBuilder &b, Location loc, Value maybeTile, ValueRange ivs) {
  if (!maybeTile || !isa<RankedTensorType>(maybeTile.getType()))
    return maybeTile;
  return tensor::ExtractOp::create(b, loc, maybeTile, ivs);
}

struct AddPtrPattern : public OpConversionPattern<tile::AddPtrOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tile::AddPtrOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type elem = pointeeOf(op.getType());
    Location loc = op.getLoc();
    auto advance = [elem](OpBuilder &b, Location l, ValueRange args) -> Value {
      Value bytes = arith::MulIOp::create(b, l, toI64(b, l, args[1]), elementBytes(b, l, elem));
      return arith::AddIOp::create(b, l, args[0], bytes);
    };
    Value result;
    if (auto type = dyn_cast<RankedTensorType>(getTypeConverter()->convertType(op.getType())))
      result = buildElementwise(rewriter, loc, type, {adaptor.getPtr(), adaptor.getOffset()}, advance);
    else
      result = advance(rewriter, loc, {adaptor.getPtr(), adaptor.getOffset()});
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LoadPattern : public MemoryPattern<tile::LoadOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::LoadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type elem = pointeeOf(op.getPtr().getType());
    int32_t site = state.addSite(op);
    bool hasMask = static_cast<bool>(adaptor.getMask());
    bool hasOther = static_cast<bool>(adaptor.getOther());
    auto load = [&, elem, site, hasMask, hasOther](OpBuilder &b, Location l, ValueRange args) {
      return buildGuardedLoad(b, l, state, site, elem, args[0], hasMask ? args[1] : Value(),
                              hasOther ? args[2] : Value());
    };
    SmallVector<Value> inputs{adaptor.getPtr()};
    if (hasMask)
      inputs.push_back(adaptor.getMask());
    if (hasOther)
      inputs.push_back(adaptor.getOther());
    Value result;
    if (auto type = dyn_cast<RankedTensorType>(op.getType()))
      result = buildElementwise(rewriter, op.getLoc(), type, inputs, load);
    else
      result = load(rewriter, op.getLoc(), inputs);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherPattern : public MemoryPattern<tile::GatherOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type elem = op.getType().getElementType();
    int32_t site = state.addSite(op);
    bool hasMask = static_cast<bool>(adaptor.getMask());
    bool hasOther = static_cast<bool>(adaptor.getOther());
    SmallVector<Value> inputs{adaptor.getBase(), adaptor.getIndices()};
    if (hasMask)
      inputs.push_back(adaptor.getMask());
    if (hasOther)
      inputs.push_back(adaptor.getOther());
    Value result = buildElementwise(
        rewriter, op.getLoc(), op.getType(), inputs, [&](OpBuilder &b, Location l, ValueRange args) {
          Value offset = arith::MulIOp::create(b, l, toI64(b, l, args[1]), elementBytes(b, l, elem));
          Value address = arith::AddIOp::create(b, l, args[0], offset);
          return buildGuardedLoad(b, l, state, site, elem, address, hasMask ? args[2] : Value(),
                                  hasOther ? args[3] : Value());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct StorePattern : public MemoryPattern<tile::StoreOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::StoreOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int32_t site = state.addSite(op);
    Location loc = op.getLoc();
    Value ptr = adaptor.getPtr(), value = adaptor.getValue(), mask = adaptor.getMask();
    auto type = dyn_cast<RankedTensorType>(op.getValue().getType());
    if (!type) {
      buildGuardedStore(rewriter, loc, state, site, value, ptr, mask);
    } else {
      forEachIndex(rewriter, loc, type.getShape(), {},
                   [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange) -> scf::ValueVector {
                     buildGuardedStore(b, l, state, site, extractAt(b, l, value, ivs),
                                       extractAt(b, l, ptr, ivs), extractAt(b, l, mask, ivs));
                     return {};
                   });
    }
    rewriter.eraseOp(op);
    return success();
  }
};

/// The make_desc behind a descriptor access; the lowering needs its operands.
FailureOr<tile::MakeDescOp> descriptorOf(Operation *op, Value desc,
                                         ConversionPatternRewriter &rewriter) {
  auto make = desc.getDefiningOp<tile::MakeDescOp>();
  if (!make) {
    // The CPU lowering reads the descriptor's fields from its make_desc; descriptors
    // passed through block arguments are not supported yet, and that must be said.
    op->emitError("the CPU backend needs this descriptor to come from a tile.make_desc in the "
                  "same region (descriptors carried through loops or arguments are not supported)");
    return failure();
  }
  return make;
}

/// Address and in-bounds flag of block element `ivs` of the block at `offsets`.
std::pair<Value, Value> descElementAddress(OpBuilder &b, Location loc, Value base,
                                           tile::MakeDescOp desc, ValueRange offsets,
                                           ValueRange ivs, Type elem) {
  Value linear = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  Value inBounds = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
  Value zero = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  for (auto [d, iv] : llvm::enumerate(ivs)) {
    Value coord = arith::AddIOp::create(b, loc, toI64(b, loc, offsets[d]), toI64(b, loc, iv));
    Value size = toI64(b, loc, desc.getShape()[d]);
    Value stride = toI64(b, loc, desc.getStrides()[d]);
    Value lo = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, coord, zero);
    Value hi = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, coord, size);
    inBounds = arith::AndIOp::create(b, loc, inBounds, arith::AndIOp::create(b, loc, lo, hi));
    linear = arith::AddIOp::create(b, loc, linear, arith::MulIOp::create(b, loc, coord, stride));
  }
  Value bytes = arith::MulIOp::create(b, loc, linear, elementBytes(b, loc, elem));
  return {arith::AddIOp::create(b, loc, base, bytes), inBounds};
}

struct DescLoadPattern : public MemoryPattern<tile::DescLoadOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::DescLoadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto desc = descriptorOf(op, op.getDesc(), rewriter);
    if (failed(desc))
      return failure();
    int32_t site = state.addSite(op);
    auto type = op.getType();
    Type elem = type.getElementType();
    Location loc = op.getLoc();
    Value base = rewriter.getRemappedValue(desc->getBase());
    SmallVector<Value> offsets(adaptor.getOffsets());
    int64_t rank = type.getRank();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), elem);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> ivs;
          for (int64_t d = 0; d < rank; ++d)
            ivs.push_back(linalg::IndexOp::create(b, l, d));
          auto [address, inBounds] = descElementAddress(b, l, base, *desc, offsets, ivs, elem);
          linalg::YieldOp::create(b, l, buildGuardedLoad(b, l, state, site, elem, address, inBounds, Value()));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct DescStorePattern : public MemoryPattern<tile::DescStoreOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::DescStoreOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto desc = descriptorOf(op, op.getDesc(), rewriter);
    if (failed(desc))
      return failure();
    int32_t site = state.addSite(op);
    auto type = op.getValue().getType();
    Value base = rewriter.getRemappedValue(desc->getBase());
    SmallVector<Value> offsets(adaptor.getOffsets());
    Value value = adaptor.getValue();
    forEachIndex(rewriter, op.getLoc(), type.getShape(), {},
                 [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange) -> scf::ValueVector {
                   auto [address, inBounds] = descElementAddress(b, l, base, *desc, offsets, ivs,
                                                                 type.getElementType());
                   buildGuardedStore(b, l, state, site, extractAt(b, l, value, ivs), address, inBounds);
                   return {};
                 });
    rewriter.eraseOp(op);
    return success();
  }
};

/// Applies `one(b, loc, address, operands...) -> old` to every element (or to the scalar)
/// and collects the old values.
template <typename OneFn>
Value forEachAtomic(ConversionPatternRewriter &rewriter, Location loc, Type resultType,
                    ValueRange operands, OneFn one) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type)
    return one(rewriter, loc, operands);
  Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
  auto nest = forEachIndex(rewriter, loc, type.getShape(), ValueRange{init},
                           [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iter) -> scf::ValueVector {
                             SmallVector<Value> scalars;
                             for (Value v : operands)
                               scalars.push_back(extractAt(b, l, v, ivs));
                             Value old = one(b, l, scalars);
                             return {tensor::InsertOp::create(b, l, old, iter[0], ivs).getResult()};
                           });
  return nest.results[0];
}

struct AtomicRMWPattern : public MemoryPattern<tile::AtomicRMWOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::AtomicRMWOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int32_t site = state.addSite(op);
    Type elem = tile::elementTypeOf(op.getType());
    std::string callee = atomicFunctionName(stringifyAtomicKind(op.getKind()), elem);
    bool hasMask = static_cast<bool>(adaptor.getMask());
    SmallVector<Value> operands{adaptor.getPtr(), adaptor.getValue()};
    if (hasMask)
      operands.push_back(adaptor.getMask());
    Value result = forEachAtomic(rewriter, op.getLoc(), op.getType(), operands,
                                 [&](OpBuilder &b, Location l, ValueRange s) -> Value {
                                   return buildGuarded(
                                       b, l, state, site, elem, s[0], hasMask ? s[2] : Value(),
                                       zeroOf(b, l, elem), [&](OpBuilder &ab, Location al) -> Value {
                                         return func::CallOp::create(ab, al, callee, TypeRange{elem},
                                                                     ValueRange{s[0], s[1]})
                                             .getResult(0);
                                       });
                                 });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AtomicCASPattern : public MemoryPattern<tile::AtomicCASOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult matchAndRewrite(tile::AtomicCASOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int32_t site = state.addSite(op);
    Type elem = tile::elementTypeOf(op.getType());
    std::string callee = atomicFunctionName("cas", elem);
    SmallVector<Value> operands{adaptor.getPtr(), adaptor.getCmp(), adaptor.getValue()};
    Value result = forEachAtomic(rewriter, op.getLoc(), op.getType(), operands,
                                 [&](OpBuilder &b, Location l, ValueRange s) -> Value {
                                   return buildGuarded(
                                       b, l, state, site, elem, s[0], Value(), zeroOf(b, l, elem),
                                       [&](OpBuilder &ab, Location al) -> Value {
                                         return func::CallOp::create(ab, al, callee, TypeRange{elem},
                                                                     ValueRange{s[0], s[1], s[2]})
                                             .getResult(0);
                                       });
                                 });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tegula::cpu::populateMemoryPatterns(TileTypeConverter &converter, RewritePatternSet &patterns,
                                         LoweringState &state) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<AddPtrPattern>(converter, ctx);
  patterns.add<LoadPattern, GatherPattern, StorePattern, DescLoadPattern, DescStorePattern,
               AtomicRMWPattern, AtomicCASPattern>(converter, ctx, state);
}
