// Shared pieces of the tile -> linalg/tensor/scf lowering for the CPU.
#ifndef TEGULA_BACKENDS_CPU_CONVERSION_TILETOLINALG_PATTERNS_H
#define TEGULA_BACKENDS_CPU_CONVERSION_TILETOLINALG_PATTERNS_H

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <functional>

namespace tegula::cpu {

/// State shared by the patterns of one run: the bounds-check mode and the table of
/// access sites that the runtime reports failures against.
struct LoweringState {
  bool boundsCheck = false;
  llvm::SmallVector<mlir::Attribute> sites;
  /// Registers `op` as a reporting site ("<what> at file:line:col", `what` defaulting to
  /// the op's name) and returns its id.
  int32_t addSite(mlir::Operation *op, llvm::StringRef what = {});
};

/// Pointers become i64 addresses (tiles of pointers, tiles of i64).
class TileTypeConverter : public mlir::TypeConverter {
public:
  TileTypeConverter();
};

using ScalarBodyFn =
    std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// A linalg.generic applying `fn` to the elements of `inputs` (tiles of resultType's
/// shape; scalars are broadcast).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType, mlir::ValueRange inputs,
                             const ScalarBodyFn &fn);

/// Visits every index of `shape` in row-major order (the last dimension fastest),
/// threading `iterArgs` through the loop nest.
mlir::scf::LoopNest forEachIndex(
    mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> shape, mlir::ValueRange iterArgs,
    llvm::function_ref<mlir::scf::ValueVector(mlir::OpBuilder &, mlir::Location, mlir::ValueRange,
                                               mlir::ValueRange)>
        body);

/// Bytes of one element of `type`, as an i64 constant.
mlir::Value elementBytes(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);
/// Sign-extends (or passes through) an integer scalar to i64.
mlir::Value toI64(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);
/// A zero of scalar type `type`.
mlir::Value zeroOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);

/// Loads one `type` at `address` when `enabled` (null: always) and the bounds check, if
/// on, passes; otherwise yields `otherwise` (null: zero).
mlir::Value buildGuardedLoad(mlir::OpBuilder &b, mlir::Location loc, LoweringState &state,
                             int32_t site, mlir::Type type, mlir::Value address,
                             mlir::Value enabled, mlir::Value otherwise);
/// Stores `value` at `address` under the same guards as buildGuardedLoad.
void buildGuardedStore(mlir::OpBuilder &b, mlir::Location loc, LoweringState &state,
                       int32_t site, mlir::Value value, mlir::Value address,
                       mlir::Value enabled);
/// Runs `fn` under the guards; fn yields one value, `otherwise` is yielded when skipped.
mlir::Value buildGuarded(mlir::OpBuilder &b, mlir::Location loc, LoweringState &state,
                         int32_t site, mlir::Type accessType, mlir::Value address,
                         mlir::Value enabled, mlir::Value otherwise,
                         const std::function<mlir::Value(mlir::OpBuilder &, mlir::Location)> &fn);

/// The runtime function performing one atomic `kind` ("add", "max", "min", "xchg",
/// "cas") on `type`. Atomics are calls rather than llvm.atomicrmw because the buffer
/// deallocation pipeline rejects ops with no declared memory effects.
std::string atomicFunctionName(llvm::StringRef kind, mlir::Type type);

void populateShapeAndComputePatterns(TileTypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);
void populateDebugPatterns(TileTypeConverter &converter, mlir::RewritePatternSet &patterns,
                           LoweringState &state);
void populateMemoryPatterns(TileTypeConverter &converter, mlir::RewritePatternSet &patterns,
                            LoweringState &state);

} // namespace tegula::cpu

#endif
