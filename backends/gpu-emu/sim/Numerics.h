// Bits of a value element and what they mean: integers at their width, floats of the
// four widths decoded to double and rounded back once, to nearest even, as the upstream
// dialects define each operation (the exact result, rounded to the result type): f16
// and bf16 round straight from double, never through f32 (two roundings differ at ties).
#ifndef TEGULA_BACKENDS_GPU_EMU_SIM_NUMERICS_H
#define TEGULA_BACKENDS_GPU_EMU_SIM_NUMERICS_H

#include "backends/gpu-emu/sim/Program.h"
#include "tegula/runtime/half.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tegula::gpuemu {

inline uint64_t width_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

/// The bits of an integer of `bits` as a signed value.
inline int64_t sign_extend(uint64_t v, int bits) {
  if (bits >= 64)
    return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  v &= width_mask(bits);
  return static_cast<int64_t>((v ^ sign) - sign);
}

inline float float_of(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

inline uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

inline double to_double(Scalar s, uint64_t bits) {
  switch (s) {
  case Scalar::F16: return f16_to_float(static_cast<uint16_t>(bits));
  case Scalar::BF16: return bf16_to_float(static_cast<uint16_t>(bits));
  case Scalar::F32: return float_of(static_cast<uint32_t>(bits));
  case Scalar::F64: {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  default: return 0.0;
  }
}

/// `v` rounded to nearest even with `precision` significand bits, normal exponents from
/// `min_exponent` and values up to `max_finite` (beyond: infinity). The result is exact
/// in float for f16 and bf16.
inline double round_to_format(double v, int precision, int min_exponent, double max_finite) {
  if (std::isnan(v) || std::isinf(v) || v == 0.0)
    return v;
  int e = 0;
  std::frexp(std::fabs(v), &e); // |v| = m * 2^e, m in [0.5, 1)
  const int quantum = std::max(e - 1, min_exponent) - (precision - 1);
  const double rounded = std::nearbyint(std::ldexp(std::fabs(v), -quantum)); // the default mode: ties to even
  const double magnitude = std::ldexp(rounded, quantum);
  const double result = magnitude > max_finite ? INFINITY : magnitude;
  return std::signbit(v) ? -result : result;
}

inline uint64_t from_double(Scalar s, double v) {
  switch (s) {
  case Scalar::F16: {
    if (std::isnan(v))
      return 0x7e00;
    return float_to_f16(static_cast<float>(round_to_format(v, 11, -14, 65504.0)));
  }
  case Scalar::BF16: {
    if (std::isnan(v))
      return 0x7fc0;
    return float_to_bf16(static_cast<float>(round_to_format(v, 8, -126, 3.3895313892515355e38)));
  }
  case Scalar::F32: return bits_of(static_cast<float>(v));
  case Scalar::F64: {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
  }
  default: return 0;
  }
}

/// PTX cvt.rna.tf32.f32: the f32 `bits` rounded to 10 mantissa bits, to nearest with
/// ties away from zero, the 13 low bits cleared. In sign and magnitude, adding half the
/// last kept place and truncating rounds the magnitude so, and a carry out of the
/// mantissa steps the exponent (the largest finite values round to infinity). NaN stays
/// a NaN, infinity stays infinity.
inline uint32_t round_to_tf32(uint32_t bits) {
  if ((bits & 0x7f800000u) == 0x7f800000u) // infinity, or NaN: keep a mantissa bit that survives
    return (bits & 0x007fffffu) ? (bits | 0x00400000u) & 0xffffe000u : bits;
  return (bits + 0x1000u) & 0xffffe000u;
}

/// The value an mma.sync reads from a tf32 register: the 19 high bits of an f32.
inline double tf32_value(uint32_t bits) { return float_of(bits & 0xffffe000u); }

} // namespace tegula::gpuemu

#endif
