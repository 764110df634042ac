// Traced control flow: loops whose carried tiles are named once, and if/else that
// yields values.
#ifndef TEGULA_DSL_CONTROL_H
#define TEGULA_DSL_CONTROL_H

#include "tegula/dsl/tile.h"

#include <functional>
#include <memory>
#include <vector>

namespace tegula::dsl {

namespace detail {
/// The loop machinery, independent of the carried tiles' C++ types.
class LoopState {
public:
  LoopState(Node start, Node end, Node step, Loc loc) : start_(std::move(start)), end_(std::move(end)), step_(std::move(step)), loc_(loc) {}
  ~LoopState();
  LoopState(const LoopState &) = delete;
  LoopState &operator=(const LoopState &) = delete;
  void add_carried(TileBase *tile) { carried_.push_back(tile); }
  /// Opens the loop body; returns the induction variable.
  Node begin();
  /// Closes the body: yields the carried tiles and rebinds them to the loop's results.
  void end();
  bool open() const { return open_; }

private:
  Node start_, end_, step_;
  Loc loc_;
  std::vector<TileBase *> carried_;
  std::vector<int> saved_scopes_;
  void *op_ = nullptr;
  bool open_ = false, closed_ = false;
  int exceptions_at_begin_ = 0;
};

Node index_value(const Tile<i32> &t, Loc loc);
Node int_constant(int64_t v, Loc loc);

/// Both branches of if_else, each producing one tile.
Node if_else(const Node &cond, const std::function<Node()> &then_fn,
             const std::function<Node()> &else_fn, Loc loc);
void when(const Node &cond, const std::function<void()> &fn, Loc loc);
} // namespace detail

/// `for (auto k : range(0, K, BK).carry(acc, m_i, l_i)) { ... }`: a traced loop. Tiles
/// assigned in the body must be named in carry(); their values at the end of each
/// iteration flow into the next, and into the variables after the loop. `break` and
/// `return` inside the body are trace errors.
class Range {
public:
  Range(detail::Node start, detail::Node end, detail::Node step, detail::Loc loc)
      : state_(std::make_unique<detail::LoopState>(std::move(start), std::move(end), std::move(step), loc)) {}

  /// Returns the range by value: a range-for keeps only its init expression's
  /// temporary alive, so a reference to range()'s result would dangle.
  template <typename... Tiles> Range carry(Tiles &...tiles) && {
    static_assert((is_tile_v<Tiles> && ...), "carry() takes Tile variables");
    (state_->add_carried(&tiles), ...);
    return std::move(*this);
  }

  struct Sentinel {};
  class Iterator {
  public:
    explicit Iterator(detail::LoopState *state) : state_(state) {}
    Int operator*() const { return Int(iv_); }
    Iterator &operator++() {
      state_->end();
      done_ = true;
      return *this;
    }
    bool operator!=(Sentinel) const { return !done_; }
    detail::Node iv_;

  private:
    detail::LoopState *state_;
    bool done_ = false;
  };

  Iterator begin() {
    Iterator it(state_.get());
    it.iv_ = state_->begin();
    return it;
  }
  Sentinel end() { return {}; }

private:
  std::unique_ptr<detail::LoopState> state_;
};

inline Range range(const Int &start, const Int &end, int64_t step, detail::Loc loc = detail::Loc::current()) {
  return Range(detail::index_value(start, loc), detail::index_value(end, loc),
               detail::int_constant(step, loc), loc);
}
inline Range range(int64_t start, const Int &end, int64_t step, detail::Loc loc = detail::Loc::current()) {
  return Range(detail::int_constant(start, loc), detail::index_value(end, loc),
               detail::int_constant(step, loc), loc);
}
inline Range range(int64_t start, int64_t end, int64_t step = 1, detail::Loc loc = detail::Loc::current()) {
  return Range(detail::int_constant(start, loc), detail::int_constant(end, loc),
               detail::int_constant(step, loc), loc);
}
inline Range range(int64_t start, const Int &end, detail::Loc loc = detail::Loc::current()) {
  return range(start, end, 1, loc);
}

/// cond ? then_fn() : else_fn() for a scalar condition, both branches traced; the
/// branches return tiles of one type and shape.
template <typename ThenFn, typename ElseFn>
auto if_else(const Bool &cond, ThenFn then_fn, ElseFn else_fn, detail::Loc loc = detail::Loc::current()) {
  using Result = std::remove_cvref_t<decltype(then_fn())>;
  static_assert(is_tile_v<Result>, "if_else branches must return a Tile");
  static_assert(std::is_same_v<Result, std::remove_cvref_t<decltype(else_fn())>>,
                "if_else branches must return the same Tile type");
  detail::Node node = detail::if_else(
      cond.node(loc), [&] { return then_fn().node(loc); }, [&] { return else_fn().node(loc); }, loc);
  return Result::from(std::move(node), loc);
}

/// Runs the traced body only when the scalar `cond` holds (no values flow out).
template <typename Fn> void when(const Bool &cond, Fn fn, detail::Loc loc = detail::Loc::current()) {
  detail::when(cond.node(loc), [&] { fn(); }, loc);
}

} // namespace tegula::dsl

#endif
