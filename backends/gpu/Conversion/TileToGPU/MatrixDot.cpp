// tile.dot on a matrix instruction (MatrixInstruction.h); today NVIDIA's mma.sync
// m16n8k16, 16-bit inputs and f32 accumulators. tegula-assign-gpu-layouts chose the
// instruction and laid the accumulator out as its fragments tiled over the warps; this
// checks that layout against the table and issues the instructions.
//
// Both operands go to shared memory row-major (A as M x K, B as K x N), each row padded
// to an odd number of 16-byte units: ldmatrix reads each 8 x 8 matrix as 8 rows of 16
// bytes, and rows at an odd stride of 16 bytes fall in 8 different 16-byte slots of
// the 128 bytes the banks serve at once, so no read conflicts. Then a loop over k in
// steps of the instruction's k: per step, each warp loads the A fragments of its rows
// with ldmatrix (x4: one 16 x 16 fragment), the B fragments of its columns with
// ldmatrix.trans (x4: two 16 x 8 fragments; the transpose turns B's rows into the
// column-major pairs mma.sync takes), and issues one mma.sync per pair of them.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/MatrixInstruction.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// Elements of a shared-memory row of `cols` elements of `bytes` each, padded to an odd
/// number of 16-byte units.
int64_t paddedRow(int64_t cols, int64_t bytes) {
  const int64_t units = cols * bytes / 16;
  return units % 2 == 0 ? cols + 16 / bytes : cols;
}

/// The tile coordinates whose 16-byte row each lane of a warp gives ldmatrix: lanes
/// 0-7 the rows of the first 8 x 8 matrix, 8-15 the second's, and so on. `second` and
/// `third` are where the second and the third matrix start (the fourth: both); the
/// warp bases are the accumulator tiling's, along `warpDim`.
LinearLayout ldmatrixRows(const LinearLayout &accumulator, int warpDim, int64_t rows, int64_t cols,
                          LinearLayout::Basis second, LinearLayout::Basis third) {
  std::vector<LinearLayout::Basis> lanes = {{1, 0}, {2, 0}, {4, 0}, std::move(second), std::move(third)};
  std::vector<LinearLayout::Basis> warps;
  const int warpBits = log2_exact(accumulator.in_size("warp"), "warps");
  for (int bit = 0; bit < warpBits; ++bit) {
    LinearLayout::Basis step{0, 0};
    step[warpDim == 0 ? 0 : 1] = accumulator.basis("warp", bit)[warpDim];
    warps.push_back(step);
  }
  return LinearLayout({{"register", 0}, {"lane", 5}, {"warp", warpBits}},
                      {{"dim0", log2_exact(rows, "rows")}, {"dim1", log2_exact(cols, "columns")}},
                      {{}, std::move(lanes), std::move(warps)});
}

} // namespace

LogicalResult KernelLowering::lowerMatrixDot(Operation *op, StringRef name) {
  auto dot = cast<tile::DotOp>(op);
  Location loc = op->getLoc();
  std::optional<MatrixInstruction> instr = find_matrix_instruction(name.str(), plantSwapFragment);
  if (!instr)
    return op->emitError("no matrix instruction '") << name << "'";
  FailureOr<DotParts> parts = dotParts(op);
  if (failed(parts))
    return failure();
  const LinearLayout *la = &parts->a, *lb = &parts->b, *lc = &parts->c;
  const int64_t M = parts->M, K = parts->K, N = parts->N;
  Type in = parts->in;
  std::optional<MatrixTiling> tiling = tile_accumulator(*instr, M, N, block_.warps);
  if (!tiling || !(tiling->layout == *lc) || K % instr->k != 0 || block_.lanes != instr->lanes)
    return op->emitError("the accumulator's layout is not ")
           << name << " tiled over the block's " << block_.warps << " warps of " << block_.lanes << " lanes";

  const int64_t rowA = paddedRow(K, 2), rowB = paddedRow(N, 2);
  Value sa = stageOperand(dot.getA(), *la, rowA, loc), sb = stageOperand(dot.getB(), *lb, rowB, loc);

  // Where this lane's ldmatrix rows start, before the k step and the tile's offset: A
  // as one 16 x 16 fragment (its rows, then its second 8 columns); B as two k x n
  // fragments of 16 x 8 (its second 8 rows, then the next 8 columns) or one.
  const LinearLayout aRows = ldmatrixRows(*lc, 0, M, K, {8, 0}, {0, 8});
  const LinearLayout bRows =
      ldmatrixRows(*lc, 1, K, N, {8, 0}, tiling->tiles_n > 1 ? LinearLayout::Basis{0, 8} : LinearLayout::Basis{0, 0});
  auto part = [&](const LinearLayout &layout, int dim) {
    Value v = threadPart(layout, loc)[dim];
    return v ? v : i32(0, loc);
  };
  Value aRow = part(aRows, 0), aCol = part(aRows, 1), bRow = part(bRows, 0), bCol = part(bRows, 1);

  const bool bf16 = in.isBF16();
  auto ldmatrix = [&](Value buffer, Value offset, int64_t tiles, bool transpose) {
    auto type = VectorType::get({tiles, 2}, in);
    if (plantShiftExchange) { // the planted bug: the 16 bytes after the row written for this read
      const int64_t count = cast<MemRefType>(buffer.getType()).getNumElements();
      offset = arith::RemUIOp::create(b, loc, arith::AddIOp::create(b, loc, offset, i32(8, loc)), i32(count, loc));
    }
    Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), offset);
    auto load = nvgpu::LdMatrixOp::create(b, loc, type, buffer, ValueRange{index}, b.getBoolAttr(transpose),
                                          b.getI32IntegerAttr(static_cast<int32_t>(tiles)));
    load->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
    SmallVector<Value> registers;
    for (int64_t t = 0; t < tiles; ++t) {
      Value pair = vector::ExtractOp::create(b, loc, load, ArrayRef<int64_t>{t});
      // mma.sync takes bf16 pairs as 32-bit integers.
      registers.push_back(bf16 ? Value(LLVM::BitcastOp::create(b, loc, b.getI32Type(), pair)) : pair);
    }
    return registers;
  };

  const int64_t tm = tiling->tiles_m, tn = tiling->tiles_n;
  Value lower = arith::ConstantIndexOp::create(b, loc, 0), upper = arith::ConstantIndexOp::create(b, loc, K / instr->k),
        step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, lower, upper, step, regs(dot.getAcc()));
  {
    OpBuilder::InsertionGuard guard(b);
    Block *body = loop.getBody();
    if (body->mightHaveTerminator())
      body->getTerminator()->erase();
    b.setInsertionPointToEnd(body);
    Value k0 = arith::MulIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, b.getI32Type(), loop.getInductionVar()), i32(instr->k, loc));
    std::vector<SmallVector<Value>> aFragments, bFragments;
    Value aColumn = arith::AddIOp::create(b, loc, aCol, k0);
    for (int64_t i = 0; i < tm; ++i) {
      Value row = arith::AddIOp::create(b, loc, aRow, i32(i * instr->m, loc));
      aFragments.push_back(ldmatrix(sa, rowMajorOffset({row, aColumn}, {M, rowA}, loc), 4, false));
    }
    Value bK = arith::AddIOp::create(b, loc, bRow, k0);
    for (int64_t j = 0; j < tn; j += 2) {
      Value col = arith::AddIOp::create(b, loc, bCol, i32(j * instr->n, loc));
      SmallVector<Value> pairs = ldmatrix(sb, rowMajorOffset({bK, col}, {K, rowB}, loc), tn > 1 ? 4 : 2, true);
      bFragments.push_back({pairs[0], pairs[1]});
      if (tn > 1)
        bFragments.push_back({pairs[2], pairs[3]});
    }
    Type f32 = b.getF32Type();
    Type result = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
    std::optional<std::array<NVVM::MMATypes, 2>> types;
    if (bf16)
      types = std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16};
    SmallVector<Value> next(body->getArguments().drop_front());
    for (int64_t i = 0; i < tm; ++i) {
      for (int64_t j = 0; j < tn; ++j) {
        const int64_t first = 4 * (j + tn * i);
        SmallVector<Value> acc(next.begin() + first, next.begin() + first + 4);
        auto mma = NVVM::MmaOp::create(b, loc, result, aFragments[i], bFragments[j], acc,
                                       ArrayRef<int64_t>{instr->m, instr->n, instr->k}, std::nullopt, std::nullopt,
                                       types, std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
        for (int64_t r = 0; r < 4; ++r)
          next[first + r] = LLVM::ExtractValueOp::create(b, loc, mma, ArrayRef<int64_t>{r});
      }
    }
    scf::YieldOp::create(b, loc, next);
  }
  mapTile(dot.getResult(), SmallVector<Value>(loop.getResults()));
  return success();
}

} // namespace tegula::gpu::lowering
