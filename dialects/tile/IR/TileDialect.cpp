#include "dialects/tile/IR/TileDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tegula::tile;

#include "dialects/tile/IR/TileDialect.cpp.inc"
#include "dialects/tile/IR/TileEnums.cpp.inc"

// Block shapes print as `64x32xf32`, like a tensor type's body.
static ParseResult parseBlockShape(AsmParser &parser, SmallVector<int64_t> &shape,
                                   Type &elementType) {
  if (parser.parseDimensionList(shape, /*allowDynamic=*/false, /*withTrailingX=*/true) ||
      parser.parseType(elementType))
    return failure();
  return success();
}

static void printBlockShape(AsmPrinter &printer, ArrayRef<int64_t> shape, Type elementType) {
  for (int64_t dim : shape)
    printer << dim << "x";
  printer << elementType;
}

#define GET_TYPEDEF_CLASSES
#include "dialects/tile/IR/TileTypes.cpp.inc"

void TileDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/tile/IR/TileTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/tile/IR/TileOps.cpp.inc"
      >();
}

LogicalResult TileDialect::verifyOperationAttribute(Operation *op, NamedAttribute attribute) {
  const StringRef name = attribute.getName().getValue();
  if (name == kKernelAttrName) {
    if (!isa<UnitAttr>(attribute.getValue()))
      return op->emitError() << "'" << name << "' is a unit attribute";
    return success();
  }
  if (name == kNumWarpsAttrName) {
    auto warps = dyn_cast<IntegerAttr>(attribute.getValue());
    const int64_t n = warps ? warps.getValue().getSExtValue() : 0;
    if (!warps || n < 1 || n > kMaxNumWarps || (n & (n - 1)) != 0)
      return op->emitError() << "'" << name << "' takes a power of two from 1 to " << kMaxNumWarps << ", got "
                             << attribute.getValue();
    return success();
  }
  if (name == kNumStagesAttrName) {
    auto stages = dyn_cast<IntegerAttr>(attribute.getValue());
    const int64_t n = stages ? stages.getValue().getSExtValue() : 0;
    if (!stages || n < 1 || n > kMaxNumStages)
      return op->emitError() << "'" << name << "' takes 1 to " << kMaxNumStages << ", got " << attribute.getValue();
    return success();
  }
  return op->emitError() << "unknown tile dialect attribute '" << name << "'";
}

ArrayRef<int64_t> tegula::tile::shapeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getShape();
  return {};
}

Type tegula::tile::elementTypeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getElementType();
  return type;
}
