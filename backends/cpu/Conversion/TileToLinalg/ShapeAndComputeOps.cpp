// Lowering of the tile dialect's value ops (construction, shape, dot, reduce, scan) to
// linalg and tensor ops on tensors.
#include "backends/cpu/Conversion/TileToLinalg/Patterns.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

using namespace mlir;
using namespace tegula;
using namespace tegula::cpu;

namespace {

template <typename Op>
struct TilePattern : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  RankedTensorType resultTensor(Operation *op) const {
    return cast<RankedTensorType>(this->getTypeConverter()->convertType(op->getResult(0).getType()));
  }
};

struct RangePattern : public TilePattern<tile::RangeOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::RangeOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    Location loc = op.getLoc();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    int32_t start = op.getStart();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(1)},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange) {
          Value idx = linalg::IndexOp::create(b, l, 0);
          Value i = arith::IndexCastOp::create(b, l, b.getI32Type(), idx);
          Value s = arith::ConstantIntOp::create(b, l, b.getI32Type(), start);
          linalg::YieldOp::create(b, l, ValueRange{arith::AddIOp::create(b, l, i, s).getResult()});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct SplatPattern : public TilePattern<tile::SplatOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::SplatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(), type.getElementType());
    rewriter.replaceOp(op, linalg::FillOp::create(rewriter, op.getLoc(), adaptor.getSrc(), init).getResult(0));
    return success();
  }
};

struct BroadcastPattern : public TilePattern<tile::BroadcastOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::BroadcastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    auto srcType = cast<RankedTensorType>(adaptor.getSrc().getType());
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(srcType.getDimSize(d) == type.getDimSize(d)
                          ? rewriter.getAffineDimExpr(d)
                          : rewriter.getAffineConstantExpr(0));
    AffineMap srcMap = AffineMap::get(rank, 0, exprs, getContext());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(), type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{type}, ValueRange{adaptor.getSrc()}, ValueRange{init},
        ArrayRef<AffineMap>{srcMap, rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [](OpBuilder &b, Location l, ValueRange args) { linalg::YieldOp::create(b, l, args[0]); });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Reassociation that maps every dimension of `rank` dims into one group.
static SmallVector<ReassociationIndices> allInOne(int64_t rank) {
  ReassociationIndices group;
  for (int64_t d = 0; d < rank; ++d)
    group.push_back(d);
  return {group};
}

struct ExpandDimsPattern : public TilePattern<tile::ExpandDimsOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::ExpandDimsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    int64_t srcRank = type.getRank() - 1;
    int64_t axis = op.getAxis();
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < srcRank; ++d) {
      int64_t out = d < axis ? d : d + 1;
      ReassociationIndices group{out};
      if (d == axis)
        group.insert(group.begin(), axis);
      if (d == srcRank - 1 && axis == srcRank)
        group.push_back(axis);
      groups.push_back(group);
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, type, adaptor.getSrc(), groups);
    return success();
  }
};

struct ReshapePattern : public TilePattern<tile::ReshapeOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    Value src = adaptor.getSrc();
    auto srcType = cast<RankedTensorType>(src.getType());
    Location loc = op.getLoc();
    if (srcType.getRank() > 1) {
      auto flat = RankedTensorType::get({srcType.getNumElements()}, srcType.getElementType());
      src = tensor::CollapseShapeOp::create(rewriter, loc, flat, src, allInOne(srcType.getRank()));
    }
    if (type.getRank() > 1)
      src = tensor::ExpandShapeOp::create(rewriter, loc, type, src, allInOne(type.getRank()));
    rewriter.replaceOp(op, src);
    return success();
  }
};

struct TransPattern : public TilePattern<tile::TransOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::TransOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(), type.getElementType());
    SmallVector<int64_t> perm(op.getOrder().begin(), op.getOrder().end());
    auto transpose = linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getSrc(), init, perm);
    rewriter.replaceOp(op, transpose->getResult(0));
    return success();
  }
};

struct DotPattern : public TilePattern<tile::DotOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto matmul = linalg::MatmulOp::create(rewriter, op.getLoc(), TypeRange{op.getType()},
                                           ValueRange{adaptor.getA(), adaptor.getB()},
                                           ValueRange{adaptor.getAcc()});
    rewriter.replaceOp(op, matmul->getResult(0));
    return success();
  }
};

/// Identity element of a reduction or scan of `kind` over `type`.
static Value identityOf(OpBuilder &b, Location loc, tile::ReduceKind kind, Type type) {
  if (kind == tile::ReduceKind::Sum)
    return zeroOf(b, loc, type);
  bool wantLowest = kind == tile::ReduceKind::Max || kind == tile::ReduceKind::ArgMax;
  if (auto f = dyn_cast<FloatType>(type)) {
    APFloat inf = APFloat::getInf(f.getFloatSemantics(), /*Negative=*/wantLowest);
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, inf));
  }
  unsigned bits = type.getIntOrFloatBitWidth();
  APInt v = wantLowest ? APInt::getSignedMinValue(bits) : APInt::getSignedMaxValue(bits);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
}

struct ReducePattern : public TilePattern<tile::ReduceOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::ReduceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = cast<RankedTensorType>(adaptor.getSrc().getType());
    Type elem = srcType.getElementType();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> outShape(srcType.getShape());
    outShape.erase(outShape.begin() + axis);
    tile::ReduceKind kind = op.getKind();
    bool isArg = kind == tile::ReduceKind::ArgMax || kind == tile::ReduceKind::ArgMin;

    Value valueInit = linalg::FillOp::create(
        rewriter, loc, identityOf(rewriter, loc, kind, elem),
        tensor::EmptyOp::create(rewriter, loc, outShape, elem).getResult()).getResult(0);
    Value result;
    if (!isArg) {
      auto reduce = linalg::ReduceOp::create(
          rewriter, loc, ValueRange{adaptor.getSrc()}, ValueRange{valueInit},
          ArrayRef<int64_t>{axis}, [&](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, tile::combineElements(b, l, kind, args[0], args[1]));
          });
      result = reduce->getResult(0);
    } else {
      // The index of the first extremum: ties keep the earlier index, and -1 marks "none
      // yet" so that a row of identities still yields its first index.
      Type i32 = rewriter.getI32Type();
      Value indexInit = linalg::FillOp::create(
          rewriter, loc, arith::ConstantIntOp::create(rewriter, loc, i32, -1).getResult(),
          tensor::EmptyOp::create(rewriter, loc, outShape, i32).getResult()).getResult(0);
      int64_t rank = srcType.getRank();
      SmallVector<AffineExpr> outExprs;
      SmallVector<utils::IteratorType> iterators;
      for (int64_t d = 0; d < rank; ++d) {
        iterators.push_back(d == axis ? utils::IteratorType::reduction : utils::IteratorType::parallel);
        if (d != axis)
          outExprs.push_back(rewriter.getAffineDimExpr(d));
      }
      AffineMap outMap = AffineMap::get(rank, 0, outExprs, getContext());
      bool isMax = kind == tile::ReduceKind::ArgMax;
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{valueInit.getType(), indexInit.getType()},
          ValueRange{adaptor.getSrc()}, ValueRange{valueInit, indexInit},
          ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), outMap, outMap}, iterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = args[0], best = args[1], bestIdx = args[2];
            Value better;
            if (isa<FloatType>(elem))
              better = arith::CmpFOp::create(b, l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x, best);
            else
              better = arith::CmpIOp::create(b, l, isMax ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, x, best);
            Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bestIdx,
                                               arith::ConstantIntOp::create(b, l, b.getI32Type(), 0));
            Value take = arith::OrIOp::create(b, l, better, none);
            Value idx = arith::IndexCastOp::create(b, l, b.getI32Type(), linalg::IndexOp::create(b, l, axis));
            linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, take, x, best).getResult(),
                                                     arith::SelectOp::create(b, l, take, idx, bestIdx).getResult()});
          });
      result = generic.getResult(1);
    }
    if (outShape.empty())
      result = tensor::ExtractOp::create(rewriter, loc, result, ValueRange{});
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Inclusive scan: a loop nest in row-major order visits each position after its
/// predecessor along the axis, so one pass with a running tensor suffices.
struct ScanPattern : public TilePattern<tile::ScanOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::ScanOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getSrc().getType());
    int64_t axis = op.getAxis();
    bool reverse = op.getReverse();
    tile::ReduceKind kind = tile::combiningKind(op.getKind());
    int64_t n = type.getDimSize(axis);
    Value src = adaptor.getSrc();
    auto nest = forEachIndex(
        rewriter, loc, type.getShape(), ValueRange{src},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iter) -> scf::ValueVector {
          SmallVector<Value> at(ivs), prev(ivs);
          Value last = arith::ConstantIndexOp::create(b, l, n - 1);
          if (reverse)
            at[axis] = arith::SubIOp::create(b, l, last, ivs[axis]);
          Value isFirst = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, ivs[axis],
                                                arith::ConstantIndexOp::create(b, l, 0));
          Value step = arith::ConstantIndexOp::create(b, l, 1);
          prev[axis] = reverse ? Value(arith::AddIOp::create(b, l, at[axis], step))
                               : Value(arith::SubIOp::create(b, l, at[axis], step));
          Value x = tensor::ExtractOp::create(b, l, iter[0], at);
          auto ifOp = scf::IfOp::create(
              b, l, isFirst,
              [&](OpBuilder &tb, Location tl) { scf::YieldOp::create(tb, tl, x); },
              [&](OpBuilder &eb, Location el) {
                Value p = tensor::ExtractOp::create(eb, el, iter[0], prev);
                scf::YieldOp::create(eb, el, tile::combineElements(eb, el, kind, p, x));
              });
          Value updated = tensor::InsertOp::create(b, l, ifOp.getResult(0), iter[0], at);
          return {updated};
        });
    rewriter.replaceOp(op, nest.results[0]);
    return success();
  }
};

/// Offsets, sizes and unit strides of the slice `[..., which]` of a tile whose last
/// dimension is 2.
static void halfSlice(OpBuilder &b, ArrayRef<int64_t> shape, int64_t which, SmallVector<OpFoldResult> &offsets,
                      SmallVector<OpFoldResult> &sizes, SmallVector<OpFoldResult> &strides) {
  for (size_t d = 0; d < shape.size(); ++d) {
    bool last = d + 1 == shape.size();
    offsets.push_back(b.getIndexAttr(last ? which : 0));
    sizes.push_back(b.getIndexAttr(last ? 1 : shape[d]));
    strides.push_back(b.getIndexAttr(1));
  }
}

struct JoinPattern : public TilePattern<tile::JoinOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::JoinOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = resultTensor(op);
    Location loc = op.getLoc();
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    SmallVector<Value> halves{adaptor.getLhs(), adaptor.getRhs()};
    for (auto [which, half] : llvm::enumerate(halves)) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      halfSlice(rewriter, type.getShape(), which, offsets, sizes, strides);
      result = tensor::InsertSliceOp::create(rewriter, loc, half, result, offsets, sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitPattern : public TilePattern<tile::SplitOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto srcType = cast<RankedTensorType>(adaptor.getSrc().getType());
    auto halfType = cast<RankedTensorType>(getTypeConverter()->convertType(op.getLhs().getType()));
    SmallVector<Value> halves;
    for (int64_t which : {0, 1}) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      halfSlice(rewriter, srcType.getShape(), which, offsets, sizes, strides);
      halves.push_back(tensor::ExtractSliceOp::create(rewriter, op.getLoc(), halfType, adaptor.getSrc(), offsets,
                                                      sizes, strides));
    }
    rewriter.replaceOp(op, halves);
    return success();
  }
};

/// A reduction with a user combiner: the loop nest visits each output position's
/// elements in axis order, starting from the first element and folding in the rest
/// with a copy of the combiner region.
struct ReduceWithPattern : public TilePattern<tile::ReduceWithOp> {
  using TilePattern::TilePattern;
  LogicalResult matchAndRewrite(tile::ReduceWithOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = cast<RankedTensorType>(adaptor.getSrc().getType());
    int64_t axis = op.getAxis();
    SmallVector<int64_t> outShape(srcType.getShape());
    outShape.erase(outShape.begin() + axis);
    Value init = tensor::EmptyOp::create(rewriter, loc, outShape, srcType.getElementType());
    Block &combiner = op.getCombiner().front();
    Value src = adaptor.getSrc();
    auto nest = forEachIndex(
        rewriter, loc, srcType.getShape(), ValueRange{init},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iter) -> scf::ValueVector {
          SmallVector<Value> at(ivs);
          at.erase(at.begin() + axis);
          Value x = tensor::ExtractOp::create(b, l, src, ivs);
          Value isFirst = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, ivs[axis],
                                                arith::ConstantIndexOp::create(b, l, 0));
          auto ifOp = scf::IfOp::create(
              b, l, isFirst, [&](OpBuilder &tb, Location tl) { scf::YieldOp::create(tb, tl, x); },
              [&](OpBuilder &eb, Location el) {
                IRMapping mapping;
                mapping.map(combiner.getArgument(0), tensor::ExtractOp::create(eb, el, iter[0], at).getResult());
                mapping.map(combiner.getArgument(1), x);
                for (Operation &inner : combiner.without_terminator())
                  eb.clone(inner, mapping);
                auto yield = cast<tile::YieldOp>(combiner.getTerminator());
                scf::YieldOp::create(eb, el, mapping.lookup(yield.getValues()[0]));
              });
          return {tensor::InsertOp::create(b, l, ifOp.getResult(0), iter[0], at).getResult()};
        });
    Value result = nest.results[0];
    if (outShape.empty())
      result = tensor::ExtractOp::create(rewriter, loc, result, ValueRange{});
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tegula::cpu::populateShapeAndComputePatterns(TileTypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<RangePattern, SplatPattern, BroadcastPattern, ExpandDimsPattern, ReshapePattern, TransPattern,
               DotPattern, ReducePattern, ScanPattern, JoinPattern, SplitPattern, ReduceWithPattern>(
      converter, patterns.getContext());
}
