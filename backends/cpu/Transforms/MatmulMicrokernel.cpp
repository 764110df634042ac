// tegula-lower-matmul-to-microkernel: the dot product's register microkernel. C stays in
// vector registers across the whole k loop; each k step is one broadcast of A per row
// and NR/VL vector loads of B shared by all MR rows.
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULALOWERMATMULTOMICROKERNEL
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;

namespace {

struct BlockShape {
  int64_t vl, mr, vectorsPerRow;
  int64_t nr() const { return vl * vectorsPerRow; }
};

bool innermostContiguous(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !strides.empty() && strides.back() == 1;
}

struct MatmulToMicrokernel : public OpRewritePattern<linalg::MatmulOp> {
  MatmulToMicrokernel(MLIRContext *ctx, BlockShape shape) : OpRewritePattern(ctx), shape(shape) {}
  BlockShape shape;

  LogicalResult matchAndRewrite(linalg::MatmulOp op, PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "not bufferized");
    if (op.hasUserDefinedMaps())
      return rewriter.notifyMatchFailure(op, "transposed or broadcast operands");
    Value a = op.getDpsInputs()[0], bMat = op.getDpsInputs()[1], c = op.getDpsInits()[0];
    auto aType = cast<MemRefType>(a.getType()), bType = cast<MemRefType>(bMat.getType()),
         cType = cast<MemRefType>(c.getType());
    if (!aType.hasStaticShape() || !bType.hasStaticShape() || !cType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Type in = aType.getElementType();
    if (!cType.getElementType().isF32() || bType.getElementType() != in ||
        !(in.isF32() || in.isF16() || in.isBF16()))
      return rewriter.notifyMatchFailure(op, "not a float matmul accumulating in f32");
    if (!innermostContiguous(bType) || !innermostContiguous(cType))
      return rewriter.notifyMatchFailure(op, "B or C rows are not contiguous");
    int64_t M = cType.getDimSize(0), N = cType.getDimSize(1), K = aType.getDimSize(1);
    // The configured block, narrowed (fewer vectors per row, then fewer rows) until it
    // divides C: a 16-column C still gets vector FMAs instead of scalar loops.
    BlockShape shape = this->shape;
    while (shape.vectorsPerRow > 1 && N % shape.nr() != 0)
      --shape.vectorsPerRow;
    while (shape.mr > 1 && M % shape.mr != 0)
      shape.mr /= 2;
    if (M % shape.mr != 0 || N % shape.nr() != 0)
      return rewriter.notifyMatchFailure(op, "C does not divide into register blocks");

    Location loc = op.getLoc();
    auto accType = VectorType::get({shape.vl}, rewriter.getF32Type());
    auto inType = VectorType::get({shape.vl}, in);
    auto idx = [&](OpBuilder &b, int64_t v) -> Value { return arith::ConstantIndexOp::create(b, loc, v); };
    auto widen = [&](OpBuilder &b, Value v, Type to) -> Value {
      return v.getType() == to ? v : Value(arith::ExtFOp::create(b, loc, to, v));
    };

    scf::ForOp::create(rewriter, loc, idx(rewriter, 0), idx(rewriter, M), idx(rewriter, shape.mr), ValueRange{},
      [&](OpBuilder &b, Location, Value i, ValueRange) {
        scf::ForOp::create(b, loc, idx(b, 0), idx(b, N), idx(b, shape.nr()), ValueRange{},
          [&](OpBuilder &b, Location, Value j, ValueRange) {
            // Accumulators: row r, vector v at flat index r * vectorsPerRow + v.
            SmallVector<Value> rows, cols, accs;
            for (int64_t r = 0; r < shape.mr; ++r)
              rows.push_back(arith::AddIOp::create(b, loc, i, idx(b, r)));
            for (int64_t v = 0; v < shape.vectorsPerRow; ++v)
              cols.push_back(arith::AddIOp::create(b, loc, j, idx(b, v * shape.vl)));
            for (int64_t r = 0; r < shape.mr; ++r)
              for (int64_t v = 0; v < shape.vectorsPerRow; ++v)
                accs.push_back(vector::LoadOp::create(b, loc, accType, c, ValueRange{rows[r], cols[v]}));
            auto kLoop = scf::ForOp::create(b, loc, idx(b, 0), idx(b, K), idx(b, 1), accs,
              [&](OpBuilder &b, Location, Value k, ValueRange acc) {
                SmallVector<Value> bVecs;
                for (int64_t v = 0; v < shape.vectorsPerRow; ++v)
                  bVecs.push_back(widen(b, vector::LoadOp::create(b, loc, inType, bMat, ValueRange{k, cols[v]}), accType));
                SmallVector<Value> next;
                for (int64_t r = 0; r < shape.mr; ++r) {
                  Value aElem = widen(b, memref::LoadOp::create(b, loc, a, ValueRange{rows[r], k}), b.getF32Type());
                  Value splat = vector::BroadcastOp::create(b, loc, accType, aElem);
                  for (int64_t v = 0; v < shape.vectorsPerRow; ++v)
                    next.push_back(vector::FMAOp::create(b, loc, splat, bVecs[v], acc[r * shape.vectorsPerRow + v]));
                }
                scf::YieldOp::create(b, loc, next);
              });
            for (int64_t r = 0; r < shape.mr; ++r)
              for (int64_t v = 0; v < shape.vectorsPerRow; ++v)
                vector::StoreOp::create(b, loc, kLoop.getResult(r * shape.vectorsPerRow + v), c,
                                        ValueRange{rows[r], cols[v]});
            scf::YieldOp::create(b, loc);
          });
        scf::YieldOp::create(b, loc);
      });
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerMatmulToMicrokernelPass
    : public tegula::cpu::impl::TegulaLowerMatmulToMicrokernelBase<LowerMatmulToMicrokernelPass> {
  using TegulaLowerMatmulToMicrokernelBase::TegulaLowerMatmulToMicrokernelBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MatmulToMicrokernel>(&getContext(), BlockShape{vectorLength, rowsPerBlock, vectorsPerRow});
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
