// Philox 4x32-10 traced from integer tile operations, so that every target computes it
// with the operations it already has (64-bit products for the 32x32 -> 64 multiplies).
#include "tegula/dsl/random.h"

namespace tegula::dsl::detail {

namespace {

constexpr int64_t kLow32 = 0xFFFFFFFFll;

Node i64(int64_t v, Loc loc) { return constant_int(DType::I64, {}, v, loc); }
Node band(const Node &a, int64_t mask, Loc loc) { return binary(BinaryOp::And, a, i64(mask, loc), loc); }
Node bxor(const Node &a, const Node &b, Loc loc) { return binary(BinaryOp::Xor, a, b, loc); }
Node high(const Node &product, Loc loc) { return binary(BinaryOp::ShrLogical, product, i64(32, loc), loc); }

} // namespace

std::array<Node, 4> philox(const Node &seed, const Node &offsets, Loc loc) {
  if (!seed.shape.empty())
    fail("the seed of a random draw must be a scalar", loc);
  if (offsets.dtype != DType::I32 && offsets.dtype != DType::I64)
    fail("random offsets must be i32 or i64", loc);
  if (seed.dtype != DType::I32 && seed.dtype != DType::I64)
    fail("a random seed must be i32 or i64", loc);
  Node key = cast(seed, DType::I64, loc), counter = cast(offsets, DType::I64, loc);
  Node k0 = band(key, kLow32, loc), k1 = high(key, loc);
  Node c0 = band(counter, kLow32, loc), c1 = high(counter, loc);
  Node c2 = i64(0, loc), c3 = i64(0, loc);
  for (int round = 0; round < 10; ++round) {
    // Each product of two 32-bit words fits 64 bits; its bits are right even where the
    // signed i64 wraps.
    Node p0 = binary(BinaryOp::Mul, c0, i64(0xD2511F53ll, loc), loc);
    Node p1 = binary(BinaryOp::Mul, c2, i64(0xCD9E8D57ll, loc), loc);
    Node n0 = bxor(bxor(high(p1, loc), c1, loc), k0, loc);
    Node n2 = bxor(bxor(high(p0, loc), c3, loc), k1, loc);
    c1 = band(p1, kLow32, loc);
    c3 = band(p0, kLow32, loc);
    c0 = n0;
    c2 = n2;
    k0 = band(binary(BinaryOp::Add, k0, i64(0x9E3779B9ll, loc), loc), kLow32, loc);
    k1 = band(binary(BinaryOp::Add, k1, i64(0xBB67AE85ll, loc), loc), kLow32, loc);
  }
  return {broadcast_to(c0, offsets.shape, loc), broadcast_to(c1, offsets.shape, loc),
          broadcast_to(c2, offsets.shape, loc), broadcast_to(c3, offsets.shape, loc)};
}

Node uniform_from_word(const Node &word, Loc loc) {
  // Below 2^24: exact in f32, and so is the scaling by a power of two.
  Node top = binary(BinaryOp::ShrLogical, word, i64(8, loc), loc);
  return binary(BinaryOp::Mul, cast(top, DType::F32, loc), constant(DType::F32, {}, 0x1p-24, loc), loc);
}

Node normal_from_words(const Node &w1, const Node &w2, Loc loc) {
  Node top = binary(BinaryOp::ShrLogical, w1, i64(8, loc), loc);
  Node u1 = binary(BinaryOp::Mul, cast(binary(BinaryOp::Add, top, i64(1, loc), loc), DType::F32, loc),
                   constant(DType::F32, {}, 0x1p-24, loc), loc); // (0, 1]: log(u1) is finite
  Node u2 = uniform_from_word(w2, loc);
  Node radius = unary(UnaryOp::Sqrt, binary(BinaryOp::Mul, unary(UnaryOp::Log, u1, loc),
                                            constant(DType::F32, {}, -2.0, loc), loc),
                      loc);
  Node angle = binary(BinaryOp::Mul, u2, constant(DType::F32, {}, 6.283185307179586, loc), loc);
  return binary(BinaryOp::Mul, radius, unary(UnaryOp::Cos, angle, loc), loc);
}

} // namespace tegula::dsl::detail
