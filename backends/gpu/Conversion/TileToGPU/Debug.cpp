// device_print and device_assert on a GPU. Each element is one gpu.printf line, printed
// by the thread holding its first copy, in the CPU's format ("[program (x,y,z)] print
// "p" at file:line:col [i] = v"). A failed assertion prints its report from the failing
// thread and traps: on a GPU the block stops there and the launch fails, where the CPU
// runs on and reports once every instance has finished. (The cuda target turns the
// trap into CUDA's __assertfail, so that the driver reports an assertion.)
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

/// `text` as literal characters of a printf format.
std::string escapeFormat(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += '%';
    out += c;
  }
  return out;
}

} // namespace

/// For each element of `value` this thread prints or checks (non-copy registers, where
/// it holds the first copy; a scalar: the first thread): `emit(element, linear index or
/// null, predicate or null)`.
LogicalResult KernelLowering::forEachOwnedElement(Operation *op, Value value,
                                                  function_ref<void(Value, Value, Value)> emit) {
  Location loc = op->getLoc();
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type) {
    Value first = firstThread(loc);
    emit(scalar(value), Value(), first);
    return success();
  }
  FailureOr<LinearLayout> layout = layoutOf(value, op);
  if (failed(layout))
    return failure();
  const uint64_t copies = copyRegisterBits(*layout);
  Value first = firstCopy(*layout, loc);
  const SmallVector<Value> &elements = regs(value);
  for (int64_t r = 0; r < static_cast<int64_t>(elements.size()); ++r) {
    if (r & copies)
      continue;
    SmallVector<Value> coords;
    for (int d = 0; d < type.getRank(); ++d)
      coords.push_back(coordinate(*layout, r, d, loc));
    emit(elements[r], rowMajorOffset(coords, type.getShape(), loc), first);
  }
  return success();
}

SmallVector<Value> KernelLowering::programId(Location loc) {
  SmallVector<Value> ids;
  for (auto dim : {::mlir::gpu::Dimension::x, ::mlir::gpu::Dimension::y, ::mlir::gpu::Dimension::z})
    ids.push_back(arith::IndexCastOp::create(b, loc, b.getI32Type(), ::mlir::gpu::BlockIdOp::create(b, loc, dim)));
  return ids;
}

LogicalResult KernelLowering::lowerPrint(Operation *op) {
  auto print = cast<tile::PrintOp>(op);
  Location loc = op->getLoc();
  const std::string head =
      "[program (%d,%d,%d)] print \"" + escapeFormat(print.getPrefix()) + "\" at " + escapeFormat(tile::sourcePosition(loc));
  for (Value value : print.getValues()) {
    Type element = elementType(value.getType());
    if (!element.isIntOrFloat())
      return op->emitError("device_print prints numbers, not ") << element;
    LogicalResult done = forEachOwnedElement(op, value, [&](Value x, Value index, Value predicate) {
      OpBuilder::InsertionGuard guard(b);
      if (predicate) {
        auto branch = scf::IfOp::create(b, loc, TypeRange{}, predicate, /*withElseRegion=*/false);
        b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
      }
      SmallVector<Value> args = programId(loc);
      std::string format = head;
      if (index) {
        format += " [%d]";
        args.push_back(index);
      }
      if (isa<FloatType>(element)) {
        format += " = %.9g\n";
        args.push_back(element.isF64() ? x : Value(arith::ExtFOp::create(b, loc, b.getF64Type(), x)));
      } else {
        format += " = %lld\n";
        Type i64 = b.getI64Type();
        args.push_back(element.isInteger(64)  ? x
                       : element.isInteger(1) ? Value(arith::ExtUIOp::create(b, loc, i64, x))
                                              : Value(arith::ExtSIOp::create(b, loc, i64, x)));
      }
      ::mlir::gpu::PrintfOp::create(b, loc, b.getStringAttr(format), args);
    });
    if (failed(done))
      return failure();
  }
  return success();
}

LogicalResult KernelLowering::lowerAssert(Operation *op) {
  auto check = cast<tile::AssertOp>(op);
  Location loc = op->getLoc();
  auto kernel = cast<::mlir::gpu::GPUFuncOp>(kernel_);
  const std::string head = ir::kAssertReportPrefix.str() + escapeFormat(kernel.getName()) +
                           "': assertion \"" + escapeFormat(check.getMessage()) + "\" at " +
                           escapeFormat(tile::sourcePosition(loc)) + " failed in program (%d,%d,%d)";
  return forEachOwnedElement(op, check.getCondition(), [&](Value ok, Value index, Value predicate) {
    Value failing = arith::XOrIOp::create(b, loc, ok, i1(true, loc));
    if (predicate)
      failing = arith::AndIOp::create(b, loc, failing, predicate);
    OpBuilder::InsertionGuard guard(b);
    auto branch = scf::IfOp::create(b, loc, TypeRange{}, failing, /*withElseRegion=*/false);
    b.setInsertionPoint(branch.getThenRegion().front().getTerminator());
    SmallVector<Value> args = programId(loc);
    std::string format = head;
    if (index) {
      format += " at element %d";
      args.push_back(index);
    }
    ::mlir::gpu::PrintfOp::create(b, loc, b.getStringAttr(format + "\n"), args);
    LLVM::Trap::create(b, loc);
  });
}

} // namespace tegula::gpu::lowering
