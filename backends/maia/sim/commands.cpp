// Unit command semantics. Numerics are part of the machine's definition (docs/maia.md):
// the tensor unit accumulates exact bf16 products into f32 in increasing k, one
// rounding per addition; this file is compiled without FP contraction so that holds.
#include "commands.h"

#include "tegula/runtime/half.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tegula::maia::sim {

namespace {

std::string range_text(uint64_t begin, uint64_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

/// Rows of a strided TSRAM region, each checked.
void tsram_rows(std::vector<TsramRange> &out, uint64_t base, uint64_t rows, uint64_t row_bytes, uint64_t stride,
                bool write, const MachineSpec &spec, const char *what) {
  for (uint64_t r = 0; r < rows; ++r)
    out.push_back(tsram_range(base + r * stride, row_bytes, write, spec, what));
}

/// Rows of a strided region of the cluster's SRAM, each checked against its size.
void csram_rows(std::vector<TsramRange> &out, uint64_t base, uint64_t rows, uint64_t row_bytes, uint64_t stride,
                bool write, const MachineSpec &spec, const char *what) {
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t begin = base + r * stride, end = begin + row_bytes;
    if (end < begin || end > spec.csram_bytes)
      throw Fault(std::string(what) + " CSRAM " + range_text(begin, end) + " lies outside the cluster's " +
                  std::to_string(spec.csram_bytes) + " bytes");
    out.push_back({begin, end, write});
  }
}

/// The HBM span of a strided transfer must lie inside one allocation.
void check_hbm(Hbm &hbm, uint64_t base, uint64_t rows, uint64_t row_bytes, uint64_t stride, const char *what) {
  uint64_t span = rows == 0 ? 0 : (rows - 1) * stride + row_bytes;
  if (hbm.find(base, span))
    return;
  std::string msg = std::string(what) + " HBM " + range_text(base, base + span) + " is not inside one allocation";
  if (const Hbm::Allocation *near = hbm.nearest(base))
    msg += " (nearest: '" + near->name + "' " + range_text(near->base, near->base + near->bytes) + ")";
  throw Fault(msg);
}

double vector_cycles(uint64_t elements, int cycles_per_group, const MachineSpec &spec) {
  uint64_t groups = (elements + spec.tvp_lanes - 1) / spec.tvp_lanes;
  return static_cast<double>(groups * cycles_per_group + spec.tvp_latency_cycles);
}

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// a * b, or a Fault when registers hold values whose product no memory could hold.
uint64_t product(uint64_t a, uint64_t b, const char *what) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r > (uint64_t{1} << 48))
    throw Fault(std::string(what) + " of " + std::to_string(a) + " x " + std::to_string(b) + " is out of range");
  return r;
}

/// Counts, strides and sizes are signed 64-bit register values; negative ones are faults.
uint64_t count(uint64_t v, const char *what) {
  if (static_cast<int64_t>(v) < 0)
    throw Fault(std::string(what) + " is negative (" + std::to_string(static_cast<int64_t>(v)) + ")");
  return v;
}

float f32_at(const uint8_t *base, uint64_t index) {
  float v;
  std::memcpy(&v, base + 4 * index, 4);
  return v;
}

void set_f32(uint8_t *base, uint64_t index, float v) { std::memcpy(base + 4 * index, &v, 4); }

float bf16_at(const uint8_t *base, uint64_t index) {
  uint16_t h;
  std::memcpy(&h, base + 2 * index, 2);
  return bf16_to_float(h);
}

} // namespace

TsramRange tsram_range(uint64_t begin, uint64_t bytes, bool write, const MachineSpec &spec, const char *what) {
  uint64_t end = begin + bytes;
  if (end < begin || end > spec.tsram_bytes)
    throw Fault(std::string(what) + " TSRAM " + range_text(begin, end) + " lies outside the tile's " +
                std::to_string(spec.tsram_bytes) + " bytes");
  return {begin, end, write};
}

/// The vector ops on re rows of rc elements (the others take rc elements).
bool is_matrix_op(Opcode op) {
  return (op >= Opcode::VRowMax && op <= Opcode::VRowDiv) || (op >= Opcode::VRowMul && op <= Opcode::VFillTail);
}

CommandPlan plan_command(const Instruction &ins, const Operands &ops, const MachineSpec &spec, Hbm &hbm) {
  if (is_typed_vector(ins.opcode))
    return plan_typed_vector(ins, ops, spec);
  if (is_dma_atomic(ins.opcode))
    return plan_dma_atomic(ins, ops, spec, hbm);
  if (is_indexed_dma(ins.opcode))
    return plan_indexed_dma(ins, ops, spec);
  CommandPlan plan;
  // Element counts of the vector unit: rc elements, or re rows of rc.
  if (ins.opcode >= Opcode::VAdd && ins.opcode <= Opcode::VFillTail) {
    count(ops.c, "element count");
    if (is_matrix_op(ins.opcode))
      product(product(count(ops.e, "row count"), ops.c, "matrix size"), 4, "matrix size");
    else
      product(ops.c, 4, "vector size");
  }
  switch (ins.opcode) {
  case Opcode::DmaIn:
  case Opcode::DmaOut: {
    bool in = ins.opcode == Opcode::DmaIn;
    uint64_t near = in ? ops.d : ops.a, far = in ? ops.a : ops.d;
    uint64_t rows = count(ops.b, "DMA row count"), rowBytes = count(ops.c, "DMA row size");
    uint64_t farStride = count(ops.e, "DMA far row stride");
    uint64_t nearStride = ops.imm != 0 ? count(static_cast<uint64_t>(ops.imm), "DMA near row stride") : rowBytes;
    product(rows, farStride, "DMA span");
    product(rows, nearStride, "DMA span");
    if (rows == 0 || rowBytes == 0)
      throw Fault("empty DMA (" + std::to_string(rows) + " rows of " + std::to_string(rowBytes) + " bytes)");
    if (rows > 1 && (farStride < rowBytes || nearStride < rowBytes))
      throw Fault("DMA row stride smaller than the row (" + std::to_string(rowBytes) + " bytes)");
    const char *nearWhat = in ? "DMA destination" : "DMA source", *farWhat = in ? "DMA source" : "DMA destination";
    if (near & kCsramWindow)
      csram_rows(plan.csram, near & ~kCsramWindow, rows, rowBytes, nearStride, /*write=*/in, spec, nearWhat);
    else
      tsram_rows(plan.tsram, near, rows, rowBytes, nearStride, /*write=*/in, spec, nearWhat);
    plan.dma_bytes = rows * rowBytes;
    if (far & kCsramWindow) {
      csram_rows(plan.csram, far & ~kCsramWindow, rows, rowBytes, farStride, /*write=*/!in, spec, farWhat);
    } else {
      check_hbm(hbm, far, rows, rowBytes, farStride, farWhat);
      plan.uses_hbm = true;
      (in ? plan.hbm_read : plan.hbm_written) = plan.dma_bytes;
    }
    return plan;
  }
  case Opcode::Mma:
  case Opcode::MmaT: {
    uint64_t M = count(ops.c, "M"), N = count(ops.e, "N"), K = count(static_cast<uint64_t>(ops.imm), "K");
    product(product(M, K, "A size"), 2, "A size");
    product(product(K, N, "B size"), 2, "B size");
    product(product(M, N, "C size"), 4, "C size");
    if (M == 0 || N == 0 || K == 0)
      throw Fault("empty matrix product " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K));
    plan.tsram.push_back(tsram_range(ops.a, M * K * 2, false, spec, "A operand"));
    plan.tsram.push_back(tsram_range(ops.b, K * N * 2, false, spec, "B operand"));
    plan.tsram.push_back(tsram_range(ops.d, M * N * 4, false, spec, "C accumulator"));
    plan.tsram.push_back(tsram_range(ops.d, M * N * 4, true, spec, "C accumulator"));
    plan.macs = M * N * K;
    plan.cycles = static_cast<double>(ceil_div(M, spec.ttu_m) * ceil_div(N, spec.ttu_n) * ceil_div(K, spec.ttu_k) +
                                      spec.ttu_latency_cycles);
    return plan;
  }
  case Opcode::VAdd:
  case Opcode::VSub:
  case Opcode::VMul:
  case Opcode::VMax:
  case Opcode::VDiv:
    plan.tsram.push_back(tsram_range(ops.a, ops.c * 4, false, spec, "vector operand"));
    plan.tsram.push_back(tsram_range(ops.b, ops.c * 4, false, spec, "vector operand"));
    plan.tsram.push_back(tsram_range(ops.d, ops.c * 4, true, spec, "vector result"));
    // Division takes the transcendental functions' slower path.
    plan.cycles = vector_cycles(ops.c, ins.opcode == Opcode::VDiv ? spec.tvp_exp_cycles : 1, spec);
    return plan;
  case Opcode::VExp:
  case Opcode::VCopy:
  case Opcode::VSqrt:
  case Opcode::VRsqrt:
  case Opcode::VErf:
  case Opcode::VSigmoid:
  case Opcode::VLog:
    plan.tsram.push_back(tsram_range(ops.a, ops.c * 4, false, spec, "vector operand"));
    plan.tsram.push_back(tsram_range(ops.d, ops.c * 4, true, spec, "vector result"));
    plan.cycles = vector_cycles(ops.c, ins.opcode == Opcode::VCopy ? 1 : spec.tvp_exp_cycles, spec);
    return plan;
  case Opcode::VFill:
    plan.tsram.push_back(tsram_range(ops.d, ops.c * 4, true, spec, "vector result"));
    plan.cycles = vector_cycles(ops.c, 1, spec);
    return plan;
  case Opcode::VToBf16:
    plan.tsram.push_back(tsram_range(ops.a, ops.c * 4, false, spec, "vector operand"));
    plan.tsram.push_back(tsram_range(ops.d, ops.c * 2, true, spec, "vector result"));
    plan.cycles = vector_cycles(ops.c, 1, spec);
    return plan;
  case Opcode::VToF32:
    plan.tsram.push_back(tsram_range(ops.a, ops.c * 2, false, spec, "vector operand"));
    plan.tsram.push_back(tsram_range(ops.d, ops.c * 4, true, spec, "vector result"));
    plan.cycles = vector_cycles(ops.c, 1, spec);
    return plan;
  case Opcode::VRowMax:
  case Opcode::VRowSum:
    plan.tsram.push_back(tsram_range(ops.a, ops.e * ops.c * 4, false, spec, "matrix operand"));
    plan.tsram.push_back(tsram_range(ops.d, ops.e * 4, true, spec, "row result"));
    plan.cycles = vector_cycles(ops.e * ops.c, 1, spec);
    return plan;
  case Opcode::VRowSub:
  case Opcode::VRowDiv:
  case Opcode::VRowMul:
  case Opcode::VColAdd:
  case Opcode::VColMul: {
    bool column = ins.opcode == Opcode::VColAdd || ins.opcode == Opcode::VColMul;
    plan.tsram.push_back(tsram_range(ops.a, ops.e * ops.c * 4, false, spec, "matrix operand"));
    plan.tsram.push_back(tsram_range(ops.b, (column ? ops.c : ops.e) * 4, false, spec,
                                     column ? "column vector" : "row vector"));
    plan.tsram.push_back(tsram_range(ops.d, ops.e * ops.c * 4, true, spec, "matrix result"));
    plan.cycles = vector_cycles(ops.e * ops.c, 1, spec);
    return plan;
  }
  case Opcode::DbgPrint:
  case Opcode::DbgAssert: {
    // The elements (or mask bytes) are read when the command finishes.
    const uint64_t size = ins.opcode == Opcode::DbgPrint ? elem_bytes(static_cast<ElemType>(ops.imm)) : 1;
    if (ops.c == 0 || ops.c > (uint64_t{1} << 32))
      throw Fault("debug command of " + std::to_string(static_cast<int64_t>(ops.c)) + " elements is out of range");
    plan.tsram.push_back(tsram_range(ops.a, ops.c * size, false, spec, "debug operand"));
    plan.cycles = vector_cycles(ops.c, 1, spec);
    return plan;
  }
  case Opcode::VFillTail:
    // The whole matrix counts as written: which words the tail covers is data.
    plan.tsram.push_back(tsram_range(ops.d, ops.e * ops.c * 4, true, spec, "matrix result"));
    plan.cycles = vector_cycles(ops.e * ops.c, 1, spec);
    return plan;
  default:
    throw Fault("not a unit command");
  }
}

void execute_command(const Instruction &ins, const Operands &ops, uint8_t *tsram, uint8_t *csram, Hbm &hbm) {
  if (is_typed_vector(ins.opcode))
    return execute_typed_vector(ins, ops, tsram);
  if (is_dma_atomic(ins.opcode))
    return execute_dma_atomic(ins, ops, tsram, hbm);
  if (is_indexed_dma(ins.opcode))
    return execute_indexed_dma(ins, ops, tsram, hbm);
  switch (ins.opcode) {
  case Opcode::DmaIn:
  case Opcode::DmaOut: {
    bool in = ins.opcode == Opcode::DmaIn;
    uint64_t rows = ops.b, rowBytes = ops.c, farStride = ops.e;
    uint64_t nearStride = ops.imm != 0 ? static_cast<uint64_t>(ops.imm) : rowBytes;
    uint64_t near = in ? ops.d : ops.a, far = in ? ops.a : ops.d;
    uint8_t *nearBytes = near & kCsramWindow ? csram + (near & ~kCsramWindow) : tsram + near;
    uint8_t *farBytes = far & kCsramWindow ? csram + (far & ~kCsramWindow)
                                           : hbm.host(far, (rows - 1) * farStride + rowBytes);
    for (uint64_t r = 0; r < rows; ++r) {
      uint8_t *n = nearBytes + r * nearStride, *f = farBytes + r * farStride;
      if (in)
        std::memmove(n, f, rowBytes);
      else
        std::memmove(f, n, rowBytes);
    }
    return;
  }
  case Opcode::Mma:
  case Opcode::MmaT: {
    uint64_t M = ops.c, N = ops.e, K = static_cast<uint64_t>(ops.imm);
    const uint8_t *a = tsram + ops.a, *b = tsram + ops.b;
    uint8_t *c = tsram + ops.d;
    const bool transposed = ins.opcode == Opcode::MmaT;
    for (uint64_t i = 0; i < M; ++i)
      for (uint64_t j = 0; j < N; ++j) {
        float acc = f32_at(c, i * N + j);
        for (uint64_t k = 0; k < K; ++k) {
          float bkj = bf16_at(b, transposed ? j * K + k : k * N + j);
          float product = bf16_at(a, i * K + k) * bkj; // exact in f32
          acc = acc + product;
        }
        set_f32(c, i * N + j, acc);
      }
    return;
  }
  case Opcode::VAdd:
  case Opcode::VSub:
  case Opcode::VMul:
  case Opcode::VMax:
    for (uint64_t i = 0; i < ops.c; ++i) {
      float x = f32_at(tsram + ops.a, i), y = f32_at(tsram + ops.b, i), r = 0;
      switch (ins.opcode) {
      case Opcode::VAdd: r = x + y; break;
      case Opcode::VSub: r = x - y; break;
      case Opcode::VMul: r = x * y; break;
      default: r = std::fmax(x, y); break;
      }
      set_f32(tsram + ops.d, i, r);
    }
    return;
  case Opcode::VDiv:
    for (uint64_t i = 0; i < ops.c; ++i)
      set_f32(tsram + ops.d, i, f32_at(tsram + ops.a, i) / f32_at(tsram + ops.b, i));
    return;
  case Opcode::VExp:
  case Opcode::VSqrt:
  case Opcode::VRsqrt:
  case Opcode::VErf:
  case Opcode::VSigmoid:
  case Opcode::VLog:
    // Evaluated in f32 with the host's single-precision functions; 1/sqrt and the
    // sigmoid are composed of correctly rounded steps.
    for (uint64_t i = 0; i < ops.c; ++i) {
      float x = f32_at(tsram + ops.a, i), r;
      switch (ins.opcode) {
      case Opcode::VExp: r = std::exp(x); break;
      case Opcode::VSqrt: r = std::sqrt(x); break;
      case Opcode::VRsqrt: r = 1.0f / std::sqrt(x); break;
      case Opcode::VErf: r = std::erf(x); break;
      case Opcode::VSigmoid: r = 1.0f / (1.0f + std::exp(-x)); break;
      default: r = std::log(x); break;
      }
      set_f32(tsram + ops.d, i, r);
    }
    return;
  case Opcode::VCopy:
    std::memmove(tsram + ops.d, tsram + ops.a, ops.c * 4);
    return;
  case Opcode::VFill: {
    uint32_t bits = static_cast<uint32_t>(ops.b);
    for (uint64_t i = 0; i < ops.c; ++i)
      std::memcpy(tsram + ops.d + 4 * i, &bits, 4);
    return;
  }
  case Opcode::VToBf16:
    for (uint64_t i = 0; i < ops.c; ++i) {
      uint16_t h = float_to_bf16(f32_at(tsram + ops.a, i));
      std::memcpy(tsram + ops.d + 2 * i, &h, 2);
    }
    return;
  case Opcode::VToF32: {
    // Back to front, so converting in place (same base address) is allowed.
    for (uint64_t i = ops.c; i-- > 0;)
      set_f32(tsram + ops.d, i, bf16_at(tsram + ops.a, i));
    return;
  }
  case Opcode::VRowMax:
  case Opcode::VRowSum:
    for (uint64_t r = 0; r < ops.e; ++r) {
      float acc = ins.opcode == Opcode::VRowMax ? -INFINITY : 0.0f;
      for (uint64_t col = 0; col < ops.c; ++col) {
        float x = f32_at(tsram + ops.a, r * ops.c + col);
        acc = ins.opcode == Opcode::VRowMax ? std::fmax(acc, x) : acc + x;
      }
      set_f32(tsram + ops.d, r, acc);
    }
    return;
  case Opcode::VRowSub:
  case Opcode::VRowDiv:
  case Opcode::VRowMul:
  case Opcode::VColAdd:
  case Opcode::VColMul:
    for (uint64_t r = 0; r < ops.e; ++r)
      for (uint64_t col = 0; col < ops.c; ++col) {
        bool column = ins.opcode == Opcode::VColAdd || ins.opcode == Opcode::VColMul;
        float x = f32_at(tsram + ops.a, r * ops.c + col), v = f32_at(tsram + ops.b, column ? col : r), out;
        switch (ins.opcode) {
        case Opcode::VRowSub: out = x - v; break;
        case Opcode::VRowDiv: out = x / v; break;
        case Opcode::VColAdd: out = x + v; break;
        default: out = x * v; break;
        }
        set_f32(tsram + ops.d, r * ops.c + col, out);
      }
    return;
  case Opcode::VFillTail: {
    uint32_t bits = static_cast<uint32_t>(ops.b);
    for (uint64_t r = 0; r < ops.e; ++r) {
      int64_t first = static_cast<int64_t>(ops.a) + static_cast<int64_t>(r) * ops.imm;
      first = std::clamp<int64_t>(first, 0, static_cast<int64_t>(ops.c));
      for (uint64_t col = static_cast<uint64_t>(first); col < ops.c; ++col)
        std::memcpy(tsram + ops.d + 4 * (r * ops.c + col), &bits, 4);
    }
    return;
  }
  default:
    return;
  }
}

} // namespace tegula::maia::sim
