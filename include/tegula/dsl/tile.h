// Tile<T>: a traced, statically shaped tile (or scalar, at rank 0) of element type T.
#ifndef TEGULA_DSL_TILE_H
#define TEGULA_DSL_TILE_H

#include "tegula/dsl/dtypes.h"
#include "tegula/dsl/node.h"

#include <cstdint>
#include <source_location>
#include <type_traits>
#include <vector>

namespace tegula::dsl {

template <ElementDType T> class Tile;

namespace detail {
/// An operand that remembers where the expression using it was written. Operators take
/// their first operand as At<...>, so the conversion's default argument captures the
/// caller's line (operators cannot take a source_location parameter of their own).
template <typename X> struct At {
  const X &value;
  Loc loc;
  At(const X &value, Loc loc = Loc::current()) : value(value), loc(loc) {}
};
/// A C++ number on the left of an operator, with its location.
struct AtNumber {
  double value;
  Loc loc;
  AtNumber(double value, Loc loc = Loc::current()) : value(value), loc(loc) {}
};

template <typename T> constexpr DType dtype_of() {
  if constexpr (PointerDType<T>)
    return T::pointee::dtype;
  else
    return T::dtype;
}

class TileBase {
public:
  const std::vector<int64_t> &shape() const { return node_.shape; }
  int64_t rank() const { return static_cast<int64_t>(node_.shape.size()); }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : node_.shape)
      n *= d;
    return n;
  }
  const Node &node(Loc loc = Loc::current()) const {
    require_bound(node_, "tile", loc);
    return node_;
  }
  bool bound() const { return node_.bound(); }

  // Used by loops and branches to rebind carried variables to region arguments.
  Node &raw_node() { return node_; }
  int owner_scope() const { return scope_; }
  void set_owner_scope(int scope) { scope_ = scope; }

protected:
  TileBase() : scope_(current_scope()) {}
  explicit TileBase(Node node) : node_(std::move(node)), scope_(current_scope()) {}
  TileBase(const TileBase &other) : node_(other.node_), scope_(current_scope()) {}
  void assign(const TileBase &other, Loc declared, Loc rhs) {
    check_assignment(scope_, declared, rhs);
    node_ = other.node_;
  }
  Node node_;
  int scope_;
  Loc declared_ = Loc::current();
};
} // namespace detail

template <ElementDType T> class Tile : public detail::TileBase {
public:
  using element_type = T;

  /// An unbound tile: assign it before use (in the scope it is declared in).
  Tile(detail::Loc declared = detail::Loc::current()) { declared_ = declared; }
  explicit Tile(detail::Node node) : TileBase(std::move(node)) {}
  /// An integer literal where a scalar integer is expected (descriptor strides, offsets).
  Tile(int value, detail::Loc loc = detail::Loc::current())
    requires IntDType<T>
      : TileBase(detail::constant_int(T::dtype, {}, value, loc)), made_(loc) {
    declared_ = loc;
  }
  Tile(const Tile &other) : TileBase(other), made_(other.made_) {}
  Tile &operator=(const Tile &other) {
    assign(other, declared_, other.made_);
    made_ = other.made_;
    return *this;
  }

  /// Where the value was made (the line of the expression producing it).
  detail::Loc made_ = detail::Loc::current();

  /// [n] -> [n, 1]: a column, for 2-D indexing (Triton's x[:, None]).
  Tile col(detail::Loc loc = detail::Loc::current()) const {
    return from(detail::expand_dims(node(loc), rank(), loc), loc);
  }
  /// [n] -> [1, n]: a row (Triton's x[None, :]).
  Tile row(detail::Loc loc = detail::Loc::current()) const {
    return from(detail::expand_dims(node(loc), 0, loc), loc);
  }

  static Tile from(detail::Node node, detail::Loc loc) {
    Tile t(std::move(node));
    t.made_ = loc;
    t.declared_ = loc;
    return t;
  }

  // Arithmetic on numeric tiles; the left operand's location is the expression's.
#define TEGULA_BINARY(OPSYM, KIND)                                                          \
  friend Tile operator OPSYM(detail::At<Tile> a, const Tile &b)                            \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return from(detail::binary(detail::BinaryOp::KIND, a.value.node(a.loc), b.node(a.loc), \
                               a.loc),                                                     \
                a.loc);                                                                    \
  }                                                                                        \
  friend Tile operator OPSYM(detail::At<Tile> a, double b)                                 \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return from(detail::binary(detail::BinaryOp::KIND, a.value.node(a.loc),                \
                               number(b, a.loc), a.loc),                                   \
                a.loc);                                                                    \
  }                                                                                        \
  friend Tile operator OPSYM(detail::AtNumber a, const Tile &b)                            \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return from(detail::binary(detail::BinaryOp::KIND, number(a.value, a.loc),             \
                               b.node(a.loc), a.loc),                                      \
                a.loc);                                                                    \
  }
  TEGULA_BINARY(+, Add)
  TEGULA_BINARY(-, Sub)
  TEGULA_BINARY(*, Mul)
  TEGULA_BINARY(/, Div)
#undef TEGULA_BINARY

  // Compound assignment: `acc += x` is `acc = acc + x`, with the same rules for loops
  // (a variable from outside a loop must be carried to be updated in it).
#define TEGULA_COMPOUND(OPSYM)                                                              \
  Tile &operator OPSYM##=(detail::At<Tile> b)                                              \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return *this = (detail::At<Tile>(*this, b.loc) OPSYM b.value);                          \
  }                                                                                        \
  Tile &operator OPSYM##=(detail::AtNumber b)                                              \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return *this = (detail::At<Tile>(*this, b.loc) OPSYM b.value);                          \
  }
  TEGULA_COMPOUND(+)
  TEGULA_COMPOUND(-)
  TEGULA_COMPOUND(*)
  TEGULA_COMPOUND(/)
#undef TEGULA_COMPOUND

  // Mixing element types does not compile, and the error is one "use of deleted
  // function" pointing at these lines rather than a list of every operator that did not
  // match. Generic code can still ask `requires { a + b; }`, which is false here.
  template <ElementDType U> requires(NumericDType<T> && !std::is_same_v<U, T>)
  friend Tile operator+(detail::At<Tile>, const Tile<U> &) = delete; // tegula: the dtypes differ: cast<>() one operand
  template <ElementDType U> requires(NumericDType<T> && !std::is_same_v<U, T>)
  friend Tile operator-(detail::At<Tile>, const Tile<U> &) = delete; // tegula: the dtypes differ: cast<>() one operand
  template <ElementDType U> requires(NumericDType<T> && !std::is_same_v<U, T>)
  friend Tile operator*(detail::At<Tile>, const Tile<U> &) = delete; // tegula: the dtypes differ: cast<>() one operand
  template <ElementDType U> requires(NumericDType<T> && !std::is_same_v<U, T>)
  friend Tile operator/(detail::At<Tile>, const Tile<U> &) = delete; // tegula: the dtypes differ: cast<>() one operand

  friend Tile operator%(detail::At<Tile> a, const Tile &b)
    requires IntDType<T>
  {
    return from(detail::binary(detail::BinaryOp::Rem, a.value.node(a.loc), b.node(a.loc), a.loc), a.loc);
  }
  friend Tile operator%(detail::At<Tile> a, double b)
    requires IntDType<T>
  {
    return from(detail::binary(detail::BinaryOp::Rem, a.value.node(a.loc), number(b, a.loc), a.loc), a.loc);
  }

  // Bitwise operations and shifts on integer tiles (arithmetic shift right).
#define TEGULA_BITWISE(OPSYM, KIND)                                                         \
  friend Tile operator OPSYM(detail::At<Tile> a, const Tile &b)                            \
    requires IntDType<T>                                                                    \
  {                                                                                        \
    return from(detail::binary(detail::BinaryOp::KIND, a.value.node(a.loc), b.node(a.loc), \
                               a.loc),                                                     \
                a.loc);                                                                    \
  }                                                                                        \
  friend Tile operator OPSYM(detail::At<Tile> a, long long b)                              \
    requires IntDType<T>                                                                    \
  {                                                                                        \
    return from(detail::binary(detail::BinaryOp::KIND, a.value.node(a.loc),                \
                               detail::constant_int(T::dtype, {}, b, a.loc), a.loc),       \
                a.loc);                                                                    \
  }
  TEGULA_BITWISE(&, And)
  TEGULA_BITWISE(|, Or)
  TEGULA_BITWISE(^, Xor)
  TEGULA_BITWISE(<<, Shl)
  TEGULA_BITWISE(>>, Shr)
#undef TEGULA_BITWISE

  friend Tile operator-(detail::At<Tile> a)
    requires NumericDType<T>
  {
    return from(detail::unary(detail::UnaryOp::Neg, a.value.node(a.loc), a.loc), a.loc);
  }

  // Comparisons yield Tile<i1>. There is deliberately no conversion of a traced bool to
  // a C++ bool: `if (x < n)` does not compile; use where() or if_else().
#define TEGULA_COMPARE(OPSYM, KIND)                                                         \
  friend Tile<i1> operator OPSYM(detail::At<Tile> a, const Tile &b)                        \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return Tile<i1>::from(detail::compare(detail::CompareOp::KIND, a.value.node(a.loc),    \
                                          b.node(a.loc), a.loc),                           \
                          a.loc);                                                          \
  }                                                                                        \
  friend Tile<i1> operator OPSYM(detail::At<Tile> a, double b)                             \
    requires NumericDType<T>                                                                \
  {                                                                                        \
    return Tile<i1>::from(detail::compare(detail::CompareOp::KIND, a.value.node(a.loc),    \
                                          number(b, a.loc), a.loc),                        \
                          a.loc);                                                          \
  }
  TEGULA_COMPARE(<, Lt)
  TEGULA_COMPARE(<=, Le)
  TEGULA_COMPARE(>, Gt)
  TEGULA_COMPARE(>=, Ge)
  TEGULA_COMPARE(==, Eq)
  TEGULA_COMPARE(!=, Ne)
#undef TEGULA_COMPARE

  // Logic on masks (not short-circuiting: both sides are traced).
  friend Tile operator&&(detail::At<Tile> a, const Tile &b)
    requires BoolDType<T>
  {
    return from(detail::binary(detail::BinaryOp::And, a.value.node(a.loc), b.node(a.loc), a.loc), a.loc);
  }
  friend Tile operator||(detail::At<Tile> a, const Tile &b)
    requires BoolDType<T>
  {
    return from(detail::binary(detail::BinaryOp::Or, a.value.node(a.loc), b.node(a.loc), a.loc), a.loc);
  }
  friend Tile operator!(detail::At<Tile> a)
    requires BoolDType<T>
  {
    return from(detail::unary(detail::UnaryOp::Not, a.value.node(a.loc), a.loc), a.loc);
  }

  // Pointer arithmetic: pointer (tile) + integer offsets in elements.
  template <IntDType I>
  friend Tile operator+(detail::At<Tile> p, const Tile<I> &offset)
    requires PointerDType<T>
  {
    return from(detail::add_offset(p.value.node(p.loc), offset.node(p.loc), p.loc), p.loc);
  }
  friend Tile operator+(detail::At<Tile> p, long long offset)
    requires PointerDType<T>
  {
    return from(detail::add_offset(p.value.node(p.loc),
                                   detail::constant_int(DType::I64, {}, offset, p.loc), p.loc),
                p.loc);
  }

  // No conversion to bool exists, so `if (x < n)` does not compile (a deleted explicit
  // operator bool would also make the built-in `!` compete with ours).

private:
  static detail::Node number(double v, detail::Loc loc) {
    if constexpr (IntDType<T>)
      return detail::constant_int(T::dtype, {}, static_cast<int64_t>(v), loc);
    else
      return detail::constant(detail::dtype_of<T>(), {}, v, loc);
  }
};

// The usual scalar names.
using Int = Tile<i32>;
using Long = Tile<i64>;
using Float = Tile<f32>;
using Bool = Tile<i1>;
template <ScalarDType T> using Ptr = Tile<ptr<T>>;

template <typename X> struct is_tile : std::false_type {};
template <ElementDType T> struct is_tile<Tile<T>> : std::true_type {};
template <typename X> inline constexpr bool is_tile_v = is_tile<std::remove_cvref_t<X>>::value;

} // namespace tegula::dsl

#endif
