// The typed vector unit (vt.*): element-wise integer and float arithmetic,
// comparisons, selects, conversions and fills on arrays of any ElemType. Float
// arithmetic is done in double and rounded once to the element type; for f32, f16 and
// bf16 operands that equals the correctly rounded result of the operation in the type
// (double carries more than twice their precision plus two bits, so the second
// rounding is innocuous), which is also what the CPU backend computes.
#include "commands.h"

#include "tegula/runtime/half.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace tegula::maia::sim {

namespace {

ElemType type_of(int64_t imm) { return static_cast<ElemType>(imm); }

/// An element read as a signed (or, for unsigned types, zero-extended) integer.
int64_t read_int(const uint8_t *base, uint64_t i, ElemType t) {
  switch (elem_bytes(t)) {
  case 1: {
    uint8_t v;
    std::memcpy(&v, base + i, 1);
    return elem_is_unsigned(t) ? int64_t{v} : int64_t{static_cast<int8_t>(v)};
  }
  case 2: {
    uint16_t v;
    std::memcpy(&v, base + 2 * i, 2);
    return elem_is_unsigned(t) ? int64_t{v} : int64_t{static_cast<int16_t>(v)};
  }
  case 4: {
    uint32_t v;
    std::memcpy(&v, base + 4 * i, 4);
    return elem_is_unsigned(t) ? int64_t{v} : int64_t{static_cast<int32_t>(v)};
  }
  default: {
    int64_t v;
    std::memcpy(&v, base + 8 * i, 8);
    return v;
  }
  }
}

/// Stores the low bits of `v` (integers wrap at their width).
void write_int(uint8_t *base, uint64_t i, ElemType t, int64_t v) {
  int n = elem_bytes(t);
  uint64_t bits = static_cast<uint64_t>(v);
  std::memcpy(base + n * i, &bits, n); // little-endian host: the low bytes come first
}

double read_float(const uint8_t *base, uint64_t i, ElemType t) {
  switch (t) {
  case ElemType::F16: {
    uint16_t h;
    std::memcpy(&h, base + 2 * i, 2);
    return f16_to_float(h);
  }
  case ElemType::BF16: {
    uint16_t h;
    std::memcpy(&h, base + 2 * i, 2);
    return bf16_to_float(h);
  }
  case ElemType::F32: {
    float f;
    std::memcpy(&f, base + 4 * i, 4);
    return f;
  }
  default: {
    double d;
    std::memcpy(&d, base + 8 * i, 8);
    return d;
  }
  }
}

/// `v` rounded to f32 toward zero, with the last bit set when that was inexact (round
/// to odd). Rounding that once more to a format of at most 22 bits gives the same
/// result as rounding `v` to it directly: the odd bit stands for what was cut off.
float round_to_odd_f32(long double v) {
  float f = static_cast<float>(v);
  if (std::isnan(v) || static_cast<long double>(f) == v)
    return f;
  if (std::fabs(static_cast<long double>(f)) > std::fabs(v))
    f = std::nextafter(f, 0.0f);
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  bits |= 1;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// Rounds `v` once to the type (f16 and bf16 through a round-to-odd f32). Long double
/// holds every 64-bit integer exactly, so conversions from integers round once too.
void write_float(uint8_t *base, uint64_t i, ElemType t, long double v) {
  switch (t) {
  case ElemType::F16: {
    uint16_t h = float_to_f16(round_to_odd_f32(v));
    std::memcpy(base + 2 * i, &h, 2);
    return;
  }
  case ElemType::BF16: {
    uint16_t h = float_to_bf16(round_to_odd_f32(v));
    std::memcpy(base + 2 * i, &h, 2);
    return;
  }
  case ElemType::F32: {
    float f = static_cast<float>(v);
    std::memcpy(base + 4 * i, &f, 4);
    return;
  }
  default: {
    double d = static_cast<double>(v);
    std::memcpy(base + 8 * i, &d, 8);
    return;
  }
  }
}

bool is_compare(Opcode op) { return op >= Opcode::VtLt && op <= Opcode::VtLeU; }
bool integers_only(Opcode op) {
  return op == Opcode::VtRem || (op >= Opcode::VtAnd && op <= Opcode::VtShrU) || op == Opcode::VtLtU ||
         op == Opcode::VtLeU || op == Opcode::VtIota;
}

int64_t integer_op(Opcode op, int64_t x, int64_t y, ElemType t, uint64_t i) {
  const int width = 8 * elem_bytes(t);
  const uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  // Values are sign-extended (or zero-extended) from the type's width, so the type's
  // smallest value is the int64 one only for 64-bit types.
  const int64_t smallest = width == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (width - 1));
  switch (op) {
  case Opcode::VtAdd: return static_cast<int64_t>(ux + uy);
  case Opcode::VtSub: return static_cast<int64_t>(ux - uy);
  case Opcode::VtMul: return static_cast<int64_t>(ux * uy);
  case Opcode::VtDiv:
  case Opcode::VtRem:
    if (y == 0)
      throw Fault("integer division by zero (element " + std::to_string(i) + ")");
    if (x == smallest && y == -1) // the one quotient that does not fit wraps to itself
      return op == Opcode::VtDiv ? x : 0;
    return op == Opcode::VtDiv ? x / y : x % y;
  case Opcode::VtMax: return std::max(x, y);
  case Opcode::VtMin: return std::min(x, y);
  case Opcode::VtAnd: return x & y;
  case Opcode::VtOr: return x | y;
  case Opcode::VtXor: return x ^ y;
  case Opcode::VtShl: return y < 0 || y >= width ? 0 : static_cast<int64_t>(ux << y);
  case Opcode::VtShr: return y < 0 || y >= width ? (x < 0 ? -1 : 0) : x >> y;
  case Opcode::VtShrU: {
    const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    return y < 0 || y >= width ? 0 : static_cast<int64_t>((ux & mask) >> y);
  }
  default: return 0;
  }
}

bool integer_compare(Opcode op, int64_t x, int64_t y, ElemType t) {
  const int width = 8 * elem_bytes(t);
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  const uint64_t ux = static_cast<uint64_t>(x) & mask, uy = static_cast<uint64_t>(y) & mask;
  switch (op) {
  case Opcode::VtLt: return x < y;
  case Opcode::VtLe: return x <= y;
  case Opcode::VtEq: return x == y;
  case Opcode::VtNe: return x != y;
  case Opcode::VtLtU: return ux < uy;
  default: return ux <= uy;
  }
}

double float_op(Opcode op, double x, double y) {
  switch (op) {
  case Opcode::VtAdd: return x + y;
  case Opcode::VtSub: return x - y;
  case Opcode::VtMul: return x * y;
  case Opcode::VtDiv: return x / y;
  case Opcode::VtMax: return std::fmax(x, y);
  default: return std::fmin(x, y);
  }
}

bool float_compare(Opcode op, double x, double y) {
  switch (op) {
  case Opcode::VtLt: return x < y;
  case Opcode::VtLe: return x <= y;
  case Opcode::VtEq: return x == y;
  default: return !(x == y); // ne: true when unordered
  }
}

/// Float to integer: toward zero, saturated to the type's range, NaN to 0.
int64_t float_to_int(double v, ElemType to) {
  if (std::isnan(v))
    return 0;
  const int width = 8 * elem_bytes(to);
  long double lo, hi;
  if (elem_is_unsigned(to)) {
    lo = 0;
    hi = width == 64 ? 18446744073709551615.0L : static_cast<long double>((uint64_t{1} << width) - 1);
  } else {
    lo = -std::ldexp(1.0L, width - 1);
    hi = std::ldexp(1.0L, width - 1) - 1;
  }
  long double t = std::trunc(static_cast<long double>(v));
  t = std::min(std::max(t, lo), hi);
  if (elem_is_unsigned(to))
    return static_cast<int64_t>(static_cast<uint64_t>(t));
  return static_cast<int64_t>(t);
}

bool is_row_op(Opcode op) { return op >= Opcode::VtRowBcast && op <= Opcode::VtGer; }
bool reduces_rows(Opcode op) {
  return op == Opcode::VtRowSum || op == Opcode::VtRowMax || op == Opcode::VtRowMin || op == Opcode::VtRowArgMax ||
         op == Opcode::VtRowArgMin;
}
bool is_arg_row_op(Opcode op) { return op == Opcode::VtRowArgMax || op == Opcode::VtRowArgMin; }
bool is_function(Opcode op) { return op >= Opcode::VtExp && op <= Opcode::VtLog2; }

/// `v` rounded to the type and read back (a float step of a row reduction or scan).
double rounded(double v, ElemType t) {
  uint8_t cell[8];
  write_float(cell, 0, t, v);
  return read_float(cell, 0, t);
}

double function_of(Opcode op, double x, ElemType t) {
  if (t == ElemType::F64) {
    switch (op) {
    case Opcode::VtExp: return std::exp(x);
    case Opcode::VtLog: return std::log(x);
    case Opcode::VtSqrt: return std::sqrt(x);
    case Opcode::VtRsqrt: return 1.0 / std::sqrt(x);
    case Opcode::VtErf: return std::erf(x);
    case Opcode::VtSigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Opcode::VtTanh: return std::tanh(x);
    case Opcode::VtSin: return std::sin(x);
    case Opcode::VtCos: return std::cos(x);
    case Opcode::VtExp2: return std::exp2(x);
    default: return std::log2(x);
    }
  }
  // f32, f16, bf16: the single-precision function, as the f32 unit's.
  float f = static_cast<float>(x);
  switch (op) {
  case Opcode::VtExp: return std::exp(f);
  case Opcode::VtLog: return std::log(f);
  case Opcode::VtSqrt: return std::sqrt(f);
  case Opcode::VtRsqrt: return 1.0f / std::sqrt(f);
  case Opcode::VtErf: return std::erf(f);
  case Opcode::VtSigmoid: return 1.0f / (1.0f + std::exp(-f));
  case Opcode::VtTanh: return std::tanh(f);
  case Opcode::VtSin: return std::sin(f);
  case Opcode::VtCos: return std::cos(f);
  case Opcode::VtExp2: return std::exp2(f);
  default: return std::log2(f);
  }
}

/// The row operations (bcast, reductions, transpose, scans, reversal) on re rows of rc
/// columns; the result is built apart, so it may overlap the source.
void execute_row_op(Opcode op, const Operands &ops, ElemType t, uint8_t *tsram) {
  const uint64_t rows = ops.e, cols = ops.c;
  const int size = elem_bytes(t);
  const uint8_t *a = tsram + ops.a;
  const bool reduces = reduces_rows(op);
  std::vector<uint8_t> out(is_arg_row_op(op) ? rows * 4 : (reduces ? rows : rows * cols) * size);
  auto element = [&](uint64_t index) { return a + index * size; };
  switch (op) {
  case Opcode::VtGer: {
    const uint8_t *b = tsram + ops.b, *c = tsram + ops.d;
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t j = 0; j < cols; ++j) {
        const uint64_t i = r * cols + j;
        if (elem_is_float(t))
          write_float(out.data(), i, t, std::fma(read_float(a, r, t), read_float(b, j, t), read_float(c, i, t)));
        else
          write_int(out.data(), i, t,
                    static_cast<int64_t>(static_cast<uint64_t>(read_int(c, i, t)) +
                                         static_cast<uint64_t>(read_int(a, r, t)) *
                                             static_cast<uint64_t>(read_int(b, j, t))));
      }
    break;
  }
  case Opcode::VtRowArgMax:
  case Opcode::VtRowArgMin: {
    const bool max = op == Opcode::VtRowArgMax;
    for (uint64_t r = 0; r < rows; ++r) {
      uint64_t best = 0;
      for (uint64_t j = 1; j < cols; ++j) {
        const uint64_t i = r * cols + j, at = r * cols + best;
        bool better;
        if (elem_is_float(t)) {
          double x = read_float(a, i, t), y = read_float(a, at, t);
          better = max ? x > y : x < y; // false when either is NaN
        } else if (elem_is_unsigned(t)) {
          uint64_t x = static_cast<uint64_t>(read_int(a, i, t)), y = static_cast<uint64_t>(read_int(a, at, t));
          better = max ? x > y : x < y;
        } else {
          int64_t x = read_int(a, i, t), y = read_int(a, at, t);
          better = max ? x > y : x < y;
        }
        if (better)
          best = j;
      }
      write_int(out.data(), r, ElemType::I32, static_cast<int64_t>(best));
    }
    break;
  }
  case Opcode::VtRowBcast:
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t c = 0; c < cols; ++c)
        std::memcpy(&out[(r * cols + c) * size], element(r), size);
    break;
  case Opcode::VtTrans:
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t c = 0; c < cols; ++c)
        std::memcpy(&out[(c * rows + r) * size], element(r * cols + c), size);
    break;
  case Opcode::VtRowRev:
    for (uint64_t r = 0; r < rows; ++r)
      for (uint64_t c = 0; c < cols; ++c)
        std::memcpy(&out[(r * cols + c) * size], element(r * cols + cols - 1 - c), size);
    break;
  default: {
    // Reductions and scans: a running value per row, in column order.
    const bool sum = op == Opcode::VtRowSum || op == Opcode::VtScanSum;
    const bool max = op == Opcode::VtRowMax || op == Opcode::VtScanMax;
    for (uint64_t r = 0; r < rows; ++r) {
      if (elem_is_float(t)) {
        double acc = 0;
        for (uint64_t c = 0; c < cols; ++c) {
          double x = read_float(a, r * cols + c, t);
          acc = c == 0 ? (sum ? rounded(0.0 + x, t) : x)
                       : sum ? rounded(acc + x, t) : max ? std::fmax(acc, x) : std::fmin(acc, x);
          if (!reduces)
            write_float(out.data(), r * cols + c, t, acc);
        }
        if (reduces)
          write_float(out.data(), r, t, cols == 0 ? 0.0 : acc);
      } else {
        int64_t acc = 0;
        for (uint64_t c = 0; c < cols; ++c) {
          int64_t x = read_int(a, r * cols + c, t);
          acc = c == 0 ? x
                : sum  ? static_cast<int64_t>(static_cast<uint64_t>(acc) + static_cast<uint64_t>(x))
                : max  ? std::max(acc, x)
                       : std::min(acc, x);
          if (!reduces)
            write_int(out.data(), r * cols + c, t, acc);
        }
        if (reduces)
          write_int(out.data(), r, t, acc);
      }
    }
    break;
  }
  }
  std::memcpy(tsram + ops.d, out.data(), out.size());
}

} // namespace

bool is_typed_vector(Opcode op) { return op >= Opcode::VtAdd && op <= Opcode::VtLog2; }

CommandPlan plan_typed_vector(const Instruction &ins, const Operands &ops, const MachineSpec &spec) {
  CommandPlan plan;
  const uint64_t n = ops.c;
  if (static_cast<int64_t>(n) < 0)
    throw Fault("element count is negative (" + std::to_string(static_cast<int64_t>(n)) + ")");
  if (n > (uint64_t{1} << 40))
    throw Fault("element count " + std::to_string(n) + " is out of range");
  auto range = [&](uint64_t begin, uint64_t bytes, bool write, const char *what) {
    plan.tsram.push_back(tsram_range(begin, bytes, write, spec, what));
  };
  int cost = 1; // cycles per group of lanes
  if (ins.opcode == Opcode::VtCvt) {
    ElemType from = type_of(ins.imm & 0xf), to = type_of(ins.imm >> 4);
    range(ops.a, n * elem_bytes(from), false, "vector operand");
    range(ops.d, n * elem_bytes(to), true, "vector result");
    cost = std::max(elem_bytes(from), elem_bytes(to)) == 8 ? 2 : 1;
  } else {
    ElemType t = type_of(ins.imm);
    const uint64_t bytes = n * elem_bytes(t);
    if (elem_is_float(t) && integers_only(ins.opcode))
      throw Fault(std::string(opcode_info(ins.opcode)->mnemonic) + " takes integer elements, not " +
                  std::string(elem_name(t)));
    if (elem_is_float(t) == false && is_function(ins.opcode))
      throw Fault(std::string(opcode_info(ins.opcode)->mnemonic) + " takes float elements, not " +
                  std::string(elem_name(t)));
    if (is_row_op(ins.opcode)) {
      const uint64_t rows = ops.e;
      // Bounded so that the sizes below cannot wrap: a matrix past 2^40 elements is
      // larger than any TSRAM.
      if (static_cast<int64_t>(rows) < 0 || rows > (uint64_t{1} << 20) || n > (uint64_t{1} << 20))
        throw Fault("row operation of " + std::to_string(static_cast<int64_t>(rows)) + " x " + std::to_string(n) +
                    " is out of range");
      const bool reduces = reduces_rows(ins.opcode);
      const uint64_t whole = rows * n * elem_bytes(t), vector = rows * elem_bytes(t);
      const bool vectorIn = ins.opcode == Opcode::VtRowBcast || ins.opcode == Opcode::VtGer;
      range(ops.a, vectorIn ? vector : whole, false, "matrix operand");
      if (ins.opcode == Opcode::VtGer) {
        range(ops.b, n * elem_bytes(t), false, "vector operand");
        range(ops.d, whole, false, "matrix accumulator");
      }
      range(ops.d, is_arg_row_op(ins.opcode) ? rows * 4 : reduces ? vector : whole, true, "matrix result");
      uint64_t groups = (rows * n + spec.tvp_lanes - 1) / spec.tvp_lanes;
      plan.cycles = static_cast<double>(groups * (elem_bytes(t) == 8 ? 2 : 1) + spec.tvp_latency_cycles);
      return plan;
    }
    switch (ins.opcode) {
    case Opcode::VtFill: break;
    case Opcode::VtIota: break;
    case Opcode::VtSel:
      range(ops.a, n, false, "vector mask");
      range(ops.b, bytes, false, "vector operand");
      range(ops.e, bytes, false, "vector operand");
      break;
    default:
      range(ops.a, bytes, false, "vector operand");
      if (!is_function(ins.opcode))
        range(ops.b, bytes, false, "vector operand");
      break;
    }
    range(ops.d, is_compare(ins.opcode) ? n : bytes, true, "vector result");
    if (elem_bytes(t) == 8)
      cost = 2; // 64-bit elements take two passes of the 32-bit lanes
    if (ins.opcode == Opcode::VtDiv || ins.opcode == Opcode::VtRem || is_function(ins.opcode))
      cost *= spec.tvp_exp_cycles; // division and functions take the iterative path
  }
  uint64_t groups = (n + spec.tvp_lanes - 1) / spec.tvp_lanes;
  plan.cycles = static_cast<double>(groups * cost + spec.tvp_latency_cycles);
  return plan;
}

void execute_typed_vector(const Instruction &ins, const Operands &ops, uint8_t *tsram) {
  const uint64_t n = ops.c;
  uint8_t *d = tsram + ops.d;
  // vt.fill's rb and vt.iota's ra hold values, not addresses: no pointer is formed from
  // them.
  if (ins.opcode == Opcode::VtFill || ins.opcode == Opcode::VtIota) {
    const ElemType t = type_of(ins.imm);
    for (uint64_t i = 0; i < n; ++i)
      write_int(d, i, t, static_cast<int64_t>(ins.opcode == Opcode::VtFill ? ops.b : ops.a + i));
    return;
  }
  const uint8_t *a = tsram + ops.a, *b = tsram + ops.b;
  if (ins.opcode == Opcode::VtCvt) {
    ElemType from = type_of(ins.imm & 0xf), to = type_of(ins.imm >> 4);
    // Back to front when widening, front to back when narrowing, so that converting in
    // place (the same base address) reads every element before it is overwritten.
    const bool widening = elem_bytes(to) > elem_bytes(from);
    for (uint64_t k = 0; k < n; ++k) {
      uint64_t i = widening ? n - 1 - k : k;
      if (elem_is_float(from)) {
        double v = read_float(a, i, from);
        if (elem_is_float(to))
          write_float(d, i, to, v);
        else
          write_int(d, i, to, float_to_int(v, to));
      } else {
        int64_t v = read_int(a, i, from);
        if (!elem_is_float(to))
          write_int(d, i, to, v);
        else
          write_float(d, i, to,
                      elem_is_unsigned(from) ? static_cast<long double>(static_cast<uint64_t>(v))
                                             : static_cast<long double>(v));
      }
    }
    return;
  }
  const ElemType t = type_of(ins.imm);
  const int size = elem_bytes(t);
  if (is_row_op(ins.opcode))
    return execute_row_op(ins.opcode, ops, t, tsram);
  if (is_function(ins.opcode)) {
    for (uint64_t i = 0; i < n; ++i)
      write_float(d, i, t, function_of(ins.opcode, read_float(a, i, t), t));
    return;
  }
  switch (ins.opcode) {
  case Opcode::VtSel: {
    const uint8_t *e = tsram + ops.e;
    for (uint64_t i = 0; i < n; ++i)
      std::memmove(d + size * i, (a[i] ? b : e) + size * i, size);
    return;
  }
  default: break;
  }
  if (is_compare(ins.opcode)) {
    for (uint64_t i = 0; i < n; ++i) {
      bool r = elem_is_float(t) ? float_compare(ins.opcode, read_float(a, i, t), read_float(b, i, t))
                                : integer_compare(ins.opcode, read_int(a, i, t), read_int(b, i, t), t);
      d[i] = r ? 1 : 0;
    }
    return;
  }
  for (uint64_t i = 0; i < n; ++i) {
    if (elem_is_float(t))
      write_float(d, i, t, float_op(ins.opcode, read_float(a, i, t), read_float(b, i, t)));
    else
      write_int(d, i, t, integer_op(ins.opcode, read_int(a, i, t), read_int(b, i, t), t, i));
  }
}

bool is_dma_atomic(Opcode op) { return op >= Opcode::DmaAdd && op <= Opcode::DmaXchg; }

CommandPlan plan_dma_atomic(const Instruction &ins, const Operands &ops, const MachineSpec &spec, Hbm &hbm) {
  CommandPlan plan;
  const ElemType t = type_of(ins.imm);
  const auto negative = [](uint64_t v) { return static_cast<int64_t>(v) < 0; };
  if (negative(ops.b) || negative(ops.c) || negative(ops.e))
    throw Fault("atomic DMA with a negative row count, row size or stride");
  const uint64_t rows = ops.b, rowBytes = ops.c, stride = ops.e;
  if (rows == 0 || rowBytes == 0)
    throw Fault("empty atomic DMA (" + std::to_string(rows) + " rows of " + std::to_string(rowBytes) + " bytes)");
  if (rows > (uint64_t{1} << 32) || rowBytes > (uint64_t{1} << 32) || stride > (uint64_t{1} << 40))
    throw Fault("atomic DMA of " + std::to_string(rows) + " rows of " + std::to_string(rowBytes) + " bytes is out of range");
  if (rowBytes % elem_bytes(t) != 0)
    throw Fault("atomic DMA rows of " + std::to_string(rowBytes) + " bytes are not whole " +
                std::string(elem_name(t)) + " elements");
  if (rows > 1 && stride < rowBytes)
    throw Fault("DMA row stride smaller than the row (" + std::to_string(rowBytes) + " bytes)");
  if ((ops.d | ops.a) & kCsramWindow)
    throw Fault("atomic DMAs act between TSRAM and HBM only");
  const uint64_t end = ops.a + rows * rowBytes;
  if (end < ops.a || end > spec.tsram_bytes)
    throw Fault("atomic DMA source TSRAM [" + std::to_string(ops.a) + ", " + std::to_string(end) +
                ") lies outside the tile's " + std::to_string(spec.tsram_bytes) + " bytes");
  plan.tsram.push_back({ops.a, end, false});
  plan.tsram.push_back({ops.a, end, true});
  const uint64_t span = (rows - 1) * stride + rowBytes;
  if (!hbm.find(ops.d, span))
    throw Fault("atomic DMA destination HBM [" + std::to_string(ops.d) + ", " + std::to_string(ops.d + span) +
                ") is not inside one allocation");
  plan.uses_hbm = true;
  plan.dma_bytes = rows * rowBytes;
  plan.hbm_read = plan.hbm_written = plan.dma_bytes;
  return plan;
}

void execute_dma_atomic(const Instruction &ins, const Operands &ops, uint8_t *tsram, Hbm &hbm) {
  const ElemType t = type_of(ins.imm);
  const uint64_t rows = ops.b, rowBytes = ops.c, stride = ops.e, per = rowBytes / elem_bytes(t);
  uint8_t *far = hbm.host(ops.d, (rows - 1) * stride + rowBytes);
  for (uint64_t r = 0; r < rows; ++r) {
    uint8_t *f = far + r * stride, *n = tsram + ops.a + r * rowBytes;
    for (uint64_t i = 0; i < per; ++i) {
      if (elem_is_float(t)) {
        double old = read_float(f, i, t), x = read_float(n, i, t);
        double next = ins.opcode == Opcode::DmaAdd   ? old + x
                      : ins.opcode == Opcode::DmaMax ? std::fmax(old, x)
                      : ins.opcode == Opcode::DmaMin ? std::fmin(old, x)
                                                     : x;
        write_float(f, i, t, next);
        write_float(n, i, t, old);
      } else {
        int64_t old = read_int(f, i, t), x = read_int(n, i, t);
        int64_t next = ins.opcode == Opcode::DmaAdd
                           ? static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(x))
                       : ins.opcode == Opcode::DmaMax ? std::max(old, x)
                       : ins.opcode == Opcode::DmaMin ? std::min(old, x)
                                                      : x;
        write_int(f, i, t, next);
        write_int(n, i, t, old);
      }
    }
  }
}

double element_float(const uint8_t *base, uint64_t index, ElemType type) { return read_float(base, index, type); }
int64_t element_int(const uint8_t *base, uint64_t index, ElemType type) { return read_int(base, index, type); }

bool is_indexed_dma(Opcode op) { return op >= Opcode::DmaGather && op <= Opcode::DmaCasX; }

namespace {
/// HBM bytes an indexed element costs: one sector, however small the element.
constexpr uint64_t kSectorBytes = 32;
} // namespace

CommandPlan plan_indexed_dma(const Instruction &ins, const Operands &ops, const MachineSpec &spec) {
  CommandPlan plan;
  const ElemType t = type_of(ins.imm);
  const uint64_t n = ops.c, size = elem_bytes(t);
  if (static_cast<int64_t>(n) <= 0 || n > (uint64_t{1} << 32))
    throw Fault("indexed DMA of " + std::to_string(static_cast<int64_t>(n)) + " elements is out of range");
  const Opcode op = ins.opcode;
  const uint64_t tsramData = op == Opcode::DmaGather ? ops.d : ops.a;
  if ((tsramData | ops.b | (ins.re ? ops.e : 0)) & kCsramWindow)
    throw Fault("indexed DMAs act between TSRAM and HBM only");
  auto range = [&](uint64_t begin, uint64_t bytes, bool write, const char *what) {
    plan.tsram.push_back(tsram_range(begin, bytes, write, spec, what));
  };
  range(ops.b, n * 8, false, "offsets");
  if (ins.re != 0)
    range(ops.e, n, false, "mask");
  const uint64_t dataBytes = (op == Opcode::DmaCasX ? 2 : 1) * n * size;
  if (op != Opcode::DmaGather)
    range(tsramData, dataBytes, false, "indexed DMA source");
  if (op != Opcode::DmaScatter)
    range(tsramData, op == Opcode::DmaCasX ? n * size : dataBytes, true, "indexed DMA destination");
  plan.uses_hbm = true;
  plan.dma_bytes = n * std::max(size, kSectorBytes);
  if (op != Opcode::DmaScatter)
    plan.hbm_read = n * size;
  if (op != Opcode::DmaGather)
    plan.hbm_written = n * size;
  return plan;
}

void execute_indexed_dma(const Instruction &ins, const Operands &ops, uint8_t *tsram, Hbm &hbm) {
  // Each element's address is checked as it is reached: the offsets are data, known
  // only when the command runs.
  const ElemType t = type_of(ins.imm);
  const Opcode op = ins.opcode;
  const uint64_t n = ops.c, size = elem_bytes(t);
  const uint64_t base = op == Opcode::DmaGather ? ops.a : ops.d;
  uint8_t *near = tsram + (op == Opcode::DmaGather ? ops.d : ops.a);
  const uint8_t *offsets = tsram + ops.b, *mask = ins.re ? tsram + ops.e : nullptr;
  const std::string mnemonic(opcode_info(op)->mnemonic);
  for (uint64_t i = 0; i < n; ++i) {
    if (mask && !mask[i])
      continue;
    const int64_t off = read_int(offsets, i, ElemType::I64);
    if (off < -(int64_t{1} << 40) || off > (int64_t{1} << 40))
      throw Fault(mnemonic + " element " + std::to_string(i) + ": offset " + std::to_string(off) +
                  " is out of range");
    const uint64_t address = base + static_cast<uint64_t>(off) * size;
    if (!hbm.find(address, size))
      throw Fault(mnemonic + " element " + std::to_string(i) + ": HBM [" + std::to_string(address) +
                  ", " + std::to_string(address + size) + ") is not inside an allocation");
    uint8_t *far = hbm.host(address, size);
    switch (op) {
    case Opcode::DmaGather: std::memcpy(near + i * size, far, size); break;
    case Opcode::DmaScatter: std::memcpy(far, near + i * size, size); break;
    case Opcode::DmaCasX: {
      uint8_t *compare = near + i * size;
      const uint8_t *value = near + (n + i) * size;
      uint8_t old[8];
      std::memcpy(old, far, size);
      if (std::memcmp(old, compare, size) == 0)
        std::memcpy(far, value, size);
      std::memcpy(compare, old, size);
      break;
    }
    default:
      if (elem_is_float(t)) {
        double old = read_float(far, 0, t), x = read_float(near, i, t);
        double next = op == Opcode::DmaAddX   ? old + x
                      : op == Opcode::DmaMaxX ? std::fmax(old, x)
                      : op == Opcode::DmaMinX ? std::fmin(old, x)
                                              : x;
        write_float(far, 0, t, next);
        write_float(near, i, t, old);
      } else {
        int64_t old = read_int(far, 0, t), x = read_int(near, i, t);
        int64_t next = op == Opcode::DmaAddX ? static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(x))
                       : op == Opcode::DmaMaxX ? std::max(old, x)
                       : op == Opcode::DmaMinX ? std::min(old, x)
                                               : x;
        write_int(far, 0, t, next);
        write_int(near, i, t, old);
      }
      break;
    }
  }
}

} // namespace tegula::maia::sim
