#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace tegula::maia::ir;

#include "dialects/maia/IR/MaiaDialect.cpp.inc"
#include "dialects/maia/IR/MaiaEnums.cpp.inc"

void MaiaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/maia/IR/MaiaOps.cpp.inc"
      >();
}

/// The TSRAM row stride must hold a row when given (0 means dense rows).
static LogicalResult verifyTsramStride(Operation *op, int32_t stride) {
  if (stride < 0)
    return op->emitOpError() << "TSRAM row stride must be 0 (dense) or positive, got " << stride;
  return success();
}

LogicalResult DmaInOp::verify() { return verifyTsramStride(*this, getTsramStride()); }
LogicalResult DmaOutOp::verify() { return verifyTsramStride(*this, getTsramStride()); }

LogicalResult RowOp::verify() {
  bool reduces = getKind() == RowKind::Max || getKind() == RowKind::Sum;
  if (reduces && getVector())
    return emitOpError() << "row " << stringifyRowKind(getKind()) << " reduces rows and takes no vector";
  if (!reduces && !getVector())
    return emitOpError() << "row " << stringifyRowKind(getKind()) << " needs the per-row vector";
  return success();
}

#define GET_OP_CLASSES
#include "dialects/maia/IR/MaiaOps.cpp.inc"
