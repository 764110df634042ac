// The kernel language's functions: construction, math, shape, memory, dot, reductions.
// Every function takes a trailing source location that defaults to the caller's line,
// so trace errors point at the kernel's source.
#ifndef TEGULA_DSL_OPS_H
#define TEGULA_DSL_OPS_H

#include "tegula/dsl/tile.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace tegula::dsl {

using detail::Loc;

// --- program instance -------------------------------------------------------------
inline Int program_id(int axis, Loc loc = Loc::current()) {
  return Int::from(detail::program_id(axis, loc), loc);
}
inline Int num_programs(int axis, Loc loc = Loc::current()) {
  return Int::from(detail::num_programs(axis, loc), loc);
}

/// Compiles the kernel on its integer argument `n` being a multiple of `k`: index
/// arithmetic from `n` (row starts, masks) is then known aligned, so the GPU targets can
/// access memory in 16-byte vectors. Every launch checks it (InvalidArgument otherwise).
template <IntDType T> void assume_multiple_of(const Tile<T> &n, int64_t k, Loc loc = Loc::current()) {
  detail::assume_multiple_of(n.node(loc), k, loc);
}
/// The same for a buffer argument's address, in bytes (the runtime allocates buffers
/// 64-byte aligned; guard-page buffers end at their page instead).
template <ElementDType T> void assume_multiple_of(const Ptr<T> &p, int64_t bytes, Loc loc = Loc::current()) {
  detail::assume_multiple_of(p.node(loc), bytes, loc);
}

/// On the targets whose threads run in warps (cuda, rocm, gpu-emu), one program
/// instance runs as `n` warps: a power of two up to 32, within the target's threads per
/// block (1024: 32 warps of 32, 16 wavefronts of 64). A meta-parameter, chosen with the
/// block sizes it suits; without it the target's num-warps option applies. The CPU and
/// Maia ignore it. Calling it again with another `n` is a trace error.
inline void num_warps(int64_t n, Loc loc = Loc::current()) { detail::num_warps(n, loc); }

/// On the targets with asynchronous copies from global to shared memory (cuda: cp.async),
/// the loop over a dot's k loads `n` - 1 iterations ahead into `n` shared-memory
/// buffers, so that the loads of later steps overlap the products of this one. 1 to 8;
/// 1 (the default) loads each step when it runs. Other targets ignore it. Calling it
/// again with another `n` is a trace error.
inline void num_stages(int64_t n, Loc loc = Loc::current()) { detail::num_stages(n, loc); }

// --- construction -------------------------------------------------------------------
/// [0, n) as a 1-D tile of i32 (n is a compile-time meta-parameter).
inline Tile<i32> arange(int64_t n, Loc loc = Loc::current()) {
  return Tile<i32>::from(detail::arange(0, n, loc), loc);
}
inline Tile<i32> arange(int64_t start, int64_t end, Loc loc = Loc::current()) {
  return Tile<i32>::from(detail::arange(start, end, loc), loc);
}
template <NumericDType T>
Tile<T> full(std::vector<int64_t> shape, double value, Loc loc = Loc::current()) {
  if constexpr (IntDType<T>)
    return Tile<T>::from(detail::constant_int(T::dtype, shape, static_cast<int64_t>(value), loc), loc);
  else
    return Tile<T>::from(detail::constant(T::dtype, shape, value, loc), loc);
}
template <NumericDType T> Tile<T> zeros(std::vector<int64_t> shape, Loc loc = Loc::current()) {
  return full<T>(std::move(shape), 0.0, loc);
}
/// A scalar constant.
template <NumericDType T> Tile<T> scalar(double value, Loc loc = Loc::current()) {
  return full<T>({}, value, loc);
}

// --- math ---------------------------------------------------------------------------
#define TEGULA_UNARY_FN(NAME, KIND, CONCEPT)                                              \
  template <CONCEPT T> Tile<T> NAME(const Tile<T> &x, Loc loc = Loc::current()) {        \
    return Tile<T>::from(detail::unary(detail::UnaryOp::KIND, x.node(loc), loc), loc);   \
  }
TEGULA_UNARY_FN(exp, Exp, FloatDType)
TEGULA_UNARY_FN(exp2, Exp2, FloatDType)
TEGULA_UNARY_FN(log, Log, FloatDType)
TEGULA_UNARY_FN(log2, Log2, FloatDType)
TEGULA_UNARY_FN(sqrt, Sqrt, FloatDType)
TEGULA_UNARY_FN(rsqrt, Rsqrt, FloatDType)
TEGULA_UNARY_FN(sigmoid, Sigmoid, FloatDType)
TEGULA_UNARY_FN(tanh, Tanh, FloatDType)
TEGULA_UNARY_FN(erf, Erf, FloatDType)
TEGULA_UNARY_FN(sin, Sin, FloatDType)
TEGULA_UNARY_FN(cos, Cos, FloatDType)
TEGULA_UNARY_FN(abs, Abs, NumericDType)
#undef TEGULA_UNARY_FN

template <NumericDType T>
Tile<T> minimum(const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::binary(detail::BinaryOp::Min, a.node(loc), b.node(loc), loc), loc);
}
template <NumericDType T>
Tile<T> maximum(const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::binary(detail::BinaryOp::Max, a.node(loc), b.node(loc), loc), loc);
}
/// minimum/maximum with a C++ number on either side (the number takes the tile's dtype).
template <NumericDType T> Tile<T> minimum(const Tile<T> &a, double b, Loc loc = Loc::current()) {
  return minimum(a, full<T>({}, b, loc), loc);
}
template <NumericDType T> Tile<T> minimum(double a, const Tile<T> &b, Loc loc = Loc::current()) {
  return minimum(full<T>({}, a, loc), b, loc);
}
template <NumericDType T> Tile<T> maximum(const Tile<T> &a, double b, Loc loc = Loc::current()) {
  return maximum(a, full<T>({}, b, loc), loc);
}
template <NumericDType T> Tile<T> maximum(double a, const Tile<T> &b, Loc loc = Loc::current()) {
  return maximum(full<T>({}, a, loc), b, loc);
}
/// Logical shift right: zeros fill in from the left, as for an unsigned value of the same
/// bits (`>>` is arithmetic). A count outside 0 .. width - 1 gives an undefined result.
template <IntDType T> Tile<T> shr_logical(const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::binary(detail::BinaryOp::ShrLogical, a.node(loc), b.node(loc), loc), loc);
}
template <IntDType T> Tile<T> shr_logical(const Tile<T> &a, long long b, Loc loc = Loc::current()) {
  return Tile<T>::from(
      detail::binary(detail::BinaryOp::ShrLogical, a.node(loc), detail::constant_int(T::dtype, {}, b, loc), loc), loc);
}
/// Elementwise choice: cond ? a : b (shapes broadcast).
template <ElementDType T>
Tile<T> where(const Tile<i1> &cond, const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::select(cond.node(loc), a.node(loc), b.node(loc), loc), loc);
}
template <NumericDType T>
Tile<T> where(const Tile<i1> &cond, const Tile<T> &a, double b, Loc loc = Loc::current()) {
  return where(cond, a, full<T>({}, b, loc), loc);
}
/// Converts element types: float <-> float rounds to nearest, float -> int truncates,
/// Bool -> number gives 0 or 1, number -> Bool tests != 0.
template <ScalarDType To, ScalarDType From>
Tile<To> cast(const Tile<From> &x, Loc loc = Loc::current()) {
  return Tile<To>::from(detail::cast(x.node(loc), To::dtype, loc), loc);
}

// --- shape --------------------------------------------------------------------------
template <ElementDType T>
Tile<T> broadcast_to(const Tile<T> &x, std::vector<int64_t> shape, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::broadcast_to(x.node(loc), shape, loc), loc);
}
template <ElementDType T> Tile<T> expand_dims(const Tile<T> &x, int axis, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::expand_dims(x.node(loc), axis, loc), loc);
}
template <ElementDType T>
Tile<T> reshape(const Tile<T> &x, std::vector<int64_t> shape, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::reshape(x.node(loc), shape, loc), loc);
}
template <ElementDType T>
Tile<T> permute(const Tile<T> &x, std::vector<int32_t> order, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::permute(x.node(loc), order, loc), loc);
}
/// Transpose of a 2-D tile.
template <ElementDType T> Tile<T> trans(const Tile<T> &x, Loc loc = Loc::current()) {
  return permute(x, {1, 0}, loc);
}

/// Interleaves two tiles along a new last dimension of size 2: [..] x [..] -> [.., 2].
template <ElementDType T> Tile<T> join(const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::join(a.node(loc), b.node(loc), loc), loc);
}
/// The two halves of a tile of rank 2 or more whose last dimension is 2 (the inverse
/// of join).
template <ElementDType T> std::pair<Tile<T>, Tile<T>> split(const Tile<T> &x, Loc loc = Loc::current()) {
  auto [a, b] = detail::split(x.node(loc), loc);
  return {Tile<T>::from(std::move(a), loc), Tile<T>::from(std::move(b), loc)};
}

// --- memory through pointers ------------------------------------------------------
template <ScalarDType T> Tile<T> load(const Tile<ptr<T>> &p, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::load(p.node(loc), nullptr, nullptr, loc), loc);
}
/// Masked load: lanes whose mask is false are not read and yield `other`.
template <ScalarDType T>
Tile<T> load(const Tile<ptr<T>> &p, const Tile<i1> &mask, double other, Loc loc = Loc::current())
  requires NumericDType<T>
{
  Tile<T> o = full<T>({}, other, loc);
  detail::Node m = mask.node(loc);
  detail::Node on = detail::broadcast_to(o.node(loc), p.shape(), loc);
  detail::Node mb = detail::broadcast_to(m, p.shape(), loc);
  return Tile<T>::from(detail::load(p.node(loc), &mb, &on, loc), loc);
}
template <ScalarDType T>
Tile<T> load(const Tile<ptr<T>> &p, const Tile<i1> &mask, const Tile<T> &other,
             Loc loc = Loc::current()) {
  detail::Node mb = detail::broadcast_to(mask.node(loc), p.shape(), loc);
  detail::Node ob = detail::broadcast_to(other.node(loc), p.shape(), loc);
  return Tile<T>::from(detail::load(p.node(loc), &mb, &ob, loc), loc);
}
/// Stores `value` through `p` (destination first); masked-off lanes are not written.
template <ScalarDType T>
void store(const Tile<ptr<T>> &p, const Tile<T> &value, Loc loc = Loc::current()) {
  detail::store(p.node(loc), value.node(loc), nullptr, loc);
}
template <ScalarDType T>
void store(const Tile<ptr<T>> &p, const Tile<T> &value, const Tile<i1> &mask,
           Loc loc = Loc::current()) {
  detail::Node mb = detail::broadcast_to(mask.node(loc), p.shape(), loc);
  detail::store(p.node(loc), value.node(loc), &mb, loc);
}
/// Irregular read base[indices]: lanes whose mask is false yield `other`.
template <ScalarDType T, IntDType I>
Tile<T> gather(const Ptr<T> &base, const Tile<I> &indices, const Tile<i1> &mask, double other,
               Loc loc = Loc::current()) {
  detail::Node mb = detail::broadcast_to(mask.node(loc), indices.shape(), loc);
  Tile<T> o = full<T>(indices.shape(), other, loc);
  return Tile<T>::from(detail::gather(base.node(loc), indices.node(loc), &mb, &o.node(loc), loc), loc);
}

// --- atomics ------------------------------------------------------------------------
#define TEGULA_ATOMIC_FN(NAME, KIND)                                                        \
  template <AtomicDType T>                                                                  \
  Tile<T> NAME(const Tile<ptr<T>> &p, const Tile<T> &value, Loc loc = Loc::current()) {     \
    return Tile<T>::from(detail::atomic(detail::AtomicOp::KIND, p.node(loc), value.node(loc), \
                                        nullptr, loc),                                      \
                         loc);                                                              \
  }                                                                                         \
  template <AtomicDType T>                                                                  \
  Tile<T> NAME(const Tile<ptr<T>> &p, const Tile<T> &value, const Tile<i1> &mask,           \
               Loc loc = Loc::current()) {                                                  \
    detail::Node mb = detail::broadcast_to(mask.node(loc), p.shape(), loc);                 \
    return Tile<T>::from(detail::atomic(detail::AtomicOp::KIND, p.node(loc), value.node(loc), \
                                        &mb, loc),                                          \
                         loc);                                                              \
  }
TEGULA_ATOMIC_FN(atomic_add, Add)
TEGULA_ATOMIC_FN(atomic_max, Max)
TEGULA_ATOMIC_FN(atomic_min, Min)
TEGULA_ATOMIC_FN(atomic_xchg, Xchg)
#undef TEGULA_ATOMIC_FN
template <IntDType T>
Tile<T> atomic_cas(const Tile<ptr<T>> &p, const Tile<T> &compare, const Tile<T> &value,
                   Loc loc = Loc::current()) {
  return Tile<T>::from(detail::atomic_cas(p.node(loc), compare.node(loc), value.node(loc), loc), loc);
}

// --- tensor descriptors -------------------------------------------------------------
/// A strided tensor in memory read and written by blocks of a fixed shape; elements of
/// a block outside the tensor read as zero and are not written.
template <ScalarDType T> class Desc {
public:
  explicit Desc(detail::DescNode node) : node_(std::move(node)) {}
  const std::vector<int64_t> &block() const { return node_.block; }
  /// The block whose first element is at `offsets` (element coordinates).
  Tile<T> load(std::initializer_list<Int> offsets, Loc loc = Loc::current()) const {
    return Tile<T>::from(detail::desc_load(node_, nodes(offsets, loc), loc), loc);
  }
  const detail::DescNode &node() const { return node_; }
  static std::vector<detail::Node> nodes(std::initializer_list<Int> values, Loc loc) {
    std::vector<detail::Node> out;
    for (const Int &v : values)
      out.push_back(v.node(loc));
    return out;
  }

private:
  detail::DescNode node_;
};

template <ScalarDType T>
Desc<T> make_desc(const Ptr<T> &base, std::initializer_list<Int> shape,
                  std::initializer_list<Int> strides, std::vector<int64_t> block,
                  Loc loc = Loc::current()) {
  return Desc<T>(detail::make_desc(base.node(loc), Desc<T>::nodes(shape, loc),
                                   Desc<T>::nodes(strides, loc), block, loc));
}
/// Writes `value` as the block at `offsets` (destination first).
template <ScalarDType T>
void store(const Desc<T> &desc, std::initializer_list<Int> offsets, const Tile<T> &value,
           Loc loc = Loc::current()) {
  detail::desc_store(desc.node(), Desc<T>::nodes(offsets, loc), value.node(loc), loc);
}

// --- dot, reductions, scans ---------------------------------------------------------
using detail::Precision;

/// acc + a @ b with f32 accumulation ([M,K] x [K,N] -> [M,N]). `precision` is the least
/// precision accepted for f32 inputs (Precision::TF32 lets a GPU use tensor cores).
template <DotInputDType T>
Tile<f32> dot(const Tile<T> &a, const Tile<T> &b, const Tile<f32> &acc, Precision precision = Precision::IEEE,
              Loc loc = Loc::current()) {
  return Tile<f32>::from(detail::dot(a.node(loc), b.node(loc), acc.node(loc), precision, loc), loc);
}
template <DotInputDType T>
Tile<f32> dot(const Tile<T> &a, const Tile<T> &b, const Tile<f32> &acc, Loc loc) {
  return dot(a, b, acc, Precision::IEEE, loc);
}
/// i8 x i8 with i32 accumulation.
inline Tile<i32> dot(const Tile<i8> &a, const Tile<i8> &b, const Tile<i32> &acc,
                     Loc loc = Loc::current()) {
  return Tile<i32>::from(detail::dot(a.node(loc), b.node(loc), acc.node(loc), Precision::IEEE, loc), loc);
}

#define TEGULA_REDUCE_FN(NAME, KIND, RESULT)                                               \
  template <NumericDType T> Tile<RESULT> NAME(const Tile<T> &x, int axis, Loc loc = Loc::current()) { \
    return Tile<RESULT>::from(detail::reduce(detail::ReduceOp::KIND, x.node(loc), axis, loc), loc); \
  }
TEGULA_REDUCE_FN(sum, Sum, T)
TEGULA_REDUCE_FN(max, Max, T)
TEGULA_REDUCE_FN(min, Min, T)
TEGULA_REDUCE_FN(argmax, ArgMax, i32)
TEGULA_REDUCE_FN(argmin, ArgMin, i32)
#undef TEGULA_REDUCE_FN

template <NumericDType T>
Tile<T> cumsum(const Tile<T> &x, int axis, bool reverse = false, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::scan(detail::ScanOp::Sum, x.node(loc), axis, reverse, loc), loc);
}
template <NumericDType T>
Tile<T> cummax(const Tile<T> &x, int axis, bool reverse = false, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::scan(detail::ScanOp::Max, x.node(loc), axis, reverse, loc), loc);
}

template <NumericDType T>
Tile<T> cummin(const Tile<T> &x, int axis, bool reverse = false, Loc loc = Loc::current()) {
  return Tile<T>::from(detail::scan(detail::ScanOp::Min, x.node(loc), axis, reverse, loc), loc);
}

/// Reduces along `axis` with `combine(a, b)`, a traced function of two scalar tiles that
/// must be associative: `reduce(t, 1, [](auto a, auto b) { return maximum(a, b); })`.
template <NumericDType T, typename Combine>
Tile<T> reduce(const Tile<T> &x, int axis, Combine combine, Loc loc = Loc::current()) {
  auto fn = [&](const detail::Node &a, const detail::Node &b) {
    Tile<T> result = combine(Tile<T>::from(a, loc), Tile<T>::from(b, loc));
    return result.node(loc);
  };
  return Tile<T>::from(detail::reduce_with(x.node(loc), axis, fn, loc), loc);
}

// --- debugging ----------------------------------------------------------------------
namespace detail {
/// A string that remembers the caller's line (a variadic function cannot take a
/// defaulted source_location after its pack).
struct AtText {
  std::string text;
  Loc loc;
  AtText(const char *text, Loc loc = Loc::current()) : text(text), loc(loc) {}
  AtText(std::string text, Loc loc = Loc::current()) : text(std::move(text)), loc(loc) {}
};
} // namespace detail

/// Prints every element of `values` from every program instance (one line per element:
/// program id, the prefix and the kernel line, the index, the value).
template <ElementDType... T> void device_print(detail::AtText prefix, const Tile<T> &...values) {
  detail::print(prefix.text, {values.node(prefix.loc)...}, prefix.loc);
}
/// Fails the launch with Error(AssertionFailed), naming this line, the program instance
/// and the element, wherever `condition` is false.
inline void device_assert(const Bool &condition, const std::string &message, Loc loc = Loc::current()) {
  detail::assert_true(condition.node(loc), message, loc);
}

/// Ceiling division of host integers (grid and block arithmetic).
constexpr int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
/// Ceiling division inside a kernel, for a >= 0 and b > 0 (the number of blocks of b
/// that cover a): (a + b - 1) / b.
template <IntDType T> Tile<T> cdiv(const Tile<T> &a, const Tile<T> &b, Loc loc = Loc::current()) {
  using At = detail::At<Tile<T>>; // operators report the caller's line, not this one
  Tile<T> sum = At(a, loc) + b;
  Tile<T> last = At(sum, loc) - 1.0;
  return At(last, loc) / b;
}
template <IntDType T> Tile<T> cdiv(const Tile<T> &a, long long b, Loc loc = Loc::current()) {
  return cdiv(a, Tile<T>::from(detail::constant_int(T::dtype, {}, b, loc), loc), loc);
}

} // namespace tegula::dsl

#endif
