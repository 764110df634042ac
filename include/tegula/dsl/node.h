// The untyped core of the kernel language: a traced value and the operations on it.
// Tile<T> wraps these with C++ types; the implementations live in lib/dsl and build
// tile-dialect IR. Nothing here exposes MLIR.
#ifndef TEGULA_DSL_NODE_H
#define TEGULA_DSL_NODE_H

#include "tegula/runtime/dtype.h"

#include <cstdint>
#include <functional>
#include <utility>
#include <source_location>
#include <string>
#include <vector>

namespace tegula::dsl::detail {

using Loc = std::source_location;

/// A traced value: an SSA value of the kernel being traced, its shape (empty for a
/// scalar) and its element type.
struct Node {
  void *value = nullptr;
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  bool is_pointer = false; ///< element is "pointer to dtype"
  bool bound() const { return value != nullptr; }
};

enum class BinaryOp { Add, Sub, Mul, Div, Rem, Min, Max, And, Or, Xor, Shl, Shr, ShrLogical };
enum class CompareOp { Lt, Le, Gt, Ge, Eq, Ne };
enum class UnaryOp { Neg, Not, Exp, Exp2, Log, Log2, Sqrt, Rsqrt, Sigmoid, Tanh, Erf, Abs, Sin, Cos };
enum class ReduceOp { Sum, Max, Min, ArgMax, ArgMin };
enum class ScanOp { Sum, Max, Min };
enum class AtomicOp { Add, Max, Min, Xchg };

// Specialization: `value` (a kernel argument) is a multiple of `k`.
void assume_multiple_of(const Node &value, int64_t k, Loc loc);
// The warps a program instance runs as, on targets with warps.
void num_warps(int64_t n, Loc loc);
// Iterations of a loop in flight at once, on targets with asynchronous copies.
void num_stages(int64_t n, Loc loc);

// Construction.
Node program_id(int axis, Loc loc);
Node num_programs(int axis, Loc loc);
Node arange(int64_t start, int64_t end, Loc loc);
Node constant(DType dtype, const std::vector<int64_t> &shape, double value, Loc loc);
Node constant_int(DType dtype, const std::vector<int64_t> &shape, int64_t value, Loc loc);

// Arithmetic. Operands of equal rank broadcast along size-1 dimensions; a scalar
// splats to the other operand's shape. Ranks are never padded implicitly: use
// expand_dims, row() or col().
Node binary(BinaryOp op, const Node &a, const Node &b, Loc loc);
Node compare(CompareOp op, const Node &a, const Node &b, Loc loc);
Node unary(UnaryOp op, const Node &a, Loc loc);
Node select(const Node &cond, const Node &a, const Node &b, Loc loc);
Node cast(const Node &a, DType to, Loc loc);

// Shape.
Node broadcast_to(const Node &a, const std::vector<int64_t> &shape, Loc loc);
Node expand_dims(const Node &a, int axis, Loc loc);
Node reshape(const Node &a, const std::vector<int64_t> &shape, Loc loc);
Node permute(const Node &a, const std::vector<int32_t> &order, Loc loc);

// Pointers and memory.
Node add_offset(const Node &pointer, const Node &offset, Loc loc);
Node load(const Node &pointer, const Node *mask, const Node *other, Loc loc);
void store(const Node &pointer, const Node &value, const Node *mask, Loc loc);
Node gather(const Node &base, const Node &indices, const Node *mask, const Node *other, Loc loc);
Node atomic(AtomicOp op, const Node &pointer, const Node &value, const Node *mask, Loc loc);
Node atomic_cas(const Node &pointer, const Node &compare, const Node &value, Loc loc);

/// A tensor descriptor (opaque to the C++ side but for its block shape).
struct DescNode {
  void *value = nullptr;
  std::vector<int64_t> block;
  DType dtype = DType::F32;
};
DescNode make_desc(const Node &base, const std::vector<Node> &shape,
                   const std::vector<Node> &strides, const std::vector<int64_t> &block, Loc loc);
Node desc_load(const DescNode &desc, const std::vector<Node> &offsets, Loc loc);
void desc_store(const DescNode &desc, const std::vector<Node> &offsets, const Node &value, Loc loc);

Node join(const Node &a, const Node &b, Loc loc);
std::pair<Node, Node> split(const Node &a, Loc loc);

// Compute.
/// Least precision a float dot may use (a backend may be more precise).
enum class Precision { IEEE, TF32, TF32x3 };
Node dot(const Node &a, const Node &b, const Node &acc, Precision precision, Loc loc);
Node reduce(ReduceOp op, const Node &a, int axis, Loc loc);
Node scan(ScanOp op, const Node &a, int axis, bool reverse, Loc loc);
/// Reduction with a traced combiner of two scalars (associative, no identity needed).
Node reduce_with(const Node &a, int axis, const std::function<Node(const Node &, const Node &)> &combine, Loc loc);

// Debugging.
void print(const std::string &prefix, const std::vector<Node> &values, Loc loc);
void assert_true(const Node &condition, const std::string &message, Loc loc);

/// Throws the trace error "file:line: message".
[[noreturn]] void fail(const std::string &message, Loc loc);
/// Fails unless `node` holds a value (a Tile declared but never assigned).
void require_bound(const Node &node, const char *what, Loc loc);

// Scopes: every traced region (loop body, branch) is a scope. A tile variable may only
// be assigned in the scope it belongs to; a loop's carried tiles belong to its body.
int current_scope();
/// Checks an assignment to a variable that belongs to `owner_scope`; `rhs_loc` is where
/// the assigned value was computed (operator= cannot capture its own line, so the
/// error names that line and the variable's declaration).
void check_assignment(int owner_scope, const Loc &declared, const Loc &rhs_loc);

} // namespace tegula::dsl::detail

#endif
