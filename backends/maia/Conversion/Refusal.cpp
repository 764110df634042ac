#include "backends/maia/Conversion/Refusal.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

namespace tegula::maia::lowering {

namespace {

using mlir::Operation;
using mlir::Type;

/// The element type's name as the language writes it ("f32", "bf16", "i32", "bool").
std::string dtypeName(Type t) {
  if (t.isInteger(1))
    return "bool";
  if (mlir::isa<tile::PointerType>(t))
    return "pointer";
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

/// " of f32 tiles" / " of i32 scalars": the data the construct makes (a comparison:
/// the data it compares; a store: the data it writes), never the pointers.
std::string operandsPhrase(Operation *op) {
  auto data = [](Type t) {
    auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(t);
    Type elem = tensor ? tensor.getElementType() : t;
    return !mlir::isa<tile::PointerType, tile::TensorDescType>(elem) && (tensor || t.isIntOrIndexOrFloat());
  };
  auto describe = [](Type t) -> std::string {
    if (auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(t))
      return " of " + dtypeName(tensor.getElementType()) + " tiles";
    return " of " + dtypeName(t) + " scalars";
  };
  // Control flow is named with the tiles it carries or yields, if any.
  if (mlir::isa<mlir::scf::ForOp, mlir::scf::IfOp, mlir::scf::WhileOp>(op)) {
    for (Type t : op->getResultTypes())
      if (auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(t); tensor && data(t))
        return (mlir::isa<mlir::scf::IfOp>(op) ? " yielding " : " carrying ") + dtypeName(tensor.getElementType()) +
               " tiles";
    return "";
  }
  // A comparison is named by what it compares, a reduction or scan by the tile it
  // reads, not by their results.
  const bool compares = mlir::isa<mlir::arith::CmpFOp, mlir::arith::CmpIOp, tile::ReduceOp, tile::ReduceWithOp,
                                  tile::ScanOp>(op);
  if (!compares)
    for (Type t : op->getResultTypes())
      if (data(t))
        return describe(t);
  for (Type t : op->getOperandTypes())
    if (data(t) && mlir::isa<mlir::RankedTensorType>(t))
      return describe(t);
  for (Type t : op->getOperandTypes())
    if (data(t))
      return describe(t);
  return "";
}

/// The language's name of each operation the kernel language traces to.
const llvm::StringMap<std::string> &languageNames() {
  static const llvm::StringMap<std::string> names = {
      {"arith.addf", "`+`"}, {"arith.addi", "`+`"}, {"arith.subf", "`-`"}, {"arith.subi", "`-`"},
      {"arith.mulf", "`*`"}, {"arith.muli", "`*`"}, {"arith.divf", "`/`"}, {"arith.divsi", "integer `/`"},
      {"arith.divui", "unsigned `/`"}, {"arith.remsi", "integer `%`"}, {"arith.remui", "unsigned `%`"},
      {"arith.remf", "`fmod`"}, {"arith.negf", "unary `-`"}, {"arith.andi", "`&`"}, {"arith.ori", "`|`"},
      {"arith.xori", "`^`"}, {"arith.shli", "`<<`"}, {"arith.shrsi", "`>>`"}, {"arith.shrui", "`shr_logical`"},
      {"arith.maxnumf", "`maximum`"}, {"arith.maximumf", "`maximum`"}, {"arith.maxsi", "`maximum`"},
      {"arith.minnumf", "`minimum`"}, {"arith.minimumf", "`minimum`"}, {"arith.minsi", "`minimum`"},
      {"arith.cmpf", "a comparison (`<`, `==`, ...)"}, {"arith.cmpi", "a comparison (`<`, `==`, ...)"},
      {"arith.select", "`where`"}, {"arith.constant", "a constant"},
      {"arith.extf", "`cast`"}, {"arith.truncf", "`cast`"}, {"arith.extsi", "`cast`"}, {"arith.extui", "`cast`"},
      {"arith.trunci", "`cast`"}, {"arith.sitofp", "`cast`"}, {"arith.uitofp", "`cast`"},
      {"arith.fptosi", "`cast`"}, {"arith.fptoui", "`cast`"}, {"arith.bitcast", "`bitcast`"},
      {"math.exp", "`exp`"}, {"math.exp2", "`exp2`"}, {"math.log", "`log`"}, {"math.log2", "`log2`"},
      {"math.sqrt", "`sqrt`"}, {"math.rsqrt", "`rsqrt`"}, {"math.tanh", "`tanh`"}, {"math.erf", "`erf`"},
      {"math.sin", "`sin`"}, {"math.cos", "`cos`"}, {"math.absf", "`abs`"}, {"math.absi", "`abs`"},
      {"math.fma", "`fma`"}, {"math.floor", "`floor`"}, {"math.ceil", "`ceil`"},
      {"tile.program_id", "`program_id`"}, {"tile.num_programs", "`num_programs`"},
      {"tile.range", "`arange`"}, {"tile.splat", "a scalar used as a tile"}, {"tile.broadcast", "a broadcast"},
      {"tile.expand_dims", "`expand_dims` (`row()`, `col()`)"}, {"tile.reshape", "`reshape`"},
      {"tile.trans", "`trans`"}, {"tile.addptr", "pointer arithmetic"}, {"tile.load", "`load`"},
      {"tile.store", "`store`"}, {"tile.gather", "a gather (`load` through pointers that are not a block)"},
      {"tile.make_desc", "`make_desc`"}, {"tile.desc_load", "a descriptor's `load`"},
      {"tile.desc_store", "`store` through a descriptor"}, {"tile.atomic_rmw", "an atomic (`atomic_add`, ...)"},
      {"tile.atomic_cas", "`atomic_cas`"}, {"tile.dot", "`dot`"},
      {"tile.reduce", "a reduction (`sum`, `max`, `min`, `argmax`, `argmin`)"},
      {"tile.scan", "a scan (`cumsum`, `cummax`, ...)"}, {"tile.reduce_with", "`reduce` with a combine function"},
      {"tile.join", "`join`"}, {"tile.split", "`split`"}, {"tile.print", "`device_print`"},
      {"tile.assert", "`device_assert`"}, {"scf.if", "`when` / `if_else`"}, {"scf.for", "a `range` loop"},
      {"scf.while", "`while_`"}, {"func.func", "the kernel"},
  };
  return names;
}

} // namespace

std::string constructOf(Operation *op) {
  if (!op)
    return "the kernel";
  const std::string name = op->getName().getStringRef().str();
  const auto &names = languageNames();
  auto it = names.find(name);
  std::string construct = it != names.end() ? it->second : "'" + name + "'";
  if (name == "func.func")
    return construct;
  // A cast names both sides; a masked load says it is masked.
  if (mlir::isa<mlir::arith::ExtFOp, mlir::arith::TruncFOp, mlir::arith::ExtSIOp, mlir::arith::ExtUIOp,
                mlir::arith::TruncIOp, mlir::arith::SIToFPOp, mlir::arith::UIToFPOp, mlir::arith::FPToSIOp,
                mlir::arith::FPToUIOp>(op)) {
    auto elem = [](Type t) {
      if (auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(t))
        return tensor.getElementType();
      return t;
    };
    const bool tiles = mlir::isa<mlir::RankedTensorType>(op->getResult(0).getType());
    return construct + " from " + dtypeName(elem(op->getOperand(0).getType())) + " to " +
           dtypeName(elem(op->getResult(0).getType())) + (tiles ? " tiles" : " scalars");
  }
  if (auto load = mlir::dyn_cast<tile::LoadOp>(op); load && load.getMask())
    construct = "a masked " + construct;
  return construct + operandsPhrase(op);
}

std::string refusalMessage(Operation *op, RefusalKind kind, const std::string &why) {
  return constructOf(op) +
         (kind == RefusalKind::MachineLimit ? ": beyond the Maia machine: " : ": not lowered to Maia yet: ") + why;
}

} // namespace tegula::maia::lowering
