// tile.dot on the vector units, the path every GPU target has: both operands go to
// shared memory, then a loop over k in which each thread loads the A values of its
// accumulator's rows and the B values of its columns and does one multiply-add per
// accumulator register. Products are exact whatever the input precision asks (f16 and
// bf16 widen to f32 exactly, i8 to i32), so it serves every dot. The matrix units
// (mma.sync, MFMA) take over where a target has them.
//
// Shared memory keeps both operands row-major: A's rows padded by one 32-bit word, so
// that the lanes of a warp reading one column of A from different rows meet different
// banks; B's rows, read along n by neighbouring lanes, need none. The accumulator's
// layout (tegula-assign-gpu-layouts) spreads lanes over both dimensions with the
// registers repeating above them, so neighbouring lanes read neighbouring words.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// Elements of `element` that make one 32-bit word (at least one).
int64_t perWord(Type element) { return std::max<int64_t>(1, 32 / std::max(8u, element.getIntOrFloatBitWidth())); }

} // namespace

int64_t rowVector(const LinearLayout &layout, int64_t most, int64_t rowLength) {
  int64_t width = 1;
  const int registerBits = static_cast<int>(llvm::Log2_64(layout.in_size("register")));
  while (width < most && rowLength % (2 * width) == 0 && static_cast<int>(llvm::Log2_64(width)) < registerBits) {
    const int bit = static_cast<int>(llvm::Log2_64(width));
    const LinearLayout::Basis &next = layout.basis("register", bit);
    if (next[0] != 0 || next[1] != width)
      break;
    bool aligned = true;
    for (const LinearLayout::Dim &in : layout.ins())
      for (int b = in.name == "register" ? bit + 1 : 0; b < in.log2_size; ++b)
        aligned = aligned && layout.basis(in.name, b)[1] % (2 * width) == 0;
    if (!aligned)
      break;
    width *= 2;
  }
  return width;
}

Value KernelLowering::stageOperand(Value tile, const LinearLayout &layout, int64_t rowLength, Location loc,
                                   bool swizzled, int64_t phaseStep) {
  auto type = cast<RankedTensorType>(tile.getType());
  const int64_t rows = type.getDimSize(0);
  Type element = sharedElementType(type.getElementType());
  Value buffer = sharedBuffer(type.getElementType(), rows * rowLength, loc);
  // Up to 16 bytes a store: the shared buffers start 16-byte aligned.
  const int64_t width = element == type.getElementType()
                            ? rowVector(layout, std::max<int64_t>(1, 128 / element.getIntOrFloatBitWidth()), rowLength)
                            : 1;
  writeShared(
      buffer, tile, layout, loc,
      [&](int64_t r) {
        Value row = coordinate(layout, r, 0, loc), col = coordinate(layout, r, 1, loc);
        return swizzled ? dotOperandOffset(row, col, rowLength, type.getElementType(), loc, phaseStep)
                        : rowMajorOffset({row, col}, {rows, rowLength}, loc);
      },
      width);
  return buffer;
}

KernelLowering::Staged KernelLowering::operandInShared(Value tile, const LinearLayout &layout, int64_t rowLength,
                                                       Location loc, int64_t phaseStep) {
  auto it = staged_.find(tile);
  if (it != staged_.end())
    return it->second;
  return {stageOperand(tile, layout, rowLength, loc, /*swizzled=*/true, phaseStep), i32(0, loc), false, phaseStep};
}

FailureOr<KernelLowering::DotParts> KernelLowering::dotParts(Operation *op) {
  auto dot = cast<tile::DotOp>(op);
  FailureOr<LinearLayout> la = layoutOf(dot.getA(), op), lb = layoutOf(dot.getB(), op),
                          lc = layoutOf(dot.getResult(), op);
  if (failed(la) || failed(lb) || failed(lc))
    return failure();
  auto aType = cast<RankedTensorType>(dot.getA().getType());
  return DotParts{std::move(*la), std::move(*lb), std::move(*lc), aType.getDimSize(0), aType.getDimSize(1),
                  cast<RankedTensorType>(dot.getB().getType()).getDimSize(1), aType.getElementType()};
}

SmallVector<Value> KernelLowering::loopOverK(Value acc, int64_t K, int64_t step, Location loc,
                                             function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  Value lower = arith::ConstantIndexOp::create(b, loc, 0), upper = arith::ConstantIndexOp::create(b, loc, K / step),
        one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, lower, upper, one, regs(acc));
  OpBuilder::InsertionGuard guard(b);
  Block *block = loop.getBody();
  if (block->mightHaveTerminator())
    block->getTerminator()->erase();
  b.setInsertionPointToEnd(block);
  Value k0 = arith::IndexCastOp::create(b, loc, b.getI32Type(), loop.getInductionVar());
  if (step != 1)
    k0 = arith::MulIOp::create(b, loc, k0, i32(step, loc));
  scf::YieldOp::create(b, loc, body(k0, block->getArguments().drop_front()));
  return SmallVector<Value>(loop.getResults());
}

LogicalResult KernelLowering::lowerDot(Operation *op) {
  auto dot = cast<tile::DotOp>(op);
  if (auto instruction = op->getAttrOfType<StringAttr>(ir::kMatrixInstructionAttrName))
    return lowerMatrixDot(op, instruction.getValue());
  Location loc = op->getLoc();
  FailureOr<DotParts> parts = dotParts(op);
  if (failed(parts))
    return failure();
  const LinearLayout *la = &parts->a, *lb = &parts->b, *lc = &parts->c;
  const int64_t M = parts->M, K = parts->K, N = parts->N;
  Type in = parts->in;
  Type out = cast<RankedTensorType>(dot.getResult().getType()).getElementType();
  const bool isFloat = isa<FloatType>(out);
  const int64_t rowA = K + perWord(in); // A's padded row, in elements

  Value sa = stageOperand(dot.getA(), *la, rowA, loc), sb = stageOperand(dot.getB(), *lb, N, loc);

  // Each accumulator register's row and column; the registers whose rows (columns)
  // differ in no register bit share one loaded value.
  const int64_t count = lc->in_size("register");
  SmallVector<Value> rows, cols;
  SmallVector<size_t> rowOf(count), colOf(count);
  std::map<int64_t, size_t> rowIndex, colIndex;
  for (int64_t r = 0; r < count; ++r) {
    const std::vector<int64_t> fixed = lc->apply({{"register", r}});
    auto [row, newRow] = rowIndex.try_emplace(fixed[0], rows.size());
    if (newRow)
      rows.push_back(coordinate(*lc, r, 0, loc));
    rowOf[r] = row->second;
    auto [col, newCol] = colIndex.try_emplace(fixed[1], cols.size());
    if (newCol)
      cols.push_back(coordinate(*lc, r, 1, loc));
    colOf[r] = col->second;
  }

  auto widen = [&](Value v) -> Value {
    if (v.getType() == out)
      return v;
    if (isFloat)
      return arith::ExtFOp::create(b, loc, out, v);
    return arith::ExtSIOp::create(b, loc, out, v);
  };
  mapTile(dot.getResult(), loopOverK(dot.getAcc(), K, 1, loc, [&](Value k, ValueRange acc) {
    SmallVector<Value> aValues, bValues;
    for (Value row : rows)
      aValues.push_back(widen(loadShared(sa, in, rowMajorOffset({row, k}, {M, rowA}, loc), loc)));
    for (Value col : cols)
      bValues.push_back(widen(loadShared(sb, in, rowMajorOffset({k, col}, {K, N}, loc), loc)));
    SmallVector<Value> next;
    for (int64_t r = 0; r < count; ++r) {
      Value x = aValues[rowOf[r]], y = bValues[colOf[r]];
      next.push_back(isFloat ? Value(math::FmaOp::create(b, loc, x, y, acc[r]))
                             : Value(arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, x, y), acc[r])));
    }
    return next;
  }));
  return success();
}

} // namespace tegula::gpu::lowering
