// The trace session: one MLIR module per kernel, the scope stack that catches
// un-carried assignments, and the conversion of failures into errors that name the
// kernel's source line.
#include "trace_state.h"

#include "tegula/dsl/trace.h"
#include "tegula/runtime/error.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <numeric>

namespace tegula::dsl::detail {

using namespace mlir;

static thread_local TraceState *gState = nullptr;

TraceState::TraceState() {
  context.loadDialect<tile::TileDialect, arith::ArithDialect, math::MathDialect, scf::SCFDialect,
                      func::FuncDialect, tensor::TensorDialect>();
  // Diagnostics are collected by verify_op; nothing should print on its own.
  context.printOpOnDiagnostic(false);
}

TraceState *state_or_null() { return gState; }
void set_state(TraceState *state) { gState = state; }

TraceState &state(Loc loc) {
  if (!gState)
    fail("kernel-language operation outside a trace (call it from a kernel passed to "
         "compile() or trace())",
         loc);
  return *gState;
}

std::string where(Loc loc) {
  return std::string(loc.file_name()) + ":" + std::to_string(loc.line());
}

void fail(const std::string &message, Loc loc) {
  throw Error(ErrorCode::CompileError, where(loc) + ": " + message);
}

void require_bound(const Node &node, const char *what, Loc loc) {
  if (!node.bound())
    fail(std::string("use of a ") + what + " that was declared but never assigned", loc);
}

Location location(TraceState &s, Loc loc) {
  return FileLineColLoc::get(&s.context, loc.file_name(), loc.line(), loc.column());
}

Type scalar_type(MLIRContext &ctx, DType dtype, bool is_pointer) {
  Type elem;
  switch (dtype) {
  case DType::F32: elem = Float32Type::get(&ctx); break;
  case DType::F16: elem = Float16Type::get(&ctx); break;
  case DType::BF16: elem = BFloat16Type::get(&ctx); break;
  case DType::F64: elem = Float64Type::get(&ctx); break;
  case DType::I1: elem = IntegerType::get(&ctx, 1); break;
  case DType::I8: elem = IntegerType::get(&ctx, 8); break;
  case DType::I32: elem = IntegerType::get(&ctx, 32); break;
  case DType::I64: elem = IntegerType::get(&ctx, 64); break;
  }
  return is_pointer ? Type(tile::PointerType::get(&ctx, elem)) : elem;
}

Type tile_type(MLIRContext &ctx, const std::vector<int64_t> &shape, DType dtype, bool is_pointer) {
  Type elem = scalar_type(ctx, dtype, is_pointer);
  if (shape.empty())
    return elem;
  return RankedTensorType::get(shape, elem);
}

Value value_of(const Node &node) { return Value::getFromOpaquePointer(node.value); }

static DType dtype_of_type(Type t) {
  if (t.isF32()) return DType::F32;
  if (t.isF16()) return DType::F16;
  if (t.isBF16()) return DType::BF16;
  if (t.isF64()) return DType::F64;
  if (t.isInteger(1)) return DType::I1;
  if (t.isInteger(8)) return DType::I8;
  if (t.isInteger(32)) return DType::I32;
  return DType::I64;
}

Node node_of(Value value) {
  Node node;
  node.value = value.getAsOpaquePointer();
  Type elem = value.getType();
  if (auto tensor = dyn_cast<RankedTensorType>(elem)) {
    node.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    elem = tensor.getElementType();
  }
  if (auto ptr = dyn_cast<tile::PointerType>(elem)) {
    node.is_pointer = true;
    elem = ptr.getPointeeType();
  }
  node.dtype = dtype_of_type(elem);
  return node;
}

void verify_op(Operation *op, Loc loc) {
  std::string message;
  ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
    if (message.empty())
      message = diag.str();
    return success();
  });
  if (failed(mlir::verify(op, /*verifyRecursively=*/false)))
    fail(message.empty() ? "invalid operation" : message, loc);
}

std::string shape_string(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

int current_scope() { return gState ? gState->scopes.back() : 0; }

int push_scope() {
  TraceState &s = *gState;
  s.scopes.push_back(s.next_scope++);
  return s.scopes.back();
}

void pop_scope() { gState->scopes.pop_back(); }

void check_assignment(int owner_scope, const Loc &declared, const Loc &rhs_loc) {
  if (!gState || owner_scope == current_scope())
    return;
  fail("the value computed here is assigned to a tile declared at line " + std::to_string(declared.line()) +
           ", outside the traced loop or branch, without carrying it; name the tile in "
           "range(...).carry(...) (or return the value from the if_else branch)",
       rhs_loc);
}

//===----------------------------------------------------------------------===//
// TraceSession
//===----------------------------------------------------------------------===//

struct TraceSession::Impl {
  TraceState state;
  TraceState *previous = nullptr;
};

TraceSession::TraceSession(const std::string &name, std::vector<std::string> arg_names)
    : impl_(std::make_unique<Impl>()) {
  TraceState &s = impl_->state;
  impl_->previous = gState;
  gState = &s;
  s.arg_names = std::move(arg_names);
  s.info.name = name;
  Location loc = UnknownLoc::get(&s.context);
  s.module = ModuleOp::create(loc);
  s.builder.setInsertionPointToEnd(s.module->getBody());
  s.func = func::FuncOp::create(s.builder, loc, name, s.builder.getFunctionType({}, {}));
  s.func->setAttr(tile::kKernelAttrName, s.builder.getUnitAttr());
  Block *entry = s.func.addEntryBlock();
  s.builder.setInsertionPointToStart(entry);
}

TraceSession::~TraceSession() { gState = impl_->previous; }

Node TraceSession::add_param(DType dtype, bool is_pointer) {
  TraceState &s = impl_->state;
  Type type = scalar_type(s.context, dtype, is_pointer);
  unsigned index = s.func.getNumArguments();
  if (failed(s.func.insertArgument(index, type, {}, s.func.getLoc())))
    throw Error(ErrorCode::CompileError, "cannot add kernel argument");
  ArgSpec spec;
  spec.kind = is_pointer ? ArgSpec::Kind::Buffer : ArgSpec::Kind::Scalar;
  spec.dtype = dtype;
  spec.name = index < s.arg_names.size() ? s.arg_names[index] : "arg" + std::to_string(index);
  s.info.args.push_back(spec);
  return node_of(s.func.getArgument(index));
}

void assume_multiple_of(const Node &value, int64_t k, Loc loc) {
  TraceState &s = state(loc);
  if (k < 1 || k > (int64_t{1} << 30))
    fail("assume_multiple_of takes a multiple in 1..2^30, got " + std::to_string(k), loc);
  auto arg = dyn_cast<BlockArgument>(value_of(value));
  if (!arg || arg.getOwner() != &s.func.getBody().front())
    fail("assume_multiple_of takes a kernel argument, as the kernel receives it", loc);
  ArgSpec &spec = s.info.args[arg.getArgNumber()];
  // A buffer's promise is its address in bytes; the IR counts a pointer in elements.
  const int64_t element = spec.kind == ArgSpec::Kind::Buffer ? static_cast<int64_t>(dtype_size(spec.dtype)) : 1;
  if (k % element != 0)
    fail("assume_multiple_of on a buffer of " + std::string(dtype_name(spec.dtype)) + " takes a multiple of its " +
             std::to_string(element) + "-byte elements, got " + std::to_string(k) + " bytes",
         loc);
  if (std::lcm(spec.multiple_of, k) > (int64_t{1} << 30))
    fail("assume_multiple_of: " + std::to_string(spec.multiple_of) + " and " + std::to_string(k) +
             " together exceed 2^30", loc);
  spec.multiple_of = std::lcm(spec.multiple_of, k);
  s.func.setArgAttr(arg.getArgNumber(), tile::kDivisibilityAttrName,
                    s.builder.getI32IntegerAttr(static_cast<int32_t>(spec.multiple_of / element)));
}

void num_warps(int64_t n, Loc loc) {
  TraceState &s = state(loc);
  if (n < 1 || n > tile::kMaxNumWarps || (n & (n - 1)) != 0)
    fail("num_warps takes a power of two from 1 to " + std::to_string(tile::kMaxNumWarps) + ", got " +
             std::to_string(n),
         loc);
  if (auto chosen = s.func->getAttrOfType<IntegerAttr>(tile::kNumWarpsAttrName); chosen && chosen.getInt() != n)
    fail("num_warps(" + std::to_string(n) + ") after num_warps(" + std::to_string(chosen.getInt()) +
             "): a kernel runs as one number of warps",
         loc);
  s.func->setAttr(tile::kNumWarpsAttrName, s.builder.getI64IntegerAttr(n));
}

void num_stages(int64_t n, Loc loc) {
  TraceState &s = state(loc);
  if (n < 1 || n > tile::kMaxNumStages)
    fail("num_stages takes 1 to " + std::to_string(tile::kMaxNumStages) + ", got " + std::to_string(n), loc);
  if (auto chosen = s.func->getAttrOfType<IntegerAttr>(tile::kNumStagesAttrName); chosen && chosen.getInt() != n)
    fail("num_stages(" + std::to_string(n) + ") after num_stages(" + std::to_string(chosen.getInt()) +
             "): a kernel runs with one number of stages",
         loc);
  s.func->setAttr(tile::kNumStagesAttrName, s.builder.getI64IntegerAttr(n));
}

TracedKernel TraceSession::finish() {
  TraceState &s = impl_->state;
  if (!s.pending_error.empty())
    throw Error(ErrorCode::CompileError, s.pending_error);
  if (s.arg_names.size() > s.info.args.size())
    throw Error(ErrorCode::CompileError, "kernel '" + s.info.name + "' has " +
                                             std::to_string(s.info.args.size()) + " arguments but " +
                                             std::to_string(s.arg_names.size()) + " names were given");
  s.builder.setInsertionPointToEnd(&s.func.getBody().front());
  func::ReturnOp::create(s.builder, s.func.getLoc());
  std::string message;
  {
    ScopedDiagnosticHandler handler(&s.context, [&](Diagnostic &diag) {
      if (message.empty()) {
        llvm::raw_string_ostream os(message);
        os << diag.getLocation() << ": " << diag.str();
      }
      return success();
    });
    if (failed(mlir::verify(*s.module)))
      throw Error(ErrorCode::CompileError, "kernel '" + s.info.name + "' is invalid: " + message);
  }
  TracedKernel traced;
  traced.name = s.info.name;
  traced.info = s.info;
  llvm::raw_string_ostream os(traced.ir);
  s.module->print(os, OpPrintingFlags().enableDebugInfo(/*enable=*/true, /*prettyForm=*/false));
  llvm::raw_string_ostream pretty(traced.pretty_ir);
  s.module->print(pretty);
  return traced;
}

} // namespace tegula::dsl::detail
