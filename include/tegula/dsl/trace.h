// Tracing a C++ kernel function into tile-dialect IR.
#ifndef TEGULA_DSL_TRACE_H
#define TEGULA_DSL_TRACE_H

#include "tegula/dsl/tile.h"
#include "tegula/runtime/kernel.h"

#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tegula::dsl {

/// The result of tracing: the kernel's tile-dialect module as text (with source
/// locations) and its signature.
struct TracedKernel {
  std::string name;
  std::string ir; ///< tile dialect, with `loc(...)` for every op
  KernelInfo info;
  std::string pretty_ir; ///< the same IR without locations, for people
};

namespace detail {
/// One trace in progress on this thread; kernel-language calls build IR into it.
class TraceSession {
public:
  TraceSession(const std::string &name, std::vector<std::string> arg_names);
  ~TraceSession();
  TraceSession(const TraceSession &) = delete;
  TraceSession &operator=(const TraceSession &) = delete;

  Node add_param(DType dtype, bool is_pointer);
  /// Closes the function, verifies it and returns the IR; throws the first trace error.
  TracedKernel finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <typename P> P make_param(TraceSession &session) {
  using T = typename P::element_type;
  if constexpr (PointerDType<T>)
    return P(session.add_param(T::pointee::dtype, true));
  else
    return P(session.add_param(T::dtype, false));
}

template <typename... Params, typename... Meta, size_t... I>
TracedKernel trace_impl(TraceSession &session, void (*fn)(Params...), std::index_sequence<I...>,
                        const Meta &...meta) {
  using ParamTuple = std::tuple<std::remove_cvref_t<Params>...>;
  static_assert((is_tile_v<std::tuple_element_t<I, ParamTuple>> && ...),
                "kernel parameters before the meta-parameters must be Ptr<T> or scalar Tile<T>");
  // Parameters are created in order before the call (braced init is sequenced).
  std::tuple<std::tuple_element_t<I, ParamTuple>...> args{
      make_param<std::tuple_element_t<I, ParamTuple>>(session)...};
  fn(std::get<I>(args)..., meta...);
  return session.finish();
}
} // namespace detail

/// Traces `fn(params..., meta...)`: the leading parameters become kernel arguments,
/// the trailing ones receive `meta` (plain C++ values fixed at trace time).
/// Throws tegula::Error(CompileError) naming the kernel's source line on a bad kernel.
template <typename... Params, typename... Meta>
TracedKernel trace(const std::string &name, void (*fn)(Params...),
                   std::vector<std::string> arg_names, const Meta &...meta) {
  static_assert(sizeof...(Params) >= sizeof...(Meta), "more meta-parameters than parameters");
  detail::TraceSession session(name, std::move(arg_names));
  return detail::trace_impl(session, fn,
                            std::make_index_sequence<sizeof...(Params) - sizeof...(Meta)>{}, meta...);
}

} // namespace tegula::dsl

#endif
