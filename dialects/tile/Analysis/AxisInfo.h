// Axis info: what is known, dimension by dimension, about how the integer and pointer
// values of a kernel vary. Lowerings need it to turn a tile of pointers into vector
// accesses: runs of consecutive addresses that start at aligned addresses.
#ifndef TEGULA_DIALECTS_TILE_ANALYSIS_AXISINFO_H
#define TEGULA_DIALECTS_TILE_ANALYSIS_AXISINFO_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace tegula::tile {

/// What is known about an integer or pointer value (a scalar or a tile) along each of
/// its dimensions. A scalar is described as a tile of shape [1].
///
/// Along dimension d, cut every line of the tile into blocks of `contiguity[d]`
/// elements, the first block starting at index 0. Within a block each element is the
/// previous one plus 1, and the first element of every block is a multiple of
/// `divisibility[d]`; when contiguity[d] is 1, every element is. Likewise, blocks of
/// `constancy[d]` elements hold equal values. Contiguity and constancy divide the size
/// of the dimension; divisibility is a power of two, at most kMaxDivisibility (which
/// then stands for zero as well as for large powers of two).
///
/// Pointers count in elements of the pointee, not in bytes, so that adding an offset
/// tile adds its axis info unscaled; a byte alignment is divisibility * element size.
///
/// Integer arithmetic is assumed not to wrap around within a run: contiguity is about
/// the mathematical values, which is what indexing arithmetic computes.
class AxisInfo {
public:
  using DimVector = llvm::SmallVector<int64_t, 4>;

  /// Caps divisibility so that a product of two divisibilities cannot overflow.
  static constexpr int64_t kMaxDivisibility = int64_t(1) << 30;

  /// The uninitialized value: no dimensions, the identity of join.
  AxisInfo() = default;
  AxisInfo(DimVector contiguity, DimVector divisibility, DimVector constancy,
           std::optional<int64_t> constantValue = std::nullopt);

  /// Nothing known: contiguity, divisibility and constancy 1 along `rank` dimensions.
  static AxisInfo getPessimistic(unsigned rank);
  /// A tile of shape `shape` (or a scalar, with shape [1]) whose elements all equal
  /// `value`.
  static AxisInfo getConstant(int64_t value, llvm::ArrayRef<int64_t> shape);
  /// What holds of both `lhs` and `rhs`: the value of something that is one or the
  /// other.
  static AxisInfo join(const AxisInfo &lhs, const AxisInfo &rhs);

  /// The shape axis info of a value of `type` is given over: a tile's shape, or [1].
  static llvm::SmallVector<int64_t, 4> getAxisShape(mlir::Type type);
  /// Whether values of `type` get axis info: integers, indices and pointers, and tiles
  /// of them.
  static bool isTracked(mlir::Type type);

  /// The largest power of two (capped) dividing `value`.
  static int64_t getHighestPowerOf2Divisor(int64_t value);

  bool isUninitialized() const { return contiguity.empty(); }
  unsigned getRank() const { return contiguity.size(); }

  llvm::ArrayRef<int64_t> getContiguity() const { return contiguity; }
  llvm::ArrayRef<int64_t> getDivisibility() const { return divisibility; }
  llvm::ArrayRef<int64_t> getConstancy() const { return constancy; }
  int64_t getContiguity(unsigned dim) const { return contiguity[dim]; }
  int64_t getDivisibility(unsigned dim) const { return divisibility[dim]; }
  int64_t getConstancy(unsigned dim) const { return constancy[dim]; }
  /// The value of every element, when all elements are equal and known.
  std::optional<int64_t> getConstantValue() const { return constantValue; }

  /// A power of two dividing the elements whose index along `dim` is a multiple of
  /// `stride`: the divisibility of the same value cut into blocks of `stride`.
  int64_t getDivisibilityAtMultiplesOf(unsigned dim, int64_t stride) const;
  /// A power of two dividing every element.
  int64_t getElementDivisibility() const;

  bool operator==(const AxisInfo &other) const;
  bool operator!=(const AxisInfo &other) const { return !(*this == other); }

  /// Prints `contiguity = [..], divisibility = [..], constancy = [..]`, then
  /// `, constant = N` when the value is known.
  void print(llvm::raw_ostream &os) const;

private:
  DimVector contiguity;
  DimVector divisibility;
  DimVector constancy;
  std::optional<int64_t> constantValue;
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &os, const AxisInfo &info) {
  info.print(os);
  return os;
}

/// Axis info of every integer and pointer value under an operation, usually a kernel
/// function. Computed by one walk in program order, without iterating to a fixpoint:
/// - the arguments of a function's entry block take their divisibility from
///   kDivisibilityAttrName; a loop's induction variable is divided by what divides
///   both its lower bound and its step; every other block argument (iter_args
///   included) is assumed nothing about;
/// - the results of scf.if join what the branches yield, those of scf.for join the
///   initial values with what the body yields;
/// - other results follow from their operands' info, or are assumed nothing about
///   where an op is not modelled.
class AxisInfoAnalysis {
public:
  explicit AxisInfoAnalysis(mlir::Operation *root);

  /// The info of `value`, or null if its type is not tracked or it is not under the
  /// root.
  const AxisInfo *getAxisInfo(mlir::Value value) const;

private:
  llvm::DenseMap<mlir::Value, AxisInfo> infos;
};

} // namespace tegula::tile

#endif
