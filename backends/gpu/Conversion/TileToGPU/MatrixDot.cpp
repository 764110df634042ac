// tile.dot on a matrix instruction (MatrixInstruction.h): NVIDIA's mma.sync m16n8k16
// (16-bit inputs) or m16n8k8 (tf32), or AMD's MFMA 32x32x8 (16-bit), f32 accumulators. tegula-assign-gpu-layouts
// chose the instruction and laid the accumulator out as its fragments tiled over the
// warps; this checks that layout against the table and issues the instructions.
//
// Both operands go to shared memory row-major (A as M x K, B as K x N). ldmatrix reads
// each 8 x 8 matrix as 8 rows of 16 bytes, which must fall in 8 different 16-byte slots
// of the 128 bytes the banks serve at once to be read without conflicts. A row of a
// power of two of 16-byte units, 2 or more, is swizzled: unit u of row r is stored at
// u XOR ((r / (8 / units)) mod min(8, units)), so that the rows sharing a 128-byte line
// and the 8 rows after them take distinct slots, with no byte of padding. Any other
// row is padded to an odd number of units (rows at an odd stride of 16 bytes meet 8
// slots); one unit needs neither. Then a loop over k in
// steps of the instruction's k: per step, each warp loads the A fragments of its rows
// with ldmatrix (x4: one 16 x 16 fragment), the B fragments of its columns with
// ldmatrix.trans (x4: two 16 x 8 fragments; the transpose turns B's rows into the
// column-major pairs mma.sync takes), and issues one mma.sync per pair of them. A B that
// a pipelined loop copied as the transpose of its load (Pipeline.cpp) is in shared
// memory as N x K already: plain ldmatrix gives the same pairs from it.
//
// f32 dots that allow tf32 take mma.sync m16n8k8 with tf32 inputs: the same ldmatrix
// reads 16-byte rows of 4 f32, so an 8 x 8 "matrix" of it is 8 rows of 4 f32, and each
// lane's 32-bit register is the one element (group, t) that the tf32 tables put there.
// ldmatrix cannot transpose 32-bit elements, so a B kept as K x N is read by 32-bit
// loads: each load of a warp reads 8 consecutive columns (two units) of 4 consecutive
// rows, which meet 8 distinct slots only if the rows' phases differ by an even number,
// so that B's swizzle steps its phase by 2 from one group of rows to the next
// (dotOperandPhaseStep). Each element is rounded to tf32 in registers, after the load,
// so that the pipelined copies need not know.
//
// MFMA takes 4 consecutive k of one row of A and of one column of B a lane: A stays
// row-major, B is stored transposed (N x K), rows of both padded to an odd number of
// 8-byte units, and each lane loads its fragment of each as one 8-byte vector.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"
#include "backends/gpu/Layout/MatrixInstruction.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// Elements of a shared-memory row of `cols` 16-bit elements, padded to an odd number
/// of 8-byte units.
int64_t paddedRow8(int64_t cols) {
  const int64_t units = cols * 2 / 8;
  return units % 2 == 0 ? cols + 4 : cols;
}

/// Where each lane of a warp starts its fragment load, as tile coordinates of a
/// row-major operand buffer: lane bit b steps by `lanes[b]`; warp bit b by the
/// accumulator tiling's warp basis along `warpDim`, placed on the buffer's dimension
/// `to` (for B stored transposed, N is its rows).
LinearLayout fragmentStarts(const LinearLayout &accumulator, int warpDim, int to, int64_t rows, int64_t cols,
                            std::vector<LinearLayout::Basis> lanes) {
  std::vector<LinearLayout::Basis> warps;
  const int warpBits = log2_exact(accumulator.in_size("warp"), "warps");
  for (int bit = 0; bit < warpBits; ++bit) {
    LinearLayout::Basis step{0, 0};
    step[to] = accumulator.basis("warp", bit)[warpDim];
    warps.push_back(step);
  }
  const int laneBits = static_cast<int>(lanes.size());
  return LinearLayout({{"register", 0}, {"lane", laneBits}, {"warp", warpBits}},
                      {{"dim0", log2_exact(rows, "rows")}, {"dim1", log2_exact(cols, "columns")}},
                      {{}, std::move(lanes), std::move(warps)});
}

} // namespace

namespace {

/// The 16-byte units of a row of `rowLength` elements that the swizzle permutes: a
/// power of two from 2 up; 0 where the row is kept as it is (one unit, or a padded row
/// of an odd number of them).
int64_t swizzledUnits(int64_t rowLength, Type element) {
  const int64_t bytes = rowLength * (element.getIntOrFloatBitWidth() / 8);
  const int64_t units = bytes / 16;
  return bytes > 0 && bytes % 16 == 0 && units >= 2 && (units & (units - 1)) == 0 ? units : 0;
}

} // namespace

int64_t KernelLowering::dotOperandRow(int64_t cols, Type element) {
  if (swizzledUnits(cols, element))
    return cols;
  const int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  const int64_t units = cols * bytes / 16;
  return units % 2 == 0 ? cols + 16 / bytes : cols;
}

int64_t KernelLowering::dotOperandPhaseStep(const MatrixInstruction &instr, int operand, bool columnsAsRows) {
  return instr.tf32() && operand == 1 && !columnsAsRows ? 2 : 1;
}

Value KernelLowering::dotOperandOffset(Value row, Value col, int64_t rowLength, Type element, Location loc,
                                       int64_t phaseStep) {
  Value start = arith::MulIOp::create(b, loc, row, i32(rowLength, loc));
  const int64_t units = swizzledUnits(rowLength, element);
  if (!units)
    return arith::AddIOp::create(b, loc, start, col);
  // Rows that share one 128-byte line of the banks (8 / units of them) take one phase;
  // the next rows the next, up to 8 or the units a row has.
  const int64_t perUnit = 16 / (element.getIntOrFloatBitWidth() / 8);
  const int64_t rowsPerPhase = std::max<int64_t>(1, 8 / units), phases = std::min<int64_t>(8, units);
  Value group = arith::DivUIOp::create(b, loc, row, i32(rowsPerPhase, loc));
  if (phaseStep != 1)
    group = arith::MulIOp::create(b, loc, group, i32(phaseStep, loc));
  Value phase = arith::RemUIOp::create(b, loc, group, i32(phases, loc));
  Value unit = arith::XOrIOp::create(b, loc, arith::DivUIOp::create(b, loc, col, i32(perUnit, loc)), phase);
  Value within = arith::RemUIOp::create(b, loc, col, i32(perUnit, loc));
  return arith::AddIOp::create(
      b, loc, start, arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, unit, i32(perUnit, loc)), within));
}

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
  for (int64_t extent : {M, K, N})
    if (!llvm::isPowerOf2_64(extent))
      return op->emitError("a dot on ") << name << " takes tiles whose extents are powers of two, got " << M << " x "
                                        << K << " times " << K << " x " << N;
  std::optional<MatrixTiling> tiling = tile_accumulator(*instr, M, N, block_.warps);
  if (!tiling || !(tiling->layout == *lc) || K % instr->k != 0 || block_.lanes != instr->lanes)
    return op->emitError("the accumulator's layout is not ")
           << name << " tiled over the block's " << block_.warps << " warps of " << block_.lanes << " lanes";

  if (instr->unit == MatrixUnit::Mfma)
    return lowerMfmaDot(op, *parts, *instr, *tiling);

  const int64_t rowA = dotOperandRow(K, in);
  const Staged stagedA = operandInShared(dot.getA(), *la, rowA, loc),
               stagedB = operandInShared(dot.getB(), *lb, dotOperandRow(N, in), loc,
                                         dotOperandPhaseStep(*instr, 1, /*columnsAsRows=*/false));
  Value sa = stagedA.buffer, sb = stagedB.buffer;
  // B as K x N rows, or its columns as rows (N x K).
  const bool bColumns = stagedB.transposed;
  const int64_t rowB = bColumns ? dotOperandRow(K, in) : dotOperandRow(N, in);
  const bool tf32 = instr->tf32();
  // An ldmatrix row is 16 bytes: half the instruction's k of 16-bit elements, or of tf32.
  const int64_t halfK = instr->k / 2;

  // Where this lane's ldmatrix row starts, before the k step and the tile's offset: lanes
  // 8q .. 8q + 7 give the rows of matrix q. A as one 16 x k fragment (its rows, then its
  // second half of k); B as two k x n fragments of k x 8 (its second half of k, then
  // the next 8 columns) or one. B's columns stored as rows are read in the same order
  // with the coordinates swapped: 8 columns (n), their second half of k, the next 8
  // columns; each lane then gets the consecutive k of one column that mma.sync takes
  // from a register, without the transpose. tf32 B stored as K x N cannot be read so
  // (ldmatrix transposes 16-bit elements only): each lane loads its k = t and t + 4 of
  // column `group` one by one.
  const LinearLayout aRows = fragmentStarts(*lc, 0, 0, M, K, {{1, 0}, {2, 0}, {4, 0}, {8, 0}, {0, halfK}});
  const bool pairsOfN = tiling->tiles_n > 1;
  const LinearLayout::Basis nextN = pairsOfN ? LinearLayout::Basis{8, 0} : LinearLayout::Basis{0, 0};
  const LinearLayout bRows =
      bColumns ? fragmentStarts(*lc, 1, 0, N, K, {{1, 0}, {2, 0}, {4, 0}, {0, halfK}, nextN})
      : tf32   ? fragmentStarts(*lc, 1, 1, K, N, {{1, 0}, {2, 0}, {0, 1}, {0, 2}, {0, 4}})
               : fragmentStarts(*lc, 1, 1, K, N, {{1, 0}, {2, 0}, {4, 0}, {8, 0}, {nextN[1], nextN[0]}});
  auto part = [&](const LinearLayout &layout, int dim) {
    Value v = threadPart(layout, loc)[dim];
    return v ? v : i32(0, loc);
  };
  Value aRow = part(aRows, 0), aCol = part(aRows, 1);
  Value bK = part(bRows, bColumns ? 1 : 0), bN = part(bRows, bColumns ? 0 : 1);

  const bool bf16 = in.isBF16();
  // One register as mma.sync takes it: a pair of f16; bf16 pairs as 32-bit integers; an
  // f32 rounded to tf32 (to nearest, ties away from zero: the instruction itself would
  // ignore the 13 low bits).
  auto operandRegister = [&](Value element) -> Value {
    if (tf32) {
      if (isa<VectorType>(element.getType()))
        element = vector::ExtractOp::create(b, loc, element, ArrayRef<int64_t>{0});
      return NVVM::ConvertFloatToTF32Op::create(b, loc, b.getI32Type(), element, NVVM::FPRoundingMode::RNA,
                                                NVVM::SaturationMode::NONE, /*relu=*/false);
    }
    return bf16 ? Value(LLVM::BitcastOp::create(b, loc, b.getI32Type(), element)) : element;
  };
  auto ldmatrix = [&](Value buffer, Value offset, int64_t tiles, bool transpose) {
    auto type = VectorType::get({tiles, 32 / in.getIntOrFloatBitWidth()}, in);
    if (plantShiftExchange) { // the planted bug: the 16 bytes after the row written for this read
      const int64_t count = cast<MemRefType>(buffer.getType()).getNumElements();
      offset = arith::RemUIOp::create(b, loc, arith::AddIOp::create(b, loc, offset, i32(halfK, loc)), i32(count, loc));
    }
    Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), offset);
    auto load = nvgpu::LdMatrixOp::create(b, loc, type, buffer, ValueRange{index}, b.getBoolAttr(transpose),
                                          b.getI32IntegerAttr(static_cast<int32_t>(tiles)));
    load->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
    SmallVector<Value> registers;
    for (int64_t t = 0; t < tiles; ++t)
      registers.push_back(operandRegister(vector::ExtractOp::create(b, loc, load, ArrayRef<int64_t>{t})));
    return registers;
  };

  const int64_t tm = tiling->tiles_m, tn = tiling->tiles_n;
  mapTile(dot.getResult(), loopOverK(dot.getAcc(), K, instr->k, loc, [&](Value k0, ValueRange acc) {
    std::vector<SmallVector<Value>> aFragments, bFragments;
    Value aColumn = arith::AddIOp::create(b, loc, aCol, k0);
    for (int64_t i = 0; i < tm; ++i) {
      Value row = arith::AddIOp::create(b, loc, aRow, i32(i * instr->m, loc));
      Value offset = arith::AddIOp::create(b, loc, stagedA.offset, dotOperandOffset(row, aColumn, rowA, in, loc));
      aFragments.push_back(ldmatrix(sa, offset, 4, false));
    }
    Value k = arith::AddIOp::create(b, loc, bK, k0);
    if (tf32 && !bColumns) {
      Value kHigh = arith::AddIOp::create(b, loc, k, i32(halfK, loc));
      for (int64_t j = 0; j < tn; ++j) {
        Value col = arith::AddIOp::create(b, loc, bN, i32(j * instr->n, loc));
        SmallVector<Value> fragment;
        for (Value row : {k, kHigh})
          fragment.push_back(operandRegister(loadShared(
              sb, in,
              arith::AddIOp::create(b, loc, stagedB.offset, dotOperandOffset(row, col, rowB, in, loc, stagedB.phaseStep)),
              loc)));
        bFragments.push_back(fragment);
      }
    } else {
      for (int64_t j = 0; j < tn; j += 2) {
        Value col = arith::AddIOp::create(b, loc, bN, i32(j * instr->n, loc));
        Value within = bColumns ? dotOperandOffset(col, k, rowB, in, loc, stagedB.phaseStep)
                                : dotOperandOffset(k, col, rowB, in, loc, stagedB.phaseStep);
        Value offset = arith::AddIOp::create(b, loc, stagedB.offset, within);
        SmallVector<Value> pairs = ldmatrix(sb, offset, tn > 1 ? 4 : 2, !bColumns);
        bFragments.push_back({pairs[0], pairs[1]});
        if (tn > 1)
          bFragments.push_back({pairs[2], pairs[3]});
      }
    }
    Type f32 = b.getF32Type();
    Type result = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
    std::optional<std::array<NVVM::MMATypes, 2>> types;
    if (bf16)
      types = std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16};
    if (tf32)
      types = std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::tf32, NVVM::MMATypes::tf32};
    SmallVector<Value> next(acc);
    for (int64_t i = 0; i < tm; ++i) {
      for (int64_t j = 0; j < tn; ++j) {
        const int64_t first = 4 * (j + tn * i);
        SmallVector<Value> c(next.begin() + first, next.begin() + first + 4);
        auto mma = NVVM::MmaOp::create(b, loc, result, aFragments[i], bFragments[j], c,
                                       ArrayRef<int64_t>{instr->m, instr->n, instr->k}, std::nullopt, std::nullopt,
                                       types, std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
        for (int64_t r = 0; r < 4; ++r)
          next[first + r] = LLVM::ExtractValueOp::create(b, loc, mma, ArrayRef<int64_t>{r});
      }
    }
    return next;
  }));
  return success();
}

LogicalResult KernelLowering::lowerMfmaDot(Operation *op, const DotParts &parts, const MatrixInstruction &instr,
                                           const MatrixTiling &tiling) {
  auto dot = cast<tile::DotOp>(op);
  Location loc = op->getLoc();
  const int64_t M = parts.M, K = parts.K, N = parts.N;
  Type in = parts.in;
  const int64_t row = paddedRow8(K);
  Value sa = stageOperand(dot.getA(), parts.a, row, loc);
  Value sb = sharedBuffer(in, N * row, loc); // B transposed: its columns as rows
  writeShared(sb, dot.getB(), parts.b, loc, [&](int64_t r) {
    return rowMajorOffset({coordinate(parts.b, r, 1, loc), coordinate(parts.b, r, 0, loc)}, {N, row}, loc);
  });
  auto part = [&](const LinearLayout &layout, int dim) {
    Value v = threadPart(layout, loc)[dim];
    return v ? v : i32(0, loc);
  };
  // Lanes 0-31 on rows 0-31, lanes 32-63 four columns on (k), for A and for B^T.
  const std::vector<LinearLayout::Basis> lanes = {{1, 0}, {2, 0}, {4, 0}, {8, 0}, {16, 0}, {0, 4}};
  const LinearLayout aRows = fragmentStarts(parts.c, 0, 0, M, K, lanes);
  const LinearLayout bRows = fragmentStarts(parts.c, 1, 0, N, K, lanes);
  Value aRow = part(aRows, 0), aCol = part(aRows, 1), bRow = part(bRows, 0), bCol = part(bRows, 1);
  auto fragment = [&](Value buffer, Value offset) -> Value {
    if (plantShiftExchange) // the planted bug: the fragment after the one written for this read
      offset = arith::RemUIOp::create(b, loc, arith::AddIOp::create(b, loc, offset, i32(4, loc)),
                                      i32(cast<MemRefType>(buffer.getType()).getNumElements(), loc));
    Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), offset);
    auto load = vector::LoadOp::create(b, loc, VectorType::get({4}, in), buffer, ValueRange{index},
                                       /*nontemporal=*/false, llvm::MaybeAlign(8));
    load->setAttr(ir::kExchangeAttrName, b.getI64IntegerAttr(exchanges_.lookup(buffer)));
    return load;
  };

  const int64_t tm = tiling.tiles_m, tn = tiling.tiles_n;
  mapTile(dot.getResult(), loopOverK(dot.getAcc(), K, instr.k, loc, [&](Value k0, ValueRange acc) {
    SmallVector<Value> aFragments, bFragments;
    Value aK = arith::AddIOp::create(b, loc, aCol, k0), bK = arith::AddIOp::create(b, loc, bCol, k0);
    for (int64_t i = 0; i < tm; ++i) {
      Value r = arith::AddIOp::create(b, loc, aRow, i32(i * instr.m, loc));
      aFragments.push_back(fragment(sa, rowMajorOffset({r, aK}, {M, row}, loc)));
    }
    for (int64_t j = 0; j < tn; ++j) {
      Value r = arith::AddIOp::create(b, loc, bRow, i32(j * instr.n, loc));
      bFragments.push_back(fragment(sb, rowMajorOffset({r, bK}, {N, row}, loc)));
    }
    const int64_t perTile = instr.m * instr.n / instr.lanes; // accumulators a lane
    auto accType = VectorType::get({perTile}, b.getF32Type());
    SmallVector<Value> next(acc);
    for (int64_t i = 0; i < tm; ++i) {
      for (int64_t j = 0; j < tn; ++j) {
        const int64_t first = perTile * (j + tn * i);
        Value c = vector::FromElementsOp::create(
            b, loc, accType, ValueRange(ArrayRef<Value>(next).slice(first, perTile)));
        Value d = amdgpu::MFMAOp::create(b, loc, accType, b.getI32IntegerAttr(instr.m), b.getI32IntegerAttr(instr.n),
                                         b.getI32IntegerAttr(instr.k), b.getI32IntegerAttr(1), aFragments[i],
                                         bFragments[j], c);
        for (int64_t r = 0; r < perTile; ++r)
          next[first + r] = vector::ExtractOp::create(b, loc, d, ArrayRef<int64_t>{r});
      }
    }
    return next;
  }));
  return success();
}

} // namespace tegula::gpu::lowering
