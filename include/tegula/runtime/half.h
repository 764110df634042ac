// Host conversions for 16-bit floats (round to nearest even), so callers can fill and
// read f16/bf16 buffers without a compiler extension.
#ifndef TEGULA_RUNTIME_HALF_H
#define TEGULA_RUNTIME_HALF_H

#include <cstdint>
#include <cstring>

namespace tegula {

inline uint16_t float_to_bf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) // NaN stays a quiet NaN
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

inline float bf16_to_float(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

inline uint16_t float_to_f16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx > 0x7f800000u)
    return static_cast<uint16_t>(sign | 0x7e00u);
  if (absx >= 0x477ff000u) // rounds to >= 65520: infinity
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (absx < 0x38800000u) { // below the smallest normal half: subnormal or zero
    float a;
    std::memcpy(&a, &absx, 4);
    // Scaling by 2^24 puts the subnormal's units in the integer part; nearbyint rounds to even.
    float scaled = a * 16777216.0f;
    uint32_t units = static_cast<uint32_t>(scaled);
    float frac = scaled - static_cast<float>(units);
    if (frac > 0.5f || (frac == 0.5f && (units & 1)))
      ++units;
    return static_cast<uint16_t>(sign | units);
  }
  uint32_t mantissa = absx & 0x7fffffu;
  uint32_t exponent = (absx >> 23) - 127 + 15;
  uint32_t half = (exponent << 10) | (mantissa >> 13);
  uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1)))
    ++half;
  return static_cast<uint16_t>(sign | half);
}

inline float f16_to_float(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  float f;
  if (exponent == 0) {
    f = static_cast<float>(mantissa) / 16777216.0f;
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    bits |= sign;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  uint32_t bits = exponent == 31 ? (sign | 0x7f800000u | (mantissa << 13))
                                 : (sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  std::memcpy(&f, &bits, 4);
  return f;
}

} // namespace tegula

#endif
