// Counter-based random numbers inside kernels: Philox 4x32-10 of a seed and per-lane
// offsets, as Triton's tl.rand. A draw depends only on (seed, offset), never on the
// target, the program instance or the launch, so every target produces the same bits
// (rand and randint exactly; randn within its math functions' error).
#ifndef TEGULA_DSL_RANDOM_H
#define TEGULA_DSL_RANDOM_H

#include "tegula/dsl/tile.h"

#include <array>

namespace tegula::dsl {

using detail::Loc;

namespace detail {
/// The four 32-bit words of Philox4x32-10 with key (seed low, seed high) and counter
/// (offset low, offset high, 0, 0), each as an i64 tile holding 0 .. 2^32 - 1 in the
/// offsets' shape. The seed is a scalar i32 or i64 (sign-extended), the offsets i32 or i64.
std::array<Node, 4> philox(const Node &seed, const Node &offsets, Loc loc);
/// word >> 8, times 2^-24: a uniform f32 in [0, 1) that every target computes exactly.
Node uniform_from_word(const Node &word, Loc loc);
/// Box-Muller of two words: sqrt(-2 log u1) cos(2 pi u2), u1 in (0, 1], u2 in [0, 1).
Node normal_from_words(const Node &w1, const Node &w2, Loc loc);
} // namespace detail

/// The first Philox word of each offset, as the i32 with the same bits.
template <IntDType S, IntDType O>
Tile<i32> randint(const Tile<S> &seed, const Tile<O> &offsets, Loc loc = Loc::current()) {
  auto words = detail::philox(seed.node(loc), offsets.node(loc), loc);
  return Tile<i32>::from(detail::cast(words[0], DType::I32, loc), loc);
}
/// All four Philox words of each offset (four independent streams for the price of one).
template <IntDType S, IntDType O>
std::array<Tile<i32>, 4> randint4x(const Tile<S> &seed, const Tile<O> &offsets, Loc loc = Loc::current()) {
  auto words = detail::philox(seed.node(loc), offsets.node(loc), loc);
  std::array<Tile<i32>, 4> out;
  for (int i = 0; i < 4; ++i)
    out[i] = Tile<i32>::from(detail::cast(words[i], DType::I32, loc), loc);
  return out;
}
/// Uniform f32 in [0, 1): the first word's top 24 bits times 2^-24.
template <IntDType S, IntDType O>
Tile<f32> rand(const Tile<S> &seed, const Tile<O> &offsets, Loc loc = Loc::current()) {
  auto words = detail::philox(seed.node(loc), offsets.node(loc), loc);
  return Tile<f32>::from(detail::uniform_from_word(words[0], loc), loc);
}
/// Standard normal f32, by Box-Muller from the first two words.
template <IntDType S, IntDType O>
Tile<f32> randn(const Tile<S> &seed, const Tile<O> &offsets, Loc loc = Loc::current()) {
  auto words = detail::philox(seed.node(loc), offsets.node(loc), loc);
  return Tile<f32>::from(detail::normal_from_words(words[0], words[1], loc), loc);
}

} // namespace tegula::dsl

#endif
