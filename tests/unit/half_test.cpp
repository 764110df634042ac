// 16-bit float conversions: exact values, rounding to nearest even, specials.
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace tegula;

TEST_CASE("bf16 rounds to nearest even", "[half]") {
  CHECK(bf16_to_float(float_to_bf16(1.0f)) == 1.0f);
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even (1.0).
  CHECK(bf16_to_float(float_to_bf16(1.0f + std::ldexp(1.0f, -8))) == 1.0f);
  // 1 + 3*2^-8 is halfway between 1+2^-7 and 1+2^-6: ties to even (1+2^-6).
  CHECK(bf16_to_float(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8))) == 1.0f + std::ldexp(1.0f, -6));
  CHECK(std::isnan(bf16_to_float(float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(std::isinf(bf16_to_float(float_to_bf16(std::numeric_limits<float>::infinity()))));
  CHECK(bf16_to_float(float_to_bf16(-2.5f)) == -2.5f);
}

TEST_CASE("f16 normal, subnormal and overflow", "[half]") {
  CHECK(f16_to_float(float_to_f16(1.0f)) == 1.0f);
  CHECK(f16_to_float(float_to_f16(65504.0f)) == 65504.0f);
  CHECK(std::isinf(f16_to_float(float_to_f16(70000.0f))));
  float tiny = std::ldexp(1.0f, -24); // smallest f16 subnormal
  CHECK(f16_to_float(float_to_f16(tiny)) == tiny);
  CHECK(f16_to_float(float_to_f16(3 * tiny)) == 3 * tiny);
  CHECK(f16_to_float(float_to_f16(tiny / 4)) == 0.0f);
  // Every f16 bit pattern that is a number decodes and re-encodes to itself.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if (((h >> 10) & 0x1f) == 0x1f)
      continue;
    uint16_t bits = static_cast<uint16_t>(h);
    REQUIRE(float_to_f16(f16_to_float(bits)) == bits);
  }
}
