#include "backends/gpu/Layout/MatrixInstruction.h"

#include <utility>

namespace tegula::gpu {

namespace {

using Bases = std::vector<LinearLayout::Basis>;

/// A fragment of one instruction: (register, lane) -> (row, col) of a rows x cols
/// operand.
LinearLayout fragment(Bases registers, Bases lanes, int64_t rows, int64_t cols) {
  const int registerBits = static_cast<int>(registers.size()), laneBits = static_cast<int>(lanes.size());
  return LinearLayout({{"register", registerBits}, {"lane", laneBits}},
                      {{"dim0", log2_exact(rows, "rows")}, {"dim1", log2_exact(cols, "columns")}},
                      {std::move(registers), std::move(lanes)});
}

/// mma.sync.aligned.m16n8k16 with 16-bit inputs, from the PTX ISA's fragment tables.
/// With group = lane / 4 and t = lane % 4 (lane bits 0-1 are t, bits 2-4 the group):
///   A: a_i at row group + 8 ((i >> 1) & 1), column 2t + (i & 1) + 8 (i >> 2);
///   B: b_i at row 2t + (i & 1) + 8 (i >> 1), column group;
///   C: c_i at row group + 8 (i >> 1), column 2t + (i & 1).
MatrixInstruction mmaM16N8K16(bool swap) {
  MatrixInstruction mma;
  mma.name = "mma.m16n8k16";
  mma.unit = MatrixUnit::MmaSync;
  mma.m = 16, mma.n = 8, mma.k = 16, mma.lanes = 32;
  mma.inputs = {MatrixInput::F16, MatrixInput::BF16};
  const Bases groupAlongRows = {{0, 2}, {0, 4}, {1, 0}, {2, 0}, {4, 0}};
  mma.a = fragment({{0, 1}, {8, 0}, {0, 8}}, groupAlongRows, 16, 16);
  mma.b = fragment({{1, 0}, {8, 0}}, {{2, 0}, {4, 0}, {0, 1}, {0, 2}, {0, 4}}, 16, 8);
  Bases cLanes = groupAlongRows;
  if (swap)
    std::swap(cLanes[2], cLanes[3]);
  mma.c = fragment({{0, 1}, {8, 0}}, std::move(cLanes), 16, 8);
  return mma;
}

/// mma.sync.aligned.m16n8k8 with tf32 inputs (f32 registers of which the instruction
/// reads 10 mantissa bits), from the PTX ISA's fragment tables. With group and t as
/// above:
///   A: a_i at row group + 8 (i & 1), column t + 4 (i >> 1);
///   B: b_i at row t + 4 i, column group;
///   C: as m16n8k16's.
MatrixInstruction mmaM16N8K8Tf32(bool swap) {
  MatrixInstruction mma;
  mma.name = "mma.m16n8k8.tf32";
  mma.unit = MatrixUnit::MmaSync;
  mma.m = 16, mma.n = 8, mma.k = 8, mma.lanes = 32;
  mma.inputs = {MatrixInput::TF32};
  const Bases groupAlongRows = {{0, 1}, {0, 2}, {1, 0}, {2, 0}, {4, 0}};
  mma.a = fragment({{8, 0}, {0, 4}}, groupAlongRows, 16, 8);
  mma.b = fragment({{4, 0}}, {{1, 0}, {2, 0}, {0, 1}, {0, 2}, {0, 4}}, 8, 8);
  Bases cLanes = {{0, 2}, {0, 4}, {1, 0}, {2, 0}, {4, 0}};
  if (swap)
    std::swap(cLanes[2], cLanes[3]);
  mma.c = fragment({{0, 1}, {8, 0}}, std::move(cLanes), 16, 8);
  return mma;
}

/// v_mfma_f32_32x32x8{f16,bf16} (one block), from AMD's CDNA instruction set tables.
/// With lane l of 64 (bits 0-4: l % 32, bit 5: l / 32):
///   A: element i of 4 at row l % 32, column 4 (l / 32) + i;
///   B: element i of 4 at row 4 (l / 32) + i, column l % 32;
///   C: element r of 16 at row 8 (r / 4) + 4 (l / 32) + r % 4, column l % 32.
MatrixInstruction mfma32x32x8(bool swap) {
  MatrixInstruction mfma;
  mfma.name = "mfma.32x32x8";
  mfma.unit = MatrixUnit::Mfma;
  mfma.m = 32, mfma.n = 32, mfma.k = 8, mfma.lanes = 64;
  mfma.inputs = {MatrixInput::F16, MatrixInput::BF16};
  mfma.a = fragment({{0, 1}, {0, 2}}, {{1, 0}, {2, 0}, {4, 0}, {8, 0}, {16, 0}, {0, 4}}, 32, 8);
  mfma.b = fragment({{1, 0}, {2, 0}}, {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {4, 0}}, 8, 32);
  Bases c = {{1, 0}, {2, 0}, {8, 0}, {16, 0}};
  if (swap)
    std::swap(c[0], c[1]);
  mfma.c = fragment(std::move(c), {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {4, 0}}, 32, 32);
  return mfma;
}

} // namespace

std::optional<MatrixInstruction> find_matrix_instruction(const std::string &name, bool swap_fragment) {
  if (name == "mma.m16n8k16")
    return mmaM16N8K16(swap_fragment);
  if (name == "mma.m16n8k8.tf32")
    return mmaM16N8K8Tf32(swap_fragment);
  if (name == "mfma.32x32x8")
    return mfma32x32x8(swap_fragment);
  return std::nullopt;
}

std::optional<MatrixTiling> tile_accumulator(const MatrixInstruction &instr, int64_t M, int64_t N, int64_t warps) {
  // A layout's extents are powers of two (a tile of 80 columns has none).
  if (M < instr.m || N < instr.n || M % instr.m != 0 || N % instr.n != 0 || (M & (M - 1)) != 0 || (N & (N - 1)) != 0)
    return std::nullopt;
  // Split the warps over the longer side of the warps' sub-tiles, rows on a tie, while
  // a split leaves whole instruction tiles.
  MatrixTiling t;
  t.warp_rows = M;
  t.warp_cols = N;
  std::vector<LinearLayout::Basis> warpBases;
  for (int64_t w = 1; w < warps; w *= 2) {
    const bool rowsCan = t.warp_rows / 2 >= instr.m, colsCan = t.warp_cols / 2 >= instr.n;
    if (rowsCan && (t.warp_rows >= t.warp_cols || !colsCan)) {
      t.warp_rows /= 2;
      warpBases.push_back({t.warp_rows, 0});
    } else if (colsCan) {
      t.warp_cols /= 2;
      warpBases.push_back({0, t.warp_cols});
    } else {
      warpBases.push_back({0, 0}); // a copy: the tile is too small for more warps
    }
  }
  t.tiles_m = t.warp_rows / instr.m;
  t.tiles_n = t.warp_cols / instr.n;
  std::vector<LinearLayout::Basis> registerBases;
  for (int bit = 0; bit < instr.c.ins()[0].log2_size; ++bit)
    registerBases.push_back(instr.c.basis("register", bit));
  for (int64_t step = instr.n; step < t.warp_cols; step *= 2)
    registerBases.push_back({0, step});
  for (int64_t step = instr.m; step < t.warp_rows; step *= 2)
    registerBases.push_back({step, 0});
  std::vector<LinearLayout::Basis> laneBases;
  for (int bit = 0; bit < instr.c.ins()[1].log2_size; ++bit)
    laneBases.push_back(instr.c.basis("lane", bit));
  const int registerBits = static_cast<int>(registerBases.size()), laneBits = static_cast<int>(laneBases.size()),
            warpBits = static_cast<int>(warpBases.size());
  t.layout = LinearLayout({{"register", registerBits}, {"lane", laneBits}, {"warp", warpBits}},
                          {{"dim0", log2_exact(M, "rows")}, {"dim1", log2_exact(N, "columns")}},
                          {std::move(registerBases), std::move(laneBases), std::move(warpBases)});
  return t;
}

} // namespace tegula::gpu
