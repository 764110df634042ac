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

GemmRoofline gemm_roofline(const GemmProgramConfig &c, const MachineSpec &spec) {
  GemmRoofline r;
  r.flops = 2.0 * c.M * c.N * c.K;
  r.blocks = (c.M / c.BM) * (c.N / c.BN);
  r.busy_tiles = std::min<int64_t>(r.blocks, spec.tiles());
  int64_t waves = (r.blocks + spec.tiles() - 1) / spec.tiles();
  // Each block reads its A rows and B columns once and writes its C block.
  r.bytes = static_cast<double>(r.blocks) * (static_cast<double>(c.BM * c.K * 2) + c.K * c.BN * 2 + c.BM * c.BN * 4);
  double tileFlopsPerCycle = 2.0 * spec.ttu_m * spec.ttu_n * spec.ttu_k;
  r.compute_cycles = static_cast<double>(waves) * (2.0 * c.BM * c.BN * c.K) / tileFlopsPerCycle;
  r.memory_cycles = r.bytes / std::min(spec.hbm_bytes_per_cycle(), r.busy_tiles * spec.dma_bytes_per_cycle);
  r.bound_cycles = std::max(r.compute_cycles, r.memory_cycles);
  return r;
}

} // namespace tegula::maia
