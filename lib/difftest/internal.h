// Helpers shared by the difftest sources: the seeded generator of numbers, shape
// algebra, node construction and rounding of constants to a dtype.
#ifndef TEGULA_LIB_DIFFTEST_INTERNAL_H
#define TEGULA_LIB_DIFFTEST_INTERNAL_H

#include "tegula/difftest/difftest.h"

#include <cstdint>
#include <string>

namespace tegula::difftest::detail {

/// splitmix64: tiny, and the same stream on every platform and standard library
/// (std::*_distribution are not).
class Rng {
public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); the modulo bias is irrelevant at these sizes.
  int below(int n) { return n <= 1 ? 0 : static_cast<int>(next() % static_cast<uint64_t>(n)); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <typename T, size_t K> const T &pick(const T (&items)[K]) { return items[below(K)]; }

private:
  uint64_t state_;
};

/// The broadcast of two shapes (Row with Col is a Tile); always defined.
Shape broadcast(Shape a, Shape b);
/// Whether a value of shape `a` can stand where `bound` is allowed (Scalar fits
/// anywhere, a vector fits a Tile).
bool fits(Shape a, Shape bound);
const char *shape_name(Shape shape);
const char *op_name(Op op);

bool is_leaf(Op op);
bool is_binary(Op op);
bool is_float(DType dtype);

/// A new node with `args`, its dtype and shape inferred; throws std::logic_error when
/// ill typed (the generator only builds well-typed nodes).
ExprRef make(Op op, DType dtype, std::vector<ExprRef> args, const Expr &fields = {});

/// Rebuilds `expr` with every dtype and shape recomputed (Acc nodes take their
/// loop's); nullptr and the reason when it is not well typed.
ExprRef retype(const ExprRef &expr, std::string *why);

/// `value` rounded to `dtype` as a C++ number given to the DSL would be.
double round_to(DType dtype, double value);
/// The smallest normal number of a float dtype (FTZ backends may lose that much).
double min_normal(DType dtype);

/// Preorder walk helpers for the minimizer: node `index` of `root`, and `root` with
/// that node replaced.
ExprRef node_at(const ExprRef &root, size_t index);
ExprRef replace_at(const ExprRef &root, size_t index, const ExprRef &replacement);

} // namespace tegula::difftest::detail

#endif
