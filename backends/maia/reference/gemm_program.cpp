#include "gemm_program.h"

#include "tegula/runtime/error.h"

#include <algorithm>
#include <sstream>

namespace tegula::maia {

namespace {
// Registers.
//   x1 a, x2 b, x3 c (HBM)      x4 row0*K*2 (A block start)   x5 col0*2 (B block start)
//   x6 k (bytes into a row of A: k*2)   x7 K*2   x8 B row step (BK*N*2)
//   x10/x11 A buffers (current/other)    x12/x13 B buffers (current/other)
//   x14 C buffer   x15 BM   x16 BK*2 (A row bytes)   x17 BK   x18 BN*2 (B row bytes)
//   x19 N*2 (B stride)   x20 hbm A slice   x21 hbm B slice   x22 BN   x23 B offset
//   x24 tmp  x25 BM*BN (words of C)  x26 BN*4   x27 N*4
// Semaphores: s1 loads into buffer 0, s2 loads into buffer 1, s3 mma, s4 C out.
} // namespace

std::string gemm_program(const GemmProgramConfig &c, const MachineSpec &spec) {
  if (c.M % c.BM || c.N % c.BN || c.K % c.BK)
    throw Error(ErrorCode::InvalidArgument, "gemm program: M, N, K must be multiples of BM, BN, BK");
  if ((c.K / c.BK) % 2)
    throw Error(ErrorCode::InvalidArgument, "gemm program: K / BK must be even (the loop handles two slices)");
  if (c.BM % spec.ttu_m || c.BN % spec.ttu_n || c.BK % spec.ttu_k)
    throw Error(ErrorCode::InvalidArgument, "gemm program: blocks must be multiples of the tensor unit's shape");
  const int64_t aBytes = c.BM * c.BK * 2, bBytes = c.BK * c.BN * 2, cBytes = c.BM * c.BN * 4;
  // Buffers start on 256-byte boundaries (the race detector's granule), each followed by
  // one spare row so that a planted one-row overrun stays inside its own buffer.
  int64_t next = 0;
  auto place = [&](int64_t bytes, int64_t row) {
    int64_t at = (next + 255) / 256 * 256;
    next = at + bytes + row;
    return at;
  };
  int64_t aBuf0 = place(aBytes, c.BK * 2), aBuf1 = place(aBytes, c.BK * 2);
  int64_t bBuf0 = place(bBytes, 0), bBuf1 = place(bBytes, 0);
  int64_t cBuf = place(cBytes, 0);
  if (c.overflow_tsram)
    cBuf = static_cast<int64_t>(spec.tsram_bytes) - cBytes + spec.ttu_m * spec.ttu_n * 4;
  else if (cBuf + cBytes > static_cast<int64_t>(spec.tsram_bytes))
    throw Error(ErrorCode::InvalidArgument, "gemm program: buffers need " + std::to_string(cBuf + cBytes) +
                                                " bytes of TSRAM, the tile has " + std::to_string(spec.tsram_bytes));
  const int64_t aRows = c.dma_row_past_end ? c.BM + 1 : c.BM;

  std::ostringstream s;
  s << "# bf16 GEMM " << c.M << "x" << c.N << "x" << c.K << ", blocks " << c.BM << "x" << c.BN << "x" << c.BK << "\n";
  s << "  arg x1, 0\n  arg x2, 1\n  arg x3, 2\n";
  // Block origin: program (x, y) owns C rows y*BM.., columns x*BN..
  s << "  pid x24, 1\n  muli x24, x24, " << c.BM << "\n";            // row0
  s << "  li x7, " << c.K * 2 << "\n  mul x4, x24, x7\n";            // row0 * K * 2
  s << "  li x27, " << c.N * 4 << "\n  mul x26, x24, x27\n";          // row0 * N * 4 (C)
  s << "  add x3, x3, x26\n";
  s << "  pid x24, 0\n  muli x5, x24, " << c.BN * 2 << "\n";         // col0 * 2 (B)
  s << "  muli x24, x24, " << c.BN * 4 << "\n  add x3, x3, x24\n";  // + col0 * 4 (C)
  s << "  li x10, " << aBuf0 << "\n  li x11, " << aBuf1 << "\n";
  s << "  li x12, " << bBuf0 << "\n  li x13, " << bBuf1 << "\n  li x14, " << cBuf << "\n";
  s << "  li x15, " << aRows << "\n  li x16, " << c.BK * 2 << "\n  li x17, " << c.BK << "\n";
  s << "  li x18, " << c.BN * 2 << "\n  li x19, " << c.N * 2 << "\n  li x22, " << c.BN << "\n";
  s << "  li x8, " << c.BK * c.N * 2 << "\n  li x25, " << c.BM * c.BN << "\n";
  s << "  li x26, " << c.BN * 4 << "\n  li x28, " << c.BM << "\n";
  // C = 0.
  s << "  vfill x14, x0, x25, s5\n  wait s5, 1\n";
  // Prefetch slice 0 into buffer 0.
  s << "  add x20, x1, x4\n  add x21, x2, x5\n";
  s << "  dma.in x10, x20, x15, x16, x7, 0, s1\n";
  s << "  dma.in x12, x21, x17, x18, x19, 0, s1\n";
  s << "  li x6, 0\n  li x23, 0\n";
  // Two slices per trip: buffer 0 (s1) then buffer 1 (s2).
  s << "loop:\n";
  for (int half = 0; half < 2; ++half) {
    const char *curA = half == 0 ? "x10" : "x11", *curB = half == 0 ? "x12" : "x13";
    const char *othA = half == 0 ? "x11" : "x10", *othB = half == 0 ? "x13" : "x12";
    int sCur = half == 0 ? 1 : 2, sOther = half == 0 ? 2 : 1;
    if (!(c.drop_load_wait && half == 0))
      s << "  wait s" << sCur << ", 2\n";
    s << "  mma x14, " << curA << ", " << curB << ", x28, x22, " << c.BK << ", s3\n";
    // The other buffers were read by the previous mma: wait for it before refilling.
    s << "  bne x6, x0, not_first_" << half << "\n";
    s << "  jmp refill_" << half << "\n";
    s << "not_first_" << half << ":\n  wait s3, 1\n";
    s << "refill_" << half << ":\n";
    s << "  addi x6, x6, " << c.BK * 2 << "\n  add x23, x23, x8\n";
    s << "  bge x6, x7, done_" << half << "\n";
    s << "  add x20, x1, x4\n  add x20, x20, x6\n  add x21, x2, x5\n  add x21, x21, x23\n";
    s << "  dma.in " << othA << ", x20, x15, x16, x7, 0, s" << sOther << "\n";
    s << "  dma.in " << othB << ", x21, x17, x18, x19, 0, s" << sOther << "\n";
  }
  s << "  jmp loop\n";
  s << "done_0:\ndone_1:\n";
  s << "  wait s3, 1\n";
  // C block out: BM rows of BN*4 bytes, HBM stride N*4.
  s << "  dma.out x3, x14, x28, x26, x27, 0, s4\n  wait s4, 1\n  halt\n";
  return s.str();
}

std::string gemm_shared_program(const GemmProgramConfig &c, const MachineSpec &spec) {
  if (c.BM != c.BN)
    throw Error(ErrorCode::InvalidArgument, "shared gemm program: BM must equal BN (one slice size)");
  if (c.M % (2 * c.BM) || c.N % (2 * c.BN) || c.K % c.BK || (c.K / c.BK) % 2)
    throw Error(ErrorCode::InvalidArgument,
                "shared gemm program: M and N must be multiples of twice the block, K of BK, and K / BK even");
  if (spec.tiles_per_cluster != 4)
    throw Error(ErrorCode::InvalidArgument, "shared gemm program: needs clusters of 4 tiles");
  if (c.BM % spec.ttu_m || c.BK % spec.ttu_k)
    throw Error(ErrorCode::InvalidArgument, "shared gemm program: blocks must be multiples of the tensor unit's shape");
  const int64_t slice = c.BM * c.BK * 2; // an A slice (BM x BK) and a B slice (BK x BN) have the same size
  const int64_t stage = 4 * slice;        // CSRAM: A0 A1 B0 B1, twice
  if (2 * stage > static_cast<int64_t>(spec.csram_bytes))
    throw Error(ErrorCode::InvalidArgument, "shared gemm program: two stages of four slices exceed CSRAM");
  const int64_t cBytes = c.BM * c.BN * 4;
  const int64_t tA0 = 0, tA1 = slice, tB0 = 2 * slice, tB1 = 3 * slice, tC = 4 * slice;
  if (tC + cBytes > static_cast<int64_t>(spec.tsram_bytes))
    throw Error(ErrorCode::InvalidArgument, "shared gemm program: buffers exceed TSRAM");
  const int64_t steps = c.K / c.BK;

  // Registers: x1 a, x2 b, x3 this block of c, x4 lane, x5 lane / 2, x6 lane % 2,
  // x7 the CSRAM window, x8 this lane's fetch source, x9 its step, x10 rows,
  // x11 row bytes, x12 HBM stride, x13 own CSRAM slot (stage 0), x14 stage size,
  // x15 step index, x16 steps, x17/x18 the A/B slots this lane reads (stage 0),
  // x19..x23 TSRAM A0 A1 B0 B1 C, x24..x30 temporaries and constants.
  // Semaphores: s1 fetch, s2 copies, s3/s4 mma of stage 0/1, s5 fill and write-back.
  std::ostringstream s;
  s << "# bf16 GEMM " << c.M << "x" << c.N << "x" << c.K << ", blocks " << c.BM << "x" << c.BN << "x" << c.BK
    << ", operands shared in each cluster\n";
  s << "  arg x1, 0\n  arg x2, 1\n  arg x3, 2\n";
  s << "  pid x4, 0\n  pid x24, 1\n  pid x25, 2\n";
  s << "  li x5, 0\n  li x26, 2\n  blt x4, x26, lane_row\n  li x5, 1\n";
  s << "lane_row:\n  muli x6, x5, -2\n  add x6, x6, x4\n";
  // Block (bi, bj) = (2 y + lane / 2, 2 x + lane % 2).
  s << "  muli x26, x25, 2\n  add x26, x26, x5\n  muli x27, x24, 2\n  add x27, x27, x6\n";
  s << "  muli x28, x26, " << c.BM * c.N * 4 << "\n  add x3, x3, x28\n";
  s << "  muli x28, x27, " << c.BN * 4 << "\n  add x3, x3, x28\n";
  s << "  li x7, 1\n  shli x7, x7, 62\n";
  // Lanes 0 and 1 fetch A slices of block rows 2y, 2y + 1; lanes 2 and 3 B slices of
  // block columns 2x, 2x + 1.
  s << "  li x26, 2\n  bge x4, x26, fetch_b\n";
  s << "  muli x28, x25, 2\n  add x28, x28, x4\n  muli x28, x28, " << c.BM * c.K * 2 << "\n  add x8, x1, x28\n";
  s << "  li x9, " << c.BK * 2 << "\n  li x10, " << c.BM << "\n  li x11, " << c.BK * 2 << "\n  li x12, " << c.K * 2
    << "\n  jmp fetch_set\n";
  s << "fetch_b:\n  muli x28, x24, 2\n  add x28, x28, x4\n  addi x28, x28, -2\n  muli x28, x28, " << c.BN * 2
    << "\n  add x8, x2, x28\n";
  s << "  li x9, " << c.BK * c.N * 2 << "\n  li x10, " << c.BK << "\n  li x11, " << c.BN * 2 << "\n  li x12, "
    << c.N * 2 << "\n";
  s << "fetch_set:\n";
  s << "  muli x13, x4, " << slice << "\n  add x13, x13, x7\n  li x14, " << stage << "\n";
  s << "  muli x17, x5, " << slice << "\n  add x17, x17, x7\n";
  s << "  muli x18, x6, " << slice << "\n  addi x18, x18, " << 2 * slice << "\n  add x18, x18, x7\n";
  s << "  li x19, " << tA0 << "\n  li x20, " << tA1 << "\n  li x21, " << tB0 << "\n  li x22, " << tB1
    << "\n  li x23, " << tC << "\n";
  s << "  li x15, 0\n  li x16, " << steps << "\n  li x29, " << c.BM << "\n  li x30, " << c.BK << "\n";
  s << "  li x26, " << c.BK * 2 << "\n"; // A slice rows in CSRAM
  s << "  li x24, " << c.BM * c.BN << "\n  vfill x23, x0, x24, s5\n  wait s5, 1\n";
  // Step 0's slice into stage 0.
  s << "  dma.in x13, x8, x10, x11, x12, 0, s1\n";
  s << "loop:\n";
  for (int st = 0; st < 2; ++st) {
    const char *tA = st == 0 ? "x19" : "x20", *tB = st == 0 ? "x21" : "x22";
    int mmaSem = 3 + st;
    s << "  wait s1, 1\n  cbar\n";
    // This stage's TSRAM slices were read by the mma two steps back.
    s << "  li x24, 2\n  blt x15, x24, fresh_" << st << "\n  wait s" << mmaSem << ", 1\n";
    s << "fresh_" << st << ":\n";
    if (st == 0) {
      s << "  dma.in " << tA << ", x17, x29, x26, x26, 0, s2\n";
    } else {
      s << "  add x24, x17, x14\n  dma.in " << tA << ", x24, x29, x26, x26, 0, s2\n";
    }
    // A slices have rows of BK * 2 bytes, B slices rows of BN * 2; both are dense.
    s << "  li x25, " << c.BN * 2 << "\n";
    if (st == 0)
      s << "  dma.in " << tB << ", x18, x30, x25, x25, 0, s2\n";
    else
      s << "  add x24, x18, x14\n  dma.in " << tB << ", x24, x30, x25, x25, 0, s2\n";
    // The next step's slice into the other stage (everyone finished reading it before
    // this step's barrier).
    s << "  addi x15, x15, 1\n  bge x15, x16, no_fetch_" << st << "\n  add x8, x8, x9\n";
    if (st == 0)
      s << "  add x24, x13, x14\n  dma.in x24, x8, x10, x11, x12, 0, s1\n";
    else
      s << "  dma.in x13, x8, x10, x11, x12, 0, s1\n";
    s << "no_fetch_" << st << ":\n  wait s2, 2\n";
    s << "  mma x23, " << tA << ", " << tB << ", x29, x29, " << c.BK << ", s" << mmaSem << "\n";
    s << "  bge x15, x16, done\n";
  }
  s << "  jmp loop\ndone:\n  wait s3, 1\n  wait s4, 1\n";
  s << "  li x24, " << c.BN * 4 << "\n  li x25, " << c.N * 4 << "\n";
  s << "  dma.out x3, x23, x29, x24, x25, 0, s5\n  wait s5, 1\n  halt\n";
  return s.str();
}

GemmRoofline gemm_roofline(const GemmProgramConfig &c, const MachineSpec &spec) {
  GemmRoofline r;
  r.flops = 2.0 * c.M * c.N * c.K;
  r.blocks = (c.M / c.BM) * (c.N / c.BN);
  r.busy_tiles = std::min<int64_t>(r.blocks, spec.tiles());
  int64_t waves = (r.blocks + spec.tiles() - 1) / spec.tiles();
  // Each block reads its A rows and B columns once and writes its C block.
  double operandBytes = static_cast<double>(c.BM * c.K * 2) + static_cast<double>(c.K * c.BN * 2);
  if (c.cluster_shared)
    operandBytes /= 2; // each slice serves two blocks of the cluster's 2x2 square
  r.bytes = static_cast<double>(r.blocks) * (operandBytes + static_cast<double>(c.BM * c.BN * 4));
  double tileFlopsPerCycle = 2.0 * spec.ttu_m * spec.ttu_n * spec.ttu_k;
  r.compute_cycles = static_cast<double>(waves) * (2.0 * c.BM * c.BN * c.K) / tileFlopsPerCycle;
  r.memory_cycles = r.bytes / std::min(spec.hbm_bytes_per_cycle(), r.busy_tiles * spec.dma_bytes_per_cycle);
  r.bound_cycles = std::max(r.compute_cycles, r.memory_cycles);
  return r;
}

} // namespace tegula::maia
