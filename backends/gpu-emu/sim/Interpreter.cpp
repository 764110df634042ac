#include "backends/gpu-emu/sim/Interpreter.h"

#include "backends/gpu-emu/sim/Numerics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

namespace tegula::gpuemu {

int scalar_bits(Scalar s) {
  switch (s) {
  case Scalar::I1: return 1;
  case Scalar::I8: return 8;
  case Scalar::I16: case Scalar::F16: case Scalar::BF16: return 16;
  case Scalar::I32: case Scalar::F32: return 32;
  case Scalar::I64: case Scalar::F64: case Scalar::Address: return 64;
  }
  return 64;
}

bool is_float(Scalar s) { return s == Scalar::F16 || s == Scalar::BF16 || s == Scalar::F32 || s == Scalar::F64; }

namespace {

int64_t bytes_of(Scalar s) { return std::max(1, scalar_bits(s) / 8); }

bool compare_int(int64_t predicate, uint64_t a, uint64_t b, int bits) {
  const int64_t sa = sign_extend(a, bits), sb = sign_extend(b, bits);
  a &= width_mask(bits);
  b &= width_mask(bits);
  switch (predicate) { // arith::CmpIPredicate
  case 0: return a == b;
  case 1: return a != b;
  case 2: return sa < sb;
  case 3: return sa <= sb;
  case 4: return sa > sb;
  case 5: return sa >= sb;
  case 6: return a < b;
  case 7: return a <= b;
  case 8: return a > b;
  case 9: return a >= b;
  }
  return false;
}

bool compare_float(int64_t predicate, double a, double b) {
  const bool unordered = std::isnan(a) || std::isnan(b);
  switch (predicate) { // arith::CmpFPredicate
  case 0: return false;
  case 1: return !unordered && a == b;
  case 2: return !unordered && a > b;
  case 3: return !unordered && a >= b;
  case 4: return !unordered && a < b;
  case 5: return !unordered && a <= b;
  case 6: return !unordered && a != b;
  case 7: return !unordered;
  case 8: return unordered || a == b;
  case 9: return unordered || a > b;
  case 10: return unordered || a >= b;
  case 11: return unordered || a < b;
  case 12: return unordered || a <= b;
  case 13: return unordered || a != b;
  case 14: return unordered;
  case 15: return true;
  }
  return false;
}

uint64_t int_binary(Op op, uint64_t a, uint64_t b, int bits, bool &divide_by_zero) {
  const int64_t sa = sign_extend(a, bits), sb = sign_extend(b, bits);
  const uint64_t ua = a & width_mask(bits), ub = b & width_mask(bits);
  switch (op) {
  case Op::AddI: return ua + ub;
  case Op::SubI: return ua - ub;
  case Op::MulI: return ua * ub;
  case Op::AndI: return ua & ub;
  case Op::OrI: return ua | ub;
  case Op::XOrI: return ua ^ ub;
  case Op::ShLI: return ub >= static_cast<uint64_t>(bits) ? 0 : ua << ub;
  case Op::ShRUI: return ub >= static_cast<uint64_t>(bits) ? 0 : ua >> ub;
  case Op::ShRSI: return static_cast<uint64_t>(ub >= static_cast<uint64_t>(bits) ? (sa < 0 ? -1 : 0) : sa >> ub);
  case Op::MaxSI: return static_cast<uint64_t>(std::max(sa, sb));
  case Op::MinSI: return static_cast<uint64_t>(std::min(sa, sb));
  case Op::MaxUI: return std::max(ua, ub);
  case Op::MinUI: return std::min(ua, ub);
  default: break;
  }
  if (ub == 0) {
    divide_by_zero = true;
    return 0;
  }
  switch (op) {
  case Op::DivUI: return ua / ub;
  case Op::RemUI: return ua % ub;
  case Op::DivSI: return sb == -1 ? 0 - ua : static_cast<uint64_t>(sa / sb); // INT_MIN / -1 wraps
  case Op::RemSI: return sb == -1 ? 0 : static_cast<uint64_t>(sa % sb);
  case Op::CeilDivSI: {
    if (sb == -1)
      return 0 - ua;
    int64_t q = sa / sb;
    return static_cast<uint64_t>(q + ((sa % sb != 0) && ((sa < 0) == (sb < 0)) ? 1 : 0));
  }
  case Op::FloorDivSI: {
    if (sb == -1)
      return 0 - ua;
    int64_t q = sa / sb;
    return static_cast<uint64_t>(q - ((sa % sb != 0) && ((sa < 0) != (sb < 0)) ? 1 : 0));
  }
  default: return 0;
  }
}

double float_unary(Op op, double x) {
  switch (op) {
  case Op::NegF: return -x;
  case Op::AbsF: return std::fabs(x);
  case Op::Exp: return std::exp(x);
  case Op::Exp2: return std::exp2(x);
  case Op::Log: return std::log(x);
  case Op::Log2: return std::log2(x);
  case Op::Sqrt: return std::sqrt(x);
  case Op::RSqrt: return 1.0 / std::sqrt(x);
  case Op::Tanh: return std::tanh(x);
  case Op::Erf: return std::erf(x);
  case Op::Sin: return std::sin(x);
  case Op::Cos: return std::cos(x);
  case Op::Floor: return std::floor(x);
  case Op::Ceil: return std::ceil(x);
  case Op::Round: return std::round(x);
  default: return 0.0;
  }
}

double float_binary(Op op, double a, double b) {
  switch (op) {
  case Op::AddF: return a + b;
  case Op::SubF: return a - b;
  case Op::MulF: return a * b;
  case Op::DivF: return a / b;
  case Op::RemF: return std::fmod(a, b);
  case Op::PowF: return std::pow(a, b);
  case Op::MaxNumF: return std::isnan(a) ? b : std::isnan(b) ? a : (a == b ? (std::signbit(a) ? b : a) : std::max(a, b));
  case Op::MinNumF: return std::isnan(a) ? b : std::isnan(b) ? a : (a == b ? (std::signbit(a) ? a : b) : std::min(a, b));
  case Op::MaximumF:
    return std::isnan(a) || std::isnan(b) ? NAN : (a == b ? (std::signbit(a) ? b : a) : std::max(a, b));
  case Op::MinimumF:
    return std::isnan(a) || std::isnan(b) ? NAN : (a == b ? (std::signbit(a) ? a : b) : std::min(a, b));
  default: return 0.0;
  }
}

/// The value an atomic read-modify-write of `kind` stores over `old`.
uint64_t atomic_result(AtomicKind kind, Scalar s, uint64_t old, uint64_t operand) {
  const int bits = scalar_bits(s);
  const int64_t so = sign_extend(old, bits), sv = sign_extend(operand, bits);
  const uint64_t uo = old & width_mask(bits), uv = operand & width_mask(bits);
  switch (kind) {
  case AtomicKind::Add: return (uo + uv) & width_mask(bits);
  case AtomicKind::Max: return so >= sv ? uo : uv;
  case AtomicKind::Min: return so <= sv ? uo : uv;
  case AtomicKind::UMax: return std::max(uo, uv);
  case AtomicKind::UMin: return std::min(uo, uv);
  case AtomicKind::FAdd: return from_double(s, to_double(s, old) + to_double(s, operand));
  case AtomicKind::FMax: return from_double(s, float_binary(Op::MaxNumF, to_double(s, old), to_double(s, operand)));
  case AtomicKind::FMin: return from_double(s, float_binary(Op::MinNumF, to_double(s, old), to_double(s, operand)));
  case AtomicKind::Xchg: return uv;
  }
  return uo;
}

/// One printf line, as C's printf writes it, of `format` with `args` (each value with
/// its type); nullopt where the format asks for what the values are not.
std::optional<std::string> format_line(const std::string &format, const std::vector<std::pair<uint64_t, Scalar>> &args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    std::string spec = "%";
    size_t j = i + 1;
    while (j < format.size() && std::strchr("-+ #0123456789.", format[j]))
      spec += format[j++];
    while (j < format.size() && std::strchr("hlzjtL", format[j]))
      ++j; // the value's own width decides
    if (j >= format.size() || next >= args.size())
      return std::nullopt;
    const char conversion = format[j];
    const auto [bits, scalar] = args[next++];
    char text[512];
    int written = -1;
    if (std::strchr("di", conversion)) {
      if (is_float(scalar))
        return std::nullopt;
      written = std::snprintf(text, sizeof text, (spec + "lld").c_str(),
                              static_cast<long long>(sign_extend(bits, scalar_bits(scalar))));
    } else if (std::strchr("uoxX", conversion)) {
      if (is_float(scalar))
        return std::nullopt;
      written = std::snprintf(text, sizeof text, (spec + "ll" + conversion).c_str(),
                              static_cast<unsigned long long>(bits & width_mask(scalar_bits(scalar))));
    } else if (std::strchr("fFeEgGaA", conversion)) {
      if (!is_float(scalar))
        return std::nullopt;
      written = std::snprintf(text, sizeof text, (spec + conversion).c_str(), to_double(scalar, bits));
    } else if (conversion == 'c') {
      written = std::snprintf(text, sizeof text, (spec + 'c').c_str(), static_cast<int>(bits & 0xFF));
    } else {
      return std::nullopt;
    }
    if (written < 0)
      return std::nullopt;
    out.append(text, std::min<size_t>(static_cast<size_t>(written), sizeof text - 1));
    i = j;
  }
  if (next != args.size())
    return std::nullopt;
  return out;
}

bool any(const std::vector<uint8_t> &mask) { return std::find(mask.begin(), mask.end(), 1) != mask.end(); }

} // namespace

Interpreter::Interpreter(const Program &program, std::vector<GlobalRange> ranges)
    : program_(program), ranges_(std::move(ranges)), threads_(program.threads) {
  int64_t total = 0;
  for (const ValueType &t : program_.values) {
    offsets_.push_back(total);
    total += t.width;
  }
  regs_.assign(static_cast<size_t>(total * threads_), 0);
  const size_t bytes = static_cast<size_t>(program_.shared_bytes);
  shared_.assign(bytes, 0);
  written_.assign(bytes, 0);
  writer_.assign(bytes, 0);
  reader_.assign(bytes, 0);
  write_epoch_.assign(bytes, 0);
  read_epoch_.assign(bytes, 0);
}

std::string Interpreter::site(const Instr &in) const {
  return in.site >= 0 && in.site < static_cast<int32_t>(program_.sites.size()) ? program_.sites[in.site]
                                                                                : std::string("?");
}

void Interpreter::fail(ErrorCode code, const Instr &in, const std::string &what) {
  if (!fault_)
    fault_ = Error(code, "gpu-emu: kernel '" + program_.name + "', block (" + std::to_string(block_[0]) + "," +
                             std::to_string(block_[1]) + "," + std::to_string(block_[2]) + "): " + what + " at " +
                             site(in));
  throw Fault{};
}

const GlobalRange *Interpreter::range_of(uint64_t address, uint64_t bytes) const {
  for (const GlobalRange &r : ranges_)
    if (address >= r.begin && address + bytes <= r.end && address + bytes >= address)
      return &r;
  return nullptr;
}

std::optional<Error> Interpreter::run_block(std::array<int64_t, 3> block, std::array<int64_t, 3> grid,
                                            const std::vector<uint64_t> &params) {
  block_ = block;
  grid_ = grid;
  fault_.reset();
  std::fill(written_.begin(), written_.end(), 0);
  std::fill(writer_.begin(), writer_.end(), 0);
  std::fill(reader_.begin(), reader_.end(), 0);
  epoch_ = 1;
  std::fill(write_epoch_.begin(), write_epoch_.end(), 0);
  std::fill(read_epoch_.begin(), read_epoch_.end(), 0);
  for (size_t i = 0; i < program_.params.size(); ++i)
    for (int64_t t = 0; t < threads_; ++t)
      at(program_.params[i], 0, t) = params[i];
  if (program_.shared_param >= 0)
    for (int64_t t = 0; t < threads_; ++t)
      at(program_.shared_param, 0, t) = 0;
  alive_.assign(static_cast<size_t>(threads_), 1);
  printed_.assign(static_cast<size_t>(threads_), std::string());
  uncommitted_.assign(static_cast<size_t>(threads_), {});
  groups_.assign(static_cast<size_t>(threads_), {});
  Mask mask(static_cast<size_t>(threads_), 1);
  try {
    exec_block(program_.entry, mask, nullptr);
  } catch (const Fault &) {
  }
  return fault_;
}

void Interpreter::exec_block(int32_t block, Mask &mask, const std::vector<int32_t> *yield_to) {
  for (const Instr &in : program_.blocks[block].instrs) {
    exec(in, mask, yield_to);
    if (in.op == Op::Return)
      return;
  }
}

void Interpreter::exec(const Instr &in, Mask &mask, const std::vector<int32_t> *yield_to) {
  const int64_t T = threads_;
  const int width = in.type.width;
  const Scalar s = in.type.scalar;
  const int bits = scalar_bits(s);
  auto each = [&](auto &&fn) {
    for (int64_t t = 0; t < T; ++t)
      if (mask[t])
        fn(t);
  };
  switch (in.op) {
  case Op::Constant:
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) = static_cast<uint64_t>(in.imm);
    });
    return;
  case Op::AddI: case Op::SubI: case Op::MulI: case Op::DivSI: case Op::DivUI: case Op::RemSI: case Op::RemUI:
  case Op::AndI: case Op::OrI: case Op::XOrI: case Op::ShLI: case Op::ShRUI: case Op::ShRSI: case Op::MaxSI:
  case Op::MinSI: case Op::MaxUI: case Op::MinUI: case Op::CeilDivSI: case Op::FloorDivSI: {
    bool divide_by_zero = false;
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) =
            int_binary(in.op, at(in.args[0], e, t), at(in.args[1], e, t), bits, divide_by_zero) & width_mask(bits);
    });
    if (divide_by_zero)
      fail(ErrorCode::DeviceFault, in, "integer division by zero");
    return;
  }
  case Op::AbsI:
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e) {
        const uint64_t v = at(in.args[0], e, t);
        at(in.results[0], e, t) = (sign_extend(v, bits) < 0 ? 0 - v : v) & width_mask(bits);
      }
    });
    return;
  case Op::AddF: case Op::SubF: case Op::MulF: case Op::DivF: case Op::RemF: case Op::MaxNumF: case Op::MinNumF:
  case Op::MaximumF: case Op::MinimumF: case Op::PowF:
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) = from_double(
            s, float_binary(in.op, to_double(s, at(in.args[0], e, t)), to_double(s, at(in.args[1], e, t))));
    });
    return;
  case Op::NegF: case Op::AbsF: case Op::Exp: case Op::Exp2: case Op::Log: case Op::Log2: case Op::Sqrt:
  case Op::RSqrt: case Op::Tanh: case Op::Erf: case Op::Sin: case Op::Cos: case Op::Floor: case Op::Ceil:
  case Op::Round:
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) = from_double(s, float_unary(in.op, to_double(s, at(in.args[0], e, t))));
    });
    return;
  case Op::Fma:
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) =
            from_double(s, std::fma(to_double(s, at(in.args[0], e, t)), to_double(s, at(in.args[1], e, t)),
                                    to_double(s, at(in.args[2], e, t))));
    });
    return;
  case Op::CmpI: case Op::CmpF: {
    const ValueType operand = program_.values[in.args[0]];
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e) {
        const uint64_t a = at(in.args[0], e, t), b = at(in.args[1], e, t);
        at(in.results[0], e, t) = in.op == Op::CmpI ? compare_int(in.imm, a, b, scalar_bits(operand.scalar))
                                                    : compare_float(in.imm, to_double(operand.scalar, a),
                                                                    to_double(operand.scalar, b));
      }
    });
    return;
  }
  case Op::Select: {
    const bool vectorCondition = program_.values[in.args[0]].width > 1;
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e)
        at(in.results[0], e, t) = (at(in.args[0], vectorCondition ? e : 0, t) & 1) ? at(in.args[1], e, t)
                                                                                     : at(in.args[2], e, t);
    });
    return;
  }
  case Op::ExtSI: case Op::ExtUI: case Op::TruncI: case Op::ExtF: case Op::TruncF: case Op::SIToFP:
  case Op::UIToFP: case Op::FPToSI: case Op::FPToUI: case Op::Bitcast: {
    const Scalar from = program_.values[in.args[0]].scalar;
    const int fromBits = scalar_bits(from);
    each([&](int64_t t) {
      for (int e = 0; e < width; ++e) {
        const uint64_t v = at(in.args[0], e, t);
        uint64_t r = 0;
        switch (in.op) {
        case Op::ExtSI: r = static_cast<uint64_t>(sign_extend(v, fromBits)) & width_mask(bits); break;
        case Op::ExtUI: case Op::TruncI: r = v & width_mask(std::min(bits, fromBits)); break;
        case Op::ExtF: case Op::TruncF: r = from_double(s, to_double(from, v)); break;
        case Op::SIToFP: r = from_double(s, static_cast<double>(sign_extend(v, fromBits))); break;
        case Op::UIToFP: r = from_double(s, static_cast<double>(v & width_mask(fromBits))); break;
        case Op::FPToSI: {
          double d = std::trunc(to_double(from, v));
          r = std::isnan(d) ? 0 : static_cast<uint64_t>(static_cast<int64_t>(std::clamp(d, -9.2e18, 9.2e18)));
          r &= width_mask(bits);
          break;
        }
        case Op::FPToUI: {
          double d = std::trunc(to_double(from, v));
          r = std::isnan(d) || d < 0 ? 0 : static_cast<uint64_t>(std::min(d, 1.8e19)) & width_mask(bits);
          break;
        }
        default: r = v & width_mask(bits); break; // Bitcast: same width
        }
        at(in.results[0], e, t) = r;
      }
    });
    return;
  }
  case Op::ToTf32:
    each([&](int64_t t) { at(in.results[0], 0, t) = round_to_tf32(static_cast<uint32_t>(at(in.args[0], 0, t))); });
    return;
  case Op::Extract:
    each([&](int64_t t) { at(in.results[0], 0, t) = at(in.args[0], static_cast<int>(in.imm), t); });
    return;
  case Op::FromElements:
    each([&](int64_t t) {
      for (size_t e = 0; e < in.args.size(); ++e)
        at(in.results[0], static_cast<int>(e), t) = at(in.args[e], 0, t);
    });
    return;
  case Op::Offset: {
    const ValueType index = program_.values[in.args[1]];
    each([&](int64_t t) {
      // In unsigned arithmetic: an address wraps as the hardware's does, without overflow.
      at(in.results[0], 0, t) =
          at(in.args[0], 0, t) +
          static_cast<uint64_t>(sign_extend(at(in.args[1], 0, t), scalar_bits(index.scalar))) *
              static_cast<uint64_t>(in.imm);
    });
    return;
  }
  case Op::View:
    each([&](int64_t t) { at(in.results[0], 0, t) = at(in.args[0], 0, t) + at(in.args[1], 0, t); });
    return;
  case Op::LoadGlobal: case Op::StoreGlobal:
    exec_global(in, mask);
    return;
  case Op::LoadShared: case Op::StoreShared:
    exec_shared(in, mask);
    return;
  case Op::AtomicGlobal: case Op::CmpXchgGlobal:
    exec_atomic(in, mask);
    return;
  case Op::ThreadId:
    each([&](int64_t t) { at(in.results[0], 0, t) = in.imm == 0 ? static_cast<uint64_t>(t) : 0; });
    return;
  case Op::BlockDim:
    each([&](int64_t t) { at(in.results[0], 0, t) = in.imm == 0 ? static_cast<uint64_t>(T) : 1; });
    return;
  case Op::BlockId:
    each([&](int64_t t) { at(in.results[0], 0, t) = static_cast<uint64_t>(block_[in.imm]); });
    return;
  case Op::GridDim:
    each([&](int64_t t) { at(in.results[0], 0, t) = static_cast<uint64_t>(grid_[in.imm]); });
    return;
  case Op::Shuffle:
    exec_shuffle(in, mask);
    return;
  case Op::MmaSync:
    exec_mma(in, mask);
    return;
  case Op::LdMatrix:
    exec_ldmatrix(in, mask);
    return;
  case Op::Mfma:
    exec_mfma(in, mask);
    return;
  case Op::CpAsync:
    exec_cp_async(in, mask);
    return;
  case Op::CpAsyncCommit:
    each([&](int64_t t) {
      groups_[t].push_back(std::move(uncommitted_[t]));
      uncommitted_[t].clear();
    });
    return;
  case Op::CpAsyncWait:
    exec_cp_async_wait(in, mask);
    return;
  case Op::Pack: {
    const ValueType from = program_.values[in.args[0]];
    const int fromBits = scalar_bits(from.scalar);
    each([&](int64_t t) {
      uint64_t r = 0;
      for (int e = 0; e < from.width; ++e)
        r |= (at(in.args[0], e, t) & width_mask(fromBits)) << (e * fromBits);
      at(in.results[0], 0, t) = r;
    });
    return;
  }
  case Op::Barrier:
    exec_barrier(in, mask);
    return;
  case Op::Print: // in thread order, each line written whole
    each([&](int64_t t) {
      std::vector<std::pair<uint64_t, Scalar>> args;
      for (int32_t a : in.args)
        args.push_back({at(a, 0, t), program_.values[a].scalar});
      std::optional<std::string> line = format_line(program_.strings[in.imm], args);
      if (!line)
        fail(ErrorCode::DeviceFault, in,
             "printf's format \"" + program_.strings[in.imm] + "\" does not match its " +
                 std::to_string(in.args.size()) + " values");
      std::fwrite(line->data(), 1, line->size(), stdout);
      printed_[t] = *line;
    });
    std::fflush(stdout);
    return;
  case Op::Trap:
    each([&](int64_t t) {
      std::string said = printed_[t];
      while (!said.empty() && said.back() == '\n')
        said.pop_back();
      fail(ErrorCode::AssertionFailed, in,
           "thread " + std::to_string(t) + " trapped" + (said.empty() ? "" : " after printing \"" + said + "\""));
    });
    return;
  case Op::For:
    exec_for(in, mask);
    return;
  case Op::If:
    exec_if(in, mask);
    return;
  case Op::Yield: {
    if (!yield_to)
      return;
    // Through a copy: a loop may yield its iter args in another order.
    std::vector<uint64_t> staged;
    for (size_t i = 0; i < in.args.size(); ++i) {
      const int w = program_.values[in.args[i]].width;
      for (int e = 0; e < w; ++e)
        each([&](int64_t t) { staged.push_back(at(in.args[i], e, t)); });
    }
    size_t next = 0;
    for (size_t i = 0; i < in.args.size(); ++i) {
      const int w = program_.values[(*yield_to)[i]].width;
      for (int e = 0; e < w; ++e)
        each([&](int64_t t) { at((*yield_to)[i], e, t) = staged[next++]; });
    }
    return;
  }
  case Op::Return:
    each([&](int64_t t) { alive_[t] = 0; });
    return;
  }
}

void Interpreter::exec_for(const Instr &in, Mask &mask) {
  const Block &body = program_.blocks[in.body];
  const int bits = scalar_bits(program_.values[in.args[0]].scalar);
  const int32_t iv = body.args[0];
  std::vector<int32_t> carried(body.args.begin() + 1, body.args.end());
  for (int64_t t = 0; t < threads_; ++t) {
    if (!mask[t])
      continue;
    at(iv, 0, t) = at(in.args[0], 0, t);
    for (size_t i = 0; i < carried.size(); ++i)
      for (int e = 0; e < program_.values[carried[i]].width; ++e)
        at(carried[i], e, t) = at(in.args[3 + i], e, t);
  }
  Mask iteration(mask.size());
  while (true) {
    for (int64_t t = 0; t < threads_; ++t)
      iteration[t] = mask[t] && alive_[t] && compare_int(2, at(iv, 0, t), at(in.args[1], 0, t), bits);
    if (!any(iteration))
      break;
    exec_block(in.body, iteration, &carried);
    for (int64_t t = 0; t < threads_; ++t)
      if (iteration[t])
        at(iv, 0, t) = (at(iv, 0, t) + at(in.args[2], 0, t)) & width_mask(bits);
  }
  for (int64_t t = 0; t < threads_; ++t) {
    if (!mask[t])
      continue;
    for (size_t i = 0; i < carried.size(); ++i)
      for (int e = 0; e < program_.values[carried[i]].width; ++e)
        at(in.results[i], e, t) = at(carried[i], e, t);
  }
}

void Interpreter::exec_if(const Instr &in, Mask &mask) {
  Mask taken(mask.size()), other(mask.size());
  for (int64_t t = 0; t < threads_; ++t) {
    taken[t] = mask[t] && (at(in.args[0], 0, t) & 1);
    other[t] = mask[t] && !(at(in.args[0], 0, t) & 1);
  }
  if (any(taken))
    exec_block(in.body, taken, &in.results);
  if (in.orelse >= 0 && any(other))
    exec_block(in.orelse, other, &in.results);
}

void Interpreter::exec_global(const Instr &in, const Mask &mask) {
  const bool load = in.op == Op::LoadGlobal;
  const int32_t addressValue = load ? in.args[0] : in.args[1];
  const int width = in.type.width;
  const int64_t elementBytes = bytes_of(in.type.scalar);
  const int64_t bytes = elementBytes * width;
  AccessCounters &counters = report_.global[site(in)];
  counters.bytes = bytes;
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += program_.warp_size) {
    std::set<uint64_t> sectors;
    int64_t active = 0;
    for (int64_t t = warpStart; t < std::min(threads_, warpStart + program_.warp_size); ++t) {
      if (!mask[t])
        continue;
      ++active;
      const uint64_t address = at(addressValue, 0, t);
      if (in.imm > 1 && address % static_cast<uint64_t>(in.imm) != 0)
        fail(ErrorCode::DeviceFault, in,
             "a " + std::to_string(bytes) + "-byte access promised " + std::to_string(in.imm) +
                 "-byte aligned is at an address " + std::to_string(address % static_cast<uint64_t>(in.imm)) +
                 " bytes past that (thread " + std::to_string(t) + ")");
      if (!range_of(address, static_cast<uint64_t>(bytes)))
        fail(ErrorCode::OutOfBounds,
             in, std::string(load ? "a load" : "a store") + " of " + std::to_string(bytes) +
                     " bytes outside every buffer of the launch (thread " + std::to_string(t) + ")");
      for (uint64_t s = address / 32; s <= (address + bytes - 1) / 32; ++s)
        sectors.insert(s);
      auto *memory = reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(address));
      for (int e = 0; e < width; ++e) {
        if (load) {
          uint64_t v = 0;
          std::memcpy(&v, memory + e * elementBytes, static_cast<size_t>(elementBytes));
          at(in.results[0], e, t) = v;
        } else {
          const uint64_t v = at(in.args[0], e, t);
          std::memcpy(memory + e * elementBytes, &v, static_cast<size_t>(elementBytes));
        }
      }
    }
    if (active) {
      ++counters.requests;
      counters.sectors += static_cast<int64_t>(sectors.size());
      counters.ideal += (active * bytes + 31) / 32;
    }
  }
}

// Each thread's atomic is one indivisible access; the threads of a block take theirs in
// thread order, which is one of the orders the hardware may choose.
void Interpreter::exec_atomic(const Instr &in, const Mask &mask) {
  const bool exchange = in.op == Op::CmpXchgGlobal;
  const int32_t addressValue = in.args[0];
  const Scalar s = program_.values[in.args.back()].scalar;
  const int64_t bytes = bytes_of(s);
  for (int64_t t = 0; t < threads_; ++t) {
    if (!mask[t])
      continue;
    const uint64_t address = at(addressValue, 0, t);
    if (address % static_cast<uint64_t>(bytes) != 0)
      fail(ErrorCode::DeviceFault, in,
           "a " + std::to_string(bytes) + "-byte atomic at an address " +
               std::to_string(address % static_cast<uint64_t>(bytes)) +
               " bytes past its natural alignment (thread " + std::to_string(t) + ")");
    if (!range_of(address, static_cast<uint64_t>(bytes)))
      fail(ErrorCode::OutOfBounds, in,
           "an atomic of " + std::to_string(bytes) + " bytes outside every buffer of the launch (thread " +
               std::to_string(t) + ")");
    auto *memory = reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(address));
    uint64_t old = 0;
    std::memcpy(&old, memory, static_cast<size_t>(bytes));
    uint64_t stored = old;
    if (exchange) {
      const bool equal = (old & width_mask(scalar_bits(s))) == (at(in.args[1], 0, t) & width_mask(scalar_bits(s)));
      if (equal)
        stored = at(in.args[2], 0, t);
      at(in.results[1], 0, t) = equal ? 1 : 0;
    } else {
      stored = atomic_result(static_cast<AtomicKind>(in.imm), s, old, at(in.args[1], 0, t));
    }
    std::memcpy(memory, &stored, static_cast<size_t>(bytes));
    at(in.results[0], 0, t) = old;
  }
}

void Interpreter::touch_shared(const Instr &in, int64_t t, int64_t offset, int64_t bytes, bool load) {
  if (offset < 0 || offset + bytes > program_.shared_bytes)
    fail(ErrorCode::OutOfBounds, in, "a shared-memory access at byte " + std::to_string(offset) + " of " +
                                         std::to_string(program_.shared_bytes) + " (thread " + std::to_string(t) +
                                         ")");
  for (int64_t b = offset; b < offset + bytes; ++b) {
    const int32_t me = static_cast<int32_t>(t + 1);
    if (write_epoch_[b] == epoch_ && writer_[b] != me)
      fail(ErrorCode::DeviceFault, in,
           std::string("a shared-memory race: thread ") + std::to_string(t) + (load ? " reads" : " writes") +
               " byte " + std::to_string(b) + " that thread " + std::to_string(writer_[b] - 1) +
               " wrote since the last barrier");
    if (load) {
      if (!written_[b])
        fail(ErrorCode::DeviceFault, in,
             "thread " + std::to_string(t) + " reads byte " + std::to_string(b) + " of shared memory that nothing wrote");
      if (read_epoch_[b] != epoch_) {
        read_epoch_[b] = epoch_;
        reader_[b] = me;
      } else if (reader_[b] != me) {
        reader_[b] = -1;
      }
    } else {
      if (read_epoch_[b] == epoch_ && reader_[b] != me)
        fail(ErrorCode::DeviceFault, in,
             "a shared-memory race: thread " + std::to_string(t) + " writes byte " + std::to_string(b) +
                 (reader_[b] == -1 ? " that other threads read" : " that thread " + std::to_string(reader_[b] - 1) + " read") +
                 " since the last barrier");
      write_epoch_[b] = epoch_;
      writer_[b] = me;
      written_[b] = 1;
    }
  }
}

void Interpreter::exec_shared(const Instr &in, const Mask &mask) {
  const bool load = in.op == Op::LoadShared;
  const int32_t view = load ? in.args[0] : in.args[1];
  const int32_t index = load ? in.args[1] : in.args[2];
  const int64_t elementBytes = std::max(1, scalar_bits(in.type.scalar) / 8), width = in.type.width;
  const int64_t bytes = elementBytes * width;
  const int indexBits = scalar_bits(program_.values[index].scalar);
  AccessCounters &counters = report_.shared[site(in)];
  counters.bytes = bytes;
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += program_.warp_size) {
    std::map<int64_t, std::set<int64_t>> words; // bank -> distinct 4-byte words
    int64_t active = 0;
    for (int64_t t = warpStart; t < std::min(threads_, warpStart + program_.warp_size); ++t) {
      if (!mask[t])
        continue;
      ++active;
      int64_t scaled = 0, offset = 0;
      const bool overflow =
          __builtin_mul_overflow(sign_extend(at(index, 0, t), indexBits), elementBytes, &scaled) ||
          __builtin_add_overflow(static_cast<int64_t>(at(view, 0, t)), scaled, &offset);
      if (overflow)
        offset = -1;
      touch_shared(in, t, offset, bytes, load);
      if (in.imm > 1 && offset % in.imm != 0)
        fail(ErrorCode::DeviceFault, in,
             "a " + std::to_string(bytes) + "-byte shared-memory access promised " + std::to_string(in.imm) +
                 "-byte aligned is at byte " + std::to_string(offset) + " (thread " + std::to_string(t) + ")");
      for (int64_t w = offset / 4; w <= (offset + bytes - 1) / 4; ++w)
        words[w % 32].insert(w);
      for (int64_t e = 0; e < width; ++e) {
        uint8_t *memory = shared_.data() + offset + e * elementBytes;
        if (load) {
          uint64_t v = 0;
          std::memcpy(&v, memory, static_cast<size_t>(elementBytes));
          at(in.results[0], static_cast<int>(e), t) = v;
        } else {
          const uint64_t v = at(in.args[0], static_cast<int>(e), t);
          std::memcpy(memory, &v, static_cast<size_t>(elementBytes));
        }
      }
    }
    if (active) {
      int64_t wavefronts = 0;
      for (auto &[bank, distinct] : words)
        wavefronts = std::max<int64_t>(wavefronts, static_cast<int64_t>(distinct.size()));
      ++counters.requests;
      counters.sectors += wavefronts;
      counters.ideal += std::max<int64_t>(1, (active * bytes + 127) / 128);
    }
  }
}

void Interpreter::exec_shuffle(const Instr &in, const Mask &mask) {
  const int64_t warp = program_.warp_size;
  std::vector<uint64_t> value(static_cast<size_t>(threads_));
  for (int64_t t = 0; t < threads_; ++t)
    value[t] = at(in.args[0], 0, t);
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += warp) {
    if (!warp_converged(in, mask, warpStart))
      continue;
    for (int64_t t = warpStart; t < warpStart + warp; ++t) {
      if (!mask[t])
        continue;
      const int64_t lane = t - warpStart;
      const int64_t offset = sign_extend(at(in.args[1], 0, t), 32);
      const int64_t width = sign_extend(at(in.args[2], 0, t), 32);
      int64_t source = lane;
      switch (in.imm) {
      case 0: source = lane ^ offset; break;
      case 1: source = offset; break;
      case 2: source = lane - offset; break;
      case 3: source = lane + offset; break;
      }
      const bool valid = source >= 0 && source < width && source < warp;
      at(in.results[0], 0, t) = valid ? value[warpStart + source] : value[t];
      if (in.results.size() > 1)
        at(in.results[1], 0, t) = valid;
    }
  }
}

bool Interpreter::warp_converged(const Instr &in, const Mask &mask, int64_t warpStart) {
  const int64_t warp = program_.warp_size;
  int64_t active = 0, living = 0;
  for (int64_t t = warpStart; t < warpStart + warp; ++t) {
    active += mask[t];
    living += alive_[t];
  }
  if (active == 0)
    return false;
  if (active != living)
    fail(ErrorCode::DeviceFault, in,
         "a warp operation run by " + std::to_string(active) + " of the " + std::to_string(living) +
             " threads of warp " + std::to_string(warpStart / warp) + " (the warp is not converged)");
  return true;
}

// mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32, from the PTX ISA's
// "Matrix Fragments for mma.m16n8k16 with floating point type". With groupID = lane / 4
// and threadID_in_group = lane % 4:
//   A (16 x 16), a_i for i in 0..7: row groupID, + 8 for a2, a3, a6, a7;
//                                   column 2 threadID_in_group + (i & 1), + 8 for i >= 4.
//   B (16 x 8),  b_i for i in 0..3: row 2 threadID_in_group + (i & 1), + 8 for i >= 2;
//                                   column groupID.
//   C, D (16 x 8), c_i for i in 0..3: row groupID, + 8 for i >= 2;
//                                     column 2 threadID_in_group + (i & 1).
// Registers hold two 16-bit elements, a_{2r} in the low half of register r.
// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32, from "Matrix Fragments for
// mma.m16n8k8" (.tf32), one element a register, the instruction reading its 19 high bits:
//   A (16 x 8), a_i for i in 0..3: row groupID, + 8 for a1, a3;
//                                  column threadID_in_group, + 4 for a2, a3.
//   B (8 x 8),  b_i for i in 0..1: row threadID_in_group, + 4 for b1; column groupID.
//   C, D: as m16n8k16's.
// D is the sum over k of the products (each exact in f64) plus C, in f64, rounded once
// to f32: the hardware's accumulation rounds at least as coarsely, which the correctness
// policy's f32 accumulation bound covers.
void Interpreter::exec_mma(const Instr &in, const Mask &mask) {
  const int64_t warp = program_.warp_size;
  if (warp != 32)
    fail(ErrorCode::DeviceFault, in, "mma.sync runs on 32-lane warps, this kernel's warps have " +
                                         std::to_string(warp) + " lanes");
  const MmaInput input = static_cast<MmaInput>(in.imm);
  const bool tf32 = input == MmaInput::TF32;
  const int K = tf32 ? 8 : 16;
  const Scalar half = input == MmaInput::BF16 ? Scalar::BF16 : Scalar::F16;
  // The 16-bit element j (0 or 1) of register `value` in thread t: a vector of two
  // halves, or an i32 holding both.
  auto element = [&](int32_t value, int j, int64_t t) -> double {
    const uint64_t bits = program_.values[value].width == 2 ? at(value, j, t) : at(value, 0, t) >> (16 * j);
    return to_double(half, bits & 0xffff);
  };
  const size_t cFirst = 6; // A's 4 registers and B's 2 come first, whatever the shape
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += warp) {
    if (!warp_converged(in, mask, warpStart))
      continue;
    double a[16][16], b[16][8], c[16][8];
    for (int64_t lane = 0; lane < 32; ++lane) {
      const int64_t t = warpStart + lane, group = lane / 4, inGroup = lane % 4;
      if (tf32) {
        for (int i = 0; i < 4; ++i)
          a[group + 8 * (i & 1)][inGroup + 4 * (i >> 1)] = tf32_value(static_cast<uint32_t>(at(in.args[i], 0, t)));
        for (int i = 0; i < 2; ++i)
          b[inGroup + 4 * i][group] = tf32_value(static_cast<uint32_t>(at(in.args[4 + i], 0, t)));
      } else {
        for (int i = 0; i < 8; ++i)
          a[group + 8 * ((i >> 1) & 1)][2 * inGroup + (i & 1) + 8 * (i >> 2)] = element(in.args[i / 2], i % 2, t);
        for (int i = 0; i < 4; ++i)
          b[2 * inGroup + (i & 1) + 8 * (i >> 1)][group] = element(in.args[4 + i / 2], i % 2, t);
      }
      for (int i = 0; i < 4; ++i)
        c[group + 8 * (i >> 1)][2 * inGroup + (i & 1)] = to_double(Scalar::F32, at(in.args[cFirst + i], 0, t));
    }
    for (int64_t lane = 0; lane < 32; ++lane) {
      const int64_t t = warpStart + lane, group = lane / 4, inGroup = lane % 4;
      for (int i = 0; i < 4; ++i) {
        const int row = static_cast<int>(group + 8 * (i >> 1)), col = static_cast<int>(2 * inGroup + (i & 1));
        double sum = 0;
        for (int k = 0; k < K; ++k)
          sum += a[row][k] * b[k][col];
        at(in.results[i], 0, t) = from_double(Scalar::F32, sum + c[row][col]);
      }
    }
  }
}

// v_mfma_f32_32x32x8{f16,bf16} (bf16: the _1k form on gfx90a, the plain one on gfx942),
// one block, from AMD's CDNA instruction set tables. With l the lane (0..63):
//   A (32 x 8), element i of 4: row l % 32, column 4 (l / 32) + i;
//   B (8 x 32), element i of 4: row 4 (l / 32) + i, column l % 32;
//   C, D (32 x 32), element r of 16: row 8 (r / 4) + 4 (l / 32) + r % 4, column l % 32.
// D is the sum over k of the products (each exact in f64) plus C, rounded once to f32,
// as for mma.sync.
void Interpreter::exec_mfma(const Instr &in, const Mask &mask) {
  const int64_t wave = program_.warp_size;
  if (wave != 64)
    fail(ErrorCode::DeviceFault, in, "v_mfma_f32_32x32x8 runs on 64-lane wavefronts, this kernel's have " +
                                         std::to_string(wave) + " lanes");
  const Scalar half = static_cast<MmaInput>(in.imm) == MmaInput::BF16 ? Scalar::BF16 : Scalar::F16;
  for (int64_t waveStart = 0; waveStart < threads_; waveStart += wave) {
    if (!warp_converged(in, mask, waveStart))
      continue;
    double a[32][8], b[8][32], c[32][32];
    for (int64_t lane = 0; lane < 64; ++lane) {
      const int64_t t = waveStart + lane, line = lane % 32, half32 = lane / 32;
      for (int i = 0; i < 4; ++i) {
        a[line][4 * half32 + i] = to_double(half, at(in.args[0], i, t) & 0xffff);
        b[4 * half32 + i][line] = to_double(half, at(in.args[1], i, t) & 0xffff);
      }
      for (int r = 0; r < 16; ++r)
        c[8 * (r / 4) + 4 * half32 + r % 4][line] = to_double(Scalar::F32, at(in.args[2], r, t));
    }
    for (int64_t lane = 0; lane < 64; ++lane) {
      const int64_t t = waveStart + lane, line = lane % 32, half32 = lane / 32;
      for (int r = 0; r < 16; ++r) {
        const int64_t row = 8 * (r / 4) + 4 * half32 + r % 4;
        double sum = 0;
        for (int k = 0; k < 8; ++k)
          sum += a[row][k] * b[k][line];
        at(in.results[0], r, t) = from_double(Scalar::F32, sum + c[row][line]);
      }
    }
  }
}

// ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared.b16, from the PTX ISA: for
// matrix q, lanes 8q .. 8q + 7 give the addresses of its rows 0 .. 7, 16 bytes each and
// 16-byte aligned (the other lanes' addresses are not read). Lane l receives, of each
// matrix, the pair at row l / 4, columns 2 (l % 4) and 2 (l % 4) + 1; with .trans, the
// pair at rows 2 (l % 4) and 2 (l % 4) + 1 of column l / 4. Each matrix is one request
// to the banks: its 8 rows conflict where two fall in one bank with different words.
void Interpreter::exec_ldmatrix(const Instr &in, const Mask &mask) {
  const int64_t warp = program_.warp_size;
  if (warp != 32)
    fail(ErrorCode::DeviceFault, in, "ldmatrix runs on 32-lane warps, this kernel's warps have " +
                                         std::to_string(warp) + " lanes");
  const int64_t matrices = in.imm & 0xff;
  const bool transpose = (in.imm >> 8) & 1, words32 = (in.imm >> 9) & 1;
  const int64_t elementBytes = words32 ? 4 : 2;
  const int32_t view = in.args[0], index = in.args[1];
  const int indexBits = scalar_bits(program_.values[index].scalar);
  AccessCounters &counters = report_.shared[site(in)];
  counters.bytes = 4 * matrices;
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += warp) {
    if (!warp_converged(in, mask, warpStart))
      continue;
    uint16_t m[4][8][8];
    int64_t wavefronts = 0;
    for (int64_t q = 0; q < matrices; ++q) {
      std::map<int64_t, std::set<int64_t>> words; // bank -> distinct 4-byte words
      for (int64_t r = 0; r < 8; ++r) {
        const int64_t t = warpStart + 8 * q + r;
        int64_t scaled = 0, offset = 0;
        if (__builtin_mul_overflow(sign_extend(at(index, 0, t), indexBits), elementBytes, &scaled) ||
            __builtin_add_overflow(static_cast<int64_t>(at(view, 0, t)), scaled, &offset))
          offset = -1;
        touch_shared(in, t, offset, 16, true);
        if (offset % 16 != 0)
          fail(ErrorCode::DeviceFault, in, "ldmatrix row address " + std::to_string(offset) + " of thread " +
                                               std::to_string(t) + " is not 16-byte aligned");
        std::memcpy(m[q][r], shared_.data() + offset, 16);
        for (int64_t w = offset / 4; w < offset / 4 + 4; ++w)
          words[w % 32].insert(w);
      }
      int64_t most = 0;
      for (auto &[bank, distinct] : words)
        most = std::max<int64_t>(most, static_cast<int64_t>(distinct.size()));
      wavefronts += most;
    }
    for (int64_t lane = 0; lane < warp; ++lane) {
      const int64_t t = warpStart + lane, group = lane / 4, inGroup = lane % 4;
      for (int64_t q = 0; q < matrices; ++q) {
        if (words32) { // the same 32 bits as one element
          at(in.results[q], 0, t) = m[q][group][2 * inGroup] | uint64_t{m[q][group][2 * inGroup + 1]} << 16;
          continue;
        }
        for (int j = 0; j < 2; ++j)
          at(in.results[q], j, t) = transpose ? m[q][2 * inGroup + j][group] : m[q][group][2 * inGroup + j];
      }
    }
    ++counters.requests;
    counters.sectors += wavefronts;
    counters.ideal += matrices;
  }
}

void Interpreter::exec_cp_async(const Instr &in, const Mask &mask) {
  const int64_t bytes = in.imm;
  AccessCounters &counters = report_.global[site(in)];
  counters.bytes = bytes;
  for (int64_t warpStart = 0; warpStart < threads_; warpStart += program_.warp_size) {
    std::set<uint64_t> sectors;
    int64_t active = 0, read = 0;
    for (int64_t t = warpStart; t < std::min(threads_, warpStart + program_.warp_size); ++t) {
      if (!mask[t])
        continue;
      ++active;
      const int64_t offset = static_cast<int64_t>(at(in.args[0], 0, t));
      const uint64_t address = at(in.args[1], 0, t);
      const int64_t source = in.args.size() > 2 ? static_cast<int64_t>(at(in.args[2], 0, t) & 0xFFFFFFFFu) : bytes;
      const std::string who = " (thread " + std::to_string(t) + ")";
      if (offset % bytes != 0 || address % static_cast<uint64_t>(bytes) != 0)
        fail(ErrorCode::DeviceFault, in,
             "a " + std::to_string(bytes) + "-byte cp.async from global address " + std::to_string(address % 256) +
                 " mod 256 to shared byte " + std::to_string(offset) + ": both must be " + std::to_string(bytes) +
                 "-byte aligned" + who);
      if (source > bytes)
        fail(ErrorCode::DeviceFault, in,
             "a " + std::to_string(bytes) + "-byte cp.async told to read " + std::to_string(source) +
                 " source bytes, more than it copies" + who);
      if (offset < 0 || offset + bytes > program_.shared_bytes)
        fail(ErrorCode::OutOfBounds, in,
             "a cp.async to shared byte " + std::to_string(offset) + " of " + std::to_string(program_.shared_bytes) + who);
      if (source > 0 && !range_of(address, static_cast<uint64_t>(source)))
        fail(ErrorCode::OutOfBounds, in,
             "a cp.async reading " + std::to_string(source) + " bytes outside every buffer of the launch" + who);
      // The copy may land at once: no other thread may still be reading or writing its
      // destination in this barrier interval.
      const int32_t me = static_cast<int32_t>(t + 1);
      for (int64_t b = offset; b < offset + bytes; ++b)
        if ((read_epoch_[b] == epoch_ && reader_[b] != me) || (write_epoch_[b] == epoch_ && writer_[b] != me))
          fail(ErrorCode::DeviceFault, in,
               "a shared-memory race: thread " + std::to_string(t) + "'s cp.async may land on byte " +
                   std::to_string(b) + " that " +
                   (write_epoch_[b] == epoch_ && writer_[b] != me ? "thread " + std::to_string(writer_[b] - 1) + " wrote"
                    : reader_[b] == -1                             ? std::string("other threads read")
                                                                   : "thread " + std::to_string(reader_[b] - 1) + " read") +
                   " since the last barrier");
      AsyncCopy copy;
      copy.offset = offset;
      copy.bytes = bytes;
      if (source > 0) {
        std::memcpy(copy.data.data(), reinterpret_cast<const uint8_t *>(static_cast<uintptr_t>(address)),
                    static_cast<size_t>(source));
        for (uint64_t s = address / 32; s <= (address + static_cast<uint64_t>(source) - 1) / 32; ++s)
          sectors.insert(s);
        read += source;
      }
      uncommitted_[t].push_back(copy);
    }
    if (active) {
      ++counters.requests;
      counters.sectors += static_cast<int64_t>(sectors.size());
      counters.ideal += (read + 31) / 32;
    }
  }
}

void Interpreter::exec_cp_async_wait(const Instr &in, const Mask &mask) {
  for (int64_t t = 0; t < threads_; ++t) {
    if (!mask[t])
      continue;
    std::vector<std::vector<AsyncCopy>> &groups = groups_[t];
    const size_t keep = static_cast<size_t>(in.imm);
    const size_t land = groups.size() > keep ? groups.size() - keep : 0;
    for (size_t g = 0; g < land; ++g)
      for (const AsyncCopy &copy : groups[g]) {
        touch_shared(in, t, copy.offset, copy.bytes, false);
        std::memcpy(shared_.data() + copy.offset, copy.data.data(), static_cast<size_t>(copy.bytes));
      }
    groups.erase(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(land));
  }
}

void Interpreter::exec_barrier(const Instr &in, const Mask &mask) {
  int64_t arrived = 0, living = 0;
  for (int64_t t = 0; t < threads_; ++t) {
    arrived += mask[t];
    living += alive_[t];
  }
  if (arrived != living)
    fail(ErrorCode::DeviceFault, in,
         "a barrier reached by " + std::to_string(arrived) + " of the block's " + std::to_string(living) +
             " threads (the others never arrive: the block would hang)");
  ++epoch_;
}

} // namespace tegula::gpuemu
