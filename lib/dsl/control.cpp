// Traced loops and branches: scf.for with the carried tiles as iter_args, scf.if with
// results, and the checks that keep C++ control flow from silently escaping the trace.
#include "trace_state.h"

#include "tegula/dsl/control.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <exception>

namespace tegula::dsl::detail {

using namespace mlir;

Node index_value(const Tile<i32> &t, Loc loc) {
  const Node &n = t.node(loc);
  if (!n.shape.empty())
    fail("loop bounds must be scalars, got a " + shape_string(n.shape) + " tile", loc);
  return n;
}

Node int_constant(int64_t v, Loc loc) {
  if (v < INT32_MIN || v > INT32_MAX)
    fail("loop bound " + std::to_string(v) + " does not fit in i32", loc);
  return constant_int(DType::I32, {}, v, loc);
}

Node LoopState::begin() {
  TraceState &s = state(loc_);
  exceptions_at_begin_ = std::uncaught_exceptions();
  SmallVector<Value> inits;
  for (TileBase *t : carried_) {
    if (!t->bound())
      fail("a carried tile is not assigned before the loop; initialize it (e.g. with zeros)", loc_);
    if (t->owner_scope() != current_scope())
      fail("this loop carries a tile that an enclosing loop or branch does not carry; carry it "
           "there too",
           loc_);
    inits.push_back(value_of(t->raw_node()));
  }
  auto forOp = scf::ForOp::create(s.builder, location(s, loc_), value_of(start_), value_of(end_),
                                  value_of(step_), inits);
  op_ = forOp.getOperation();
  Block *body = forOp.getBody();
  if (body->mightHaveTerminator())
    s.builder.setInsertionPoint(body->getTerminator());
  else
    s.builder.setInsertionPointToEnd(body);
  int scope = push_scope();
  for (auto [i, t] : llvm::enumerate(carried_)) {
    saved_scopes_.push_back(t->owner_scope());
    t->set_owner_scope(scope);
    t->raw_node().value = forOp.getRegionIterArgs()[i].getAsOpaquePointer();
  }
  open_ = true;
  return node_of(forOp.getInductionVar());
}

void LoopState::end() {
  TraceState &s = state(loc_);
  auto forOp = cast<scf::ForOp>(static_cast<Operation *>(op_));
  SmallVector<Value> yielded;
  for (auto [i, t] : llvm::enumerate(carried_)) {
    Value v = value_of(t->raw_node());
    Type expected = forOp.getRegionIterArgs()[i].getType();
    if (v.getType() != expected) {
      std::string msg;
      llvm::raw_string_ostream os(msg);
      os << "carried tile " << i << " changes type in the loop body from " << expected << " to "
         << v.getType() << "; a carried tile keeps its shape and dtype";
      fail(msg, loc_);
    }
    yielded.push_back(v);
  }
  Block *body = forOp.getBody();
  if (body->mightHaveTerminator()) {
    if (!yielded.empty())
      fail("internal: loop body already terminated", loc_);
  } else {
    scf::YieldOp::create(s.builder, location(s, loc_), yielded);
  }
  pop_scope();
  s.builder.setInsertionPointAfter(forOp);
  for (auto [i, t] : llvm::enumerate(carried_)) {
    t->raw_node().value = forOp.getResult(i).getAsOpaquePointer();
    t->set_owner_scope(saved_scopes_[i]);
  }
  closed_ = true;
  verify_op(forOp, loc_);
}

LoopState::~LoopState() {
  if (!open_ || closed_)
    return;
  // The body was left without finishing: `break`, `return`, or an exception. Restore the
  // builder so the trace can report cleanly; only the first two are the kernel's fault.
  TraceState *s = state_or_null();
  if (!s)
    return;
  pop_scope();
  auto forOp = cast<scf::ForOp>(static_cast<Operation *>(op_));
  s->builder.setInsertionPointAfter(forOp);
  for (auto [i, t] : llvm::enumerate(carried_))
    t->set_owner_scope(saved_scopes_[i]);
  if (std::uncaught_exceptions() == exceptions_at_begin_ && s->pending_error.empty())
    s->pending_error = where(loc_) +
                       ": the traced loop was left early (break or return inside its body); a "
                       "traced loop runs every iteration: use masks or where() instead";
}

Node if_else(const Node &cond, const std::function<Node()> &then_fn,
             const std::function<Node()> &else_fn, Loc loc) {
  TraceState &s = state(loc);
  require_bound(cond, "condition", loc);
  if (!cond.shape.empty() || cond.dtype != DType::I1)
    fail("if_else needs a scalar bool condition; for tiles use where()", loc);
  Location l = location(s, loc);
  auto placeholder = scf::IfOp::create(s.builder, l, TypeRange{}, value_of(cond), /*withElse=*/true);
  auto trace_branch = [&](Block *block, const std::function<Node()> &fn) {
    OpBuilder::InsertionGuard guard(s.builder);
    s.builder.setInsertionPoint(block->getTerminator());
    push_scope();
    Node result;
    try {
      result = fn();
    } catch (...) {
      pop_scope();
      throw;
    }
    pop_scope();
    return result;
  };
  Node thenValue = trace_branch(placeholder.thenBlock(), then_fn);
  Node elseValue = trace_branch(placeholder.elseBlock(), else_fn);
  Type type = value_of(thenValue).getType();
  if (value_of(elseValue).getType() != type)
    fail("if_else branches yield different shapes or dtypes: " + shape_string(thenValue.shape) + " and " +
             shape_string(elseValue.shape), loc);
  auto ifOp = scf::IfOp::create(s.builder, l, TypeRange{type}, value_of(cond), /*withElse=*/true);
  for (auto [from, to] : {std::pair{&placeholder.getThenRegion(), &ifOp.getThenRegion()},
                          std::pair{&placeholder.getElseRegion(), &ifOp.getElseRegion()}}) {
    to->takeBody(*from);
  }
  auto retarget = [&](Block *block, Node value) {
    Operation *terminator = block->getTerminator();
    OpBuilder b(terminator);
    scf::YieldOp::create(b, l, value_of(value));
    terminator->erase();
  };
  retarget(ifOp.thenBlock(), thenValue);
  retarget(ifOp.elseBlock(), elseValue);
  placeholder.erase();
  verify_op(ifOp, loc);
  return node_of(ifOp.getResult(0));
}

void when(const Node &cond, const std::function<void()> &fn, Loc loc) {
  TraceState &s = state(loc);
  require_bound(cond, "condition", loc);
  if (!cond.shape.empty() || cond.dtype != DType::I1)
    fail("when needs a scalar bool condition; for tiles use masks", loc);
  auto ifOp = scf::IfOp::create(s.builder, location(s, loc), TypeRange{}, value_of(cond), /*withElse=*/false);
  OpBuilder::InsertionGuard guard(s.builder);
  s.builder.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  push_scope();
  try {
    fn();
  } catch (...) {
    pop_scope();
    throw;
  }
  pop_scope();
}

} // namespace tegula::dsl::detail
