// The state of the trace in progress, shared by the kernel language's implementation.
#ifndef TEGULA_LIB_DSL_TRACE_STATE_H
#define TEGULA_LIB_DSL_TRACE_STATE_H

#include "tegula/dsl/node.h"
#include "tegula/runtime/kernel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <string>
#include <vector>

namespace tegula::dsl::detail {

struct TraceState {
  mlir::MLIRContext context;
  mlir::OpBuilder builder{&context};
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp func;
  std::vector<std::string> arg_names;
  KernelInfo info;
  std::vector<int> scopes{1}; ///< innermost last; ids are unique within a trace
  int next_scope = 2;
  std::string pending_error; ///< an error found where throwing was not possible

  TraceState();
};

/// The trace on this thread; fails at `loc` when kernel code runs outside a trace.
TraceState &state(Loc loc);
TraceState *state_or_null();
void set_state(TraceState *state);

mlir::Location location(TraceState &s, Loc loc);
std::string where(Loc loc);
mlir::Type scalar_type(mlir::MLIRContext &ctx, DType dtype, bool is_pointer = false);
mlir::Type tile_type(mlir::MLIRContext &ctx, const std::vector<int64_t> &shape, DType dtype,
                     bool is_pointer = false);
mlir::Value value_of(const Node &node);
Node node_of(mlir::Value value);
/// Verifies `op` alone and turns a verifier failure into a trace error at `loc`.
void verify_op(mlir::Operation *op, Loc loc);
std::string shape_string(const std::vector<int64_t> &shape);

int push_scope();
void pop_scope();

} // namespace tegula::dsl::detail

#endif
