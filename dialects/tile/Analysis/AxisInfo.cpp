#include "dialects/tile/Analysis/AxisInfo.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace tegula::tile;

using DimVector = AxisInfo::DimVector;

//===----------------------------------------------------------------------===//
// AxisInfo
//===----------------------------------------------------------------------===//

AxisInfo::AxisInfo(DimVector contiguity, DimVector divisibility, DimVector constancy,
                   std::optional<int64_t> constantValue)
    : contiguity(std::move(contiguity)), divisibility(std::move(divisibility)),
      constancy(std::move(constancy)), constantValue(constantValue) {
  assert(this->contiguity.size() == this->divisibility.size() &&
         this->contiguity.size() == this->constancy.size() && "one entry per dimension");
  assert(llvm::all_of(
             this->divisibility,
             [](int64_t d) { return d >= 1 && d <= kMaxDivisibility && llvm::isPowerOf2_64(d); }) &&
         "divisibility is a capped power of two");
}

AxisInfo AxisInfo::getPessimistic(unsigned rank) {
  DimVector ones(rank, 1);
  return AxisInfo(ones, ones, ones);
}

AxisInfo AxisInfo::getConstant(int64_t value, ArrayRef<int64_t> shape) {
  return AxisInfo(DimVector(shape.size(), 1),
                  DimVector(shape.size(), getHighestPowerOf2Divisor(value)), DimVector(shape),
                  value);
}

AxisInfo AxisInfo::join(const AxisInfo &lhs, const AxisInfo &rhs) {
  if (lhs.isUninitialized())
    return rhs;
  if (rhs.isUninitialized())
    return lhs;
  assert(lhs.getRank() == rhs.getRank() && "joining values of different shapes");
  DimVector contiguity, divisibility, constancy;
  for (unsigned d = 0, e = lhs.getRank(); d < e; ++d) {
    int64_t c = std::gcd(lhs.contiguity[d], rhs.contiguity[d]);
    contiguity.push_back(c);
    // Shorter blocks start inside the old ones, so their divisibility may be lower.
    divisibility.push_back(
        std::gcd(lhs.getDivisibilityAtMultiplesOf(d, c), rhs.getDivisibilityAtMultiplesOf(d, c)));
    constancy.push_back(std::gcd(lhs.constancy[d], rhs.constancy[d]));
  }
  std::optional<int64_t> constant;
  if (lhs.constantValue == rhs.constantValue)
    constant = lhs.constantValue;
  return AxisInfo(contiguity, divisibility, constancy, constant);
}

SmallVector<int64_t, 4> AxisInfo::getAxisShape(Type type) {
  ArrayRef<int64_t> shape = shapeOf(type);
  if (shape.empty())
    return {1};
  return SmallVector<int64_t, 4>(shape);
}

bool AxisInfo::isTracked(Type type) {
  // A rank-0 tile would need a dimension of its own; kernels use scalars instead.
  // Constancy counts elements, so shapes must be static.
  if (auto shaped = dyn_cast<ShapedType>(type))
    if (!isa<RankedTensorType>(type) || shaped.getRank() == 0 || !shaped.hasStaticShape())
      return false;
  Type element = elementTypeOf(type);
  // Constants are held in 64 bits.
  if (auto integer = dyn_cast<IntegerType>(element))
    return integer.getWidth() <= 64;
  return isa<IndexType, PointerType>(element);
}

int64_t AxisInfo::getHighestPowerOf2Divisor(int64_t value) {
  if (value == 0)
    return kMaxDivisibility;
  // Unsigned, so that INT64_MIN is no special case.
  uint64_t bits = static_cast<uint64_t>(value);
  return static_cast<int64_t>(
      std::min<uint64_t>(bits & (~bits + 1), static_cast<uint64_t>(kMaxDivisibility)));
}

int64_t AxisInfo::getDivisibilityAtMultiplesOf(unsigned dim, int64_t stride) const {
  int64_t c = contiguity[dim];
  if (stride % c == 0)
    return divisibility[dim];
  // Such an element sits at an offset within its block that is a multiple of
  // gcd(stride, c), and is the block's first element plus that offset.
  return std::gcd(divisibility[dim], std::gcd(stride, c));
}

int64_t AxisInfo::getElementDivisibility() const {
  // Along a dimension of contiguity 1 every element starts a block.
  int64_t result = 1;
  for (unsigned d = 0, e = getRank(); d < e; ++d)
    if (contiguity[d] == 1)
      result = std::max(result, divisibility[d]);
  return result;
}

bool AxisInfo::operator==(const AxisInfo &other) const {
  return contiguity == other.contiguity && divisibility == other.divisibility &&
         constancy == other.constancy && constantValue == other.constantValue;
}

void AxisInfo::print(raw_ostream &os) const {
  auto printDims = [&](StringRef name, ArrayRef<int64_t> dims) {
    os << name << " = [";
    llvm::interleaveComma(dims, os);
    os << "]";
  };
  printDims("contiguity", contiguity);
  os << ", ";
  printDims("divisibility", divisibility);
  os << ", ";
  printDims("constancy", constancy);
  if (constantValue)
    os << ", constant = " << *constantValue;
}

//===----------------------------------------------------------------------===//
// Transfer functions
//===----------------------------------------------------------------------===//

namespace {

/// Divisibility of a product: divisibilities multiply, then are capped.
int64_t mulDivisibility(int64_t a, int64_t b) {
  return std::min(a * b, AxisInfo::kMaxDivisibility);
}

unsigned bitWidthOf(Type type) {
  Type element = elementTypeOf(type);
  if (auto integer = dyn_cast<IntegerType>(element))
    return integer.getWidth();
  return IndexType::kInternalStorageBitWidth;
}

/// `value` as a value of `type` holds it: truncated to its width, sign-extended.
int64_t normalize(int64_t value, Type type) {
  return APInt(64, value, /*isSigned=*/true).sextOrTrunc(bitWidthOf(type)).getSExtValue();
}

/// Folds two known constants in the arithmetic of `type`; `fold` returns nothing where
/// the operation is undefined.
std::optional<int64_t>
foldConstants(const AxisInfo &lhs, const AxisInfo &rhs, Type type,
              llvm::function_ref<std::optional<APInt>(const APInt &, const APInt &)> fold) {
  if (!lhs.getConstantValue() || !rhs.getConstantValue())
    return std::nullopt;
  unsigned width = bitWidthOf(type);
  APInt a(width, *lhs.getConstantValue(), /*isSigned=*/true, /*implicitTrunc=*/true);
  APInt b(width, *rhs.getConstantValue(), /*isSigned=*/true, /*implicitTrunc=*/true);
  if (std::optional<APInt> folded = fold(a, b))
    return folded->getSExtValue();
  return std::nullopt;
}

std::optional<APInt> foldDivSI(const APInt &a, const APInt &b) {
  if (b.isZero())
    return std::nullopt;
  bool overflow = false;
  APInt quotient = a.sdiv_ov(b, overflow);
  if (overflow)
    return std::nullopt;
  return quotient;
}

std::optional<APInt> foldRemSI(const APInt &a, const APInt &b) {
  if (b.isZero())
    return std::nullopt;
  return a.srem(b);
}

/// Whether every element of `value` is provably non-negative. Signed division and
/// remainder round towards zero, so their runs only line up with the divisor's
/// multiples for non-negative dividends. Looks a few definitions up, which covers
/// indices built from ranges and program ids.
bool isNonNegative(Value value, unsigned depth = 0) {
  if (depth > 6)
    return false;
  auto recurse = [&](Value operand) { return isNonNegative(operand, depth + 1); };
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  return llvm::TypeSwitch<Operation *, bool>(def)
      .Case([](arith::ConstantOp op) {
        if (auto integer = dyn_cast<IntegerAttr>(op.getValue()))
          return !integer.getValue().isNegative();
        if (auto dense = dyn_cast<DenseIntElementsAttr>(op.getValue()))
          return llvm::none_of(dense, [](const APInt &v) { return v.isNegative(); });
        return false;
      })
      .Case([](RangeOp op) { return static_cast<int32_t>(op.getStart()) >= 0; })
      .Case<ProgramIdOp, NumProgramsOp>([](Operation *) { return true; })
      .Case<SplatOp, BroadcastOp, ExpandDimsOp, ReshapeOp, TransOp, arith::ExtSIOp,
            arith::IndexCastOp>([&](Operation *op) { return recurse(op->getOperand(0)); })
      // Non-negative sums and products stay so under the no-wrap assumption.
      .Case<arith::AddIOp, arith::MulIOp, arith::DivSIOp>(
          [&](Operation *op) { return recurse(op->getOperand(0)) && recurse(op->getOperand(1)); })
      .Case([&](arith::RemSIOp op) { return recurse(op.getLhs()); })
      .Default([](Operation *) { return false; });
}

/// The info of `value`, assuming nothing where the analysis has none.
AxisInfo infoOrPessimistic(const AxisInfoAnalysis &analysis, Value value) {
  if (const AxisInfo *info = analysis.getAxisInfo(value))
    return *info;
  return AxisInfo::getPessimistic(AxisInfo::getAxisShape(value.getType()).size());
}

class TransferFunctions {
public:
  explicit TransferFunctions(const AxisInfoAnalysis &analysis) : analysis(analysis) {}

  /// Info of the only result of `op`, or nothing if `op` is not modelled.
  std::optional<AxisInfo> visit(Operation *op);

private:
  /// Info of `value` seen as a value of shape `shape`: a scalar used along a tile (the
  /// offset of a tile of pointers, the condition of a select) is splatted.
  AxisInfo infoOf(Value value, ArrayRef<int64_t> shape) const;

  std::optional<AxisInfo> visitConstant(arith::ConstantOp op);
  AxisInfo visitRange(RangeOp op);
  static AxisInfo visitSplat(const AxisInfo &scalar, ArrayRef<int64_t> shape);
  AxisInfo visitBroadcast(BroadcastOp op);
  AxisInfo visitExpandDims(ExpandDimsOp op);
  AxisInfo visitTrans(TransOp op);
  AxisInfo visitAddOrSub(const AxisInfo &lhs, const AxisInfo &rhs, bool isSub);
  AxisInfo visitMul(const AxisInfo &lhs, const AxisInfo &rhs);
  AxisInfo visitDivSI(arith::DivSIOp op);
  AxisInfo visitRemSI(arith::RemSIOp op);
  static AxisInfo visitCmpI(arith::CmpIPredicate predicate, const AxisInfo &lhs, const AxisInfo &rhs);
  std::optional<AxisInfo> visitElementwise(Operation *op);

  const AxisInfoAnalysis &analysis;
};

} // namespace

AxisInfo TransferFunctions::infoOf(Value value, ArrayRef<int64_t> shape) const {
  AxisInfo known = infoOrPessimistic(analysis, value);
  if (!isa<RankedTensorType>(value.getType()))
    return visitSplat(known, shape);
  return known;
}

std::optional<AxisInfo> TransferFunctions::visitConstant(arith::ConstantOp op) {
  SmallVector<int64_t, 4> shape = AxisInfo::getAxisShape(op.getType());
  if (auto integer = dyn_cast<IntegerAttr>(op.getValue()))
    return AxisInfo::getConstant(integer.getValue().getSExtValue(), shape);
  if (auto dense = dyn_cast<DenseIntElementsAttr>(op.getValue()); dense && dense.isSplat())
    return AxisInfo::getConstant(dense.getSplatValue<APInt>().getSExtValue(), shape);
  return std::nullopt;
}

AxisInfo TransferFunctions::visitRange(RangeOp op) {
  // I32Attr getters are unsigned; the range is signed.
  int64_t start = static_cast<int32_t>(op.getStart());
  int64_t size = static_cast<int32_t>(op.getEnd()) - start;
  return AxisInfo({size}, {AxisInfo::getHighestPowerOf2Divisor(start)}, {1});
}

AxisInfo TransferFunctions::visitSplat(const AxisInfo &scalar, ArrayRef<int64_t> shape) {
  return AxisInfo(DimVector(shape.size(), 1),
                  DimVector(shape.size(), scalar.getElementDivisibility()), DimVector(shape),
                  scalar.getConstantValue());
}

AxisInfo TransferFunctions::visitBroadcast(BroadcastOp op) {
  AxisInfo src = infoOf(op.getSrc(), op.getSrc().getType().getShape());
  ArrayRef<int64_t> srcShape = op.getSrc().getType().getShape();
  ArrayRef<int64_t> dstShape = op.getType().getShape();
  DimVector contiguity(src.getContiguity()), divisibility(src.getDivisibility()),
      constancy(src.getConstancy());
  for (unsigned d = 0, e = dstShape.size(); d < e; ++d) {
    if (srcShape[d] == dstShape[d])
      continue;
    // A size-1 dimension repeated: its one element, already a block start, is copied.
    contiguity[d] = 1;
    constancy[d] = dstShape[d];
  }
  return AxisInfo(contiguity, divisibility, constancy, src.getConstantValue());
}

AxisInfo TransferFunctions::visitExpandDims(ExpandDimsOp op) {
  AxisInfo src = infoOf(op.getSrc(), op.getSrc().getType().getShape());
  DimVector contiguity(src.getContiguity()), divisibility(src.getDivisibility()),
      constancy(src.getConstancy());
  unsigned axis = static_cast<int32_t>(op.getAxis());
  // Along the new dimension every element starts a block of one.
  contiguity.insert(contiguity.begin() + axis, 1);
  divisibility.insert(divisibility.begin() + axis, src.getElementDivisibility());
  constancy.insert(constancy.begin() + axis, 1);
  return AxisInfo(contiguity, divisibility, constancy, src.getConstantValue());
}

AxisInfo TransferFunctions::visitTrans(TransOp op) {
  AxisInfo src = infoOf(op.getSrc(), op.getSrc().getType().getShape());
  DimVector contiguity, divisibility, constancy;
  for (int32_t d : op.getOrder()) {
    contiguity.push_back(src.getContiguity(d));
    divisibility.push_back(src.getDivisibility(d));
    constancy.push_back(src.getConstancy(d));
  }
  return AxisInfo(contiguity, divisibility, constancy, src.getConstantValue());
}

AxisInfo TransferFunctions::visitAddOrSub(const AxisInfo &lhs, const AxisInfo &rhs, bool isSub) {
  DimVector contiguity, divisibility, constancy;
  for (unsigned d = 0, e = lhs.getRank(); d < e; ++d) {
    // Consecutive plus constant is consecutive on the blocks where both hold;
    // subtracting a consecutive run counts down, so only the lhs may be the run.
    int64_t c = std::gcd(lhs.getContiguity(d), rhs.getConstancy(d));
    if (!isSub)
      c = std::max(c, std::gcd(lhs.getConstancy(d), rhs.getContiguity(d)));
    contiguity.push_back(c);
    divisibility.push_back(
        std::gcd(lhs.getDivisibilityAtMultiplesOf(d, c), rhs.getDivisibilityAtMultiplesOf(d, c)));
    constancy.push_back(std::gcd(lhs.getConstancy(d), rhs.getConstancy(d)));
  }
  return AxisInfo(contiguity, divisibility, constancy);
}

AxisInfo TransferFunctions::visitMul(const AxisInfo &lhs, const AxisInfo &rhs) {
  if (lhs.getConstantValue() == 1)
    return rhs;
  if (rhs.getConstantValue() == 1)
    return lhs;
  // Otherwise runs are scaled away from steps of 1; a product of multiples of p and q
  // is a multiple of p * q.
  unsigned rank = lhs.getRank();
  int64_t div = mulDivisibility(lhs.getElementDivisibility(), rhs.getElementDivisibility());
  DimVector constancy;
  for (unsigned d = 0; d < rank; ++d)
    constancy.push_back(std::gcd(lhs.getConstancy(d), rhs.getConstancy(d)));
  return AxisInfo(DimVector(rank, 1), DimVector(rank, div), constancy);
}

/// Whatever the operands, an elementwise result is constant where all operands are.
static AxisInfo constancyOnly(ArrayRef<AxisInfo> operands) {
  unsigned rank = operands.front().getRank();
  DimVector constancy(operands.front().getConstancy());
  for (const AxisInfo &operand : operands.drop_front())
    for (unsigned d = 0; d < rank; ++d)
      constancy[d] = std::gcd(constancy[d], operand.getConstancy(d));
  return AxisInfo(DimVector(rank, 1), DimVector(rank, 1), constancy);
}

AxisInfo TransferFunctions::visitDivSI(arith::DivSIOp op) {
  SmallVector<int64_t, 4> shape = AxisInfo::getAxisShape(op.getType());
  AxisInfo lhs = infoOf(op.getLhs(), shape), rhs = infoOf(op.getRhs(), shape);
  AxisInfo result = constancyOnly({lhs, rhs});
  std::optional<int64_t> divisor = rhs.getConstantValue();
  if (!divisor || *divisor <= 0)
    return result;
  if (*divisor == 1)
    return lhs;
  int64_t c = *divisor;
  bool pow2 = llvm::isPowerOf2_64(c);
  bool nonNegative = isNonNegative(op.getLhs());
  int64_t elementDiv = lhs.getElementDivisibility();
  DimVector contiguity(result.getContiguity()), divisibility(result.getDivisibility()),
      constancy(result.getConstancy());
  for (unsigned d = 0, e = lhs.getRank(); d < e; ++d) {
    // Exact division keeps the rest of the power of two, whatever the sign.
    if (pow2 && elementDiv % c == 0)
      divisibility[d] = elementDiv / c;
    if (!pow2 || !nonNegative)
      continue;
    // Non-negative blocks of g consecutive values starting at multiples of g (g divides
    // c) never straddle a multiple of c, so each has a single quotient.
    int64_t runLength = lhs.getContiguity(d);
    int64_t runDiv = lhs.getDivisibility(d);
    int64_t g = std::gcd(runLength, c);
    if (g == 1 || runDiv % g != 0)
      continue;
    constancy[d] = std::max(constancy[d], g);
    // A whole run from a multiple of c has the quotient start / c.
    if (g == runLength && runDiv % c == 0)
      divisibility[d] = std::max(divisibility[d], runDiv / c);
  }
  return AxisInfo(contiguity, divisibility, constancy);
}

AxisInfo TransferFunctions::visitRemSI(arith::RemSIOp op) {
  SmallVector<int64_t, 4> shape = AxisInfo::getAxisShape(op.getType());
  AxisInfo lhs = infoOf(op.getLhs(), shape), rhs = infoOf(op.getRhs(), shape);
  AxisInfo result = constancyOnly({lhs, rhs});
  std::optional<int64_t> divisor = rhs.getConstantValue();
  if (!divisor || *divisor <= 0)
    return result;
  int64_t c = *divisor;
  if (c == 1)
    return AxisInfo::getConstant(0, shape);
  bool pow2 = llvm::isPowerOf2_64(c);
  bool nonNegative = isNonNegative(op.getLhs());
  int64_t elementDiv = lhs.getElementDivisibility();
  // x - (x / c) * c is a multiple of whatever power of two divides both x and c.
  int64_t remainderDiv = elementDiv % c == 0 ? AxisInfo::kMaxDivisibility : std::gcd(elementDiv, c);
  DimVector contiguity(result.getContiguity()), divisibility(shape.size(), remainderDiv),
      constancy(result.getConstancy());
  if (!pow2 || !nonNegative)
    return AxisInfo(contiguity, divisibility, constancy);
  for (unsigned d = 0, e = lhs.getRank(); d < e; ++d) {
    int64_t runLength = lhs.getContiguity(d);
    int64_t runDiv = lhs.getDivisibility(d);
    // Blocks of g consecutive values starting at multiples of g never straddle a
    // multiple of c (g divides c), so their remainders are consecutive too.
    int64_t g = std::gcd(runLength, c);
    if (g == 1 || runDiv % g != 0)
      continue;
    contiguity[d] = g;
    constancy[d] = 1;
    // Both this and the element-wise bound hold of the blocks' first elements.
    int64_t blockDiv;
    if (g == c)
      blockDiv = AxisInfo::kMaxDivisibility; // Every block starts at remainder 0.
    else if (g == runLength)
      blockDiv = runDiv % c == 0 ? AxisInfo::kMaxDivisibility : runDiv;
    else
      blockDiv = g;
    divisibility[d] = std::max(divisibility[d], blockDiv);
  }
  return AxisInfo(contiguity, divisibility, constancy);
}

std::optional<AxisInfo> TransferFunctions::visitElementwise(Operation *op) {
  if (!isa_and_nonnull<arith::ArithDialect>(op->getDialect()) ||
      !op->hasTrait<OpTrait::Elementwise>())
    return std::nullopt;
  SmallVector<int64_t, 4> shape = AxisInfo::getAxisShape(op->getResult(0).getType());
  SmallVector<AxisInfo> operands;
  for (Value operand : op->getOperands()) {
    if (!AxisInfo::isTracked(operand.getType()))
      return std::nullopt;
    operands.push_back(infoOf(operand, shape));
  }
  if (operands.empty())
    return std::nullopt;
  return constancyOnly(operands);
}

/// A comparison is constant wherever both sides are, and also along a run of k
/// consecutive values compared with a bound when the run's blocks start at multiples of
/// g, the bound is a multiple of g and k divides g: the blocks of k then start at
/// multiples of k, and `x < n` changes value only where x reaches n, which no block
/// straddles. So a mask `offsets < n` with n divisible by 16 is constant over blocks of
/// 16 offsets. That holds of the predicates that change at the bound (x < n, x >= n),
/// not of those that change after it (x <= n, x > n) nor of equality.
AxisInfo TransferFunctions::visitCmpI(arith::CmpIPredicate predicate, const AxisInfo &lhs, const AxisInfo &rhs) {
  using P = arith::CmpIPredicate;
  AxisInfo both = constancyOnly({lhs, rhs});
  const bool runOnLeft = predicate == P::slt || predicate == P::sge || predicate == P::ult || predicate == P::uge;
  const bool runOnRight = predicate == P::sgt || predicate == P::sle || predicate == P::ugt || predicate == P::ule;
  if (!runOnLeft && !runOnRight)
    return both;
  const AxisInfo &run = runOnLeft ? lhs : rhs;
  const AxisInfo &bound = runOnLeft ? rhs : lhs;
  AxisInfo::DimVector constancy(both.getConstancy());
  for (unsigned d = 0; d < run.getRank(); ++d) {
    int64_t g = std::gcd(run.getDivisibility(d), bound.getElementDivisibility());
    int64_t k = std::gcd(std::gcd(run.getContiguity(d), bound.getConstancy(d)), g);
    constancy[d] = std::max(constancy[d], k);
  }
  return AxisInfo(AxisInfo::DimVector(run.getRank(), 1), AxisInfo::DimVector(run.getRank(), 1), constancy);
}

std::optional<AxisInfo> TransferFunctions::visit(Operation *op) {
  Type type = op->getResult(0).getType();
  SmallVector<int64_t, 4> shape = AxisInfo::getAxisShape(type);
  auto binary = [&](Operation *op) {
    return std::make_pair(infoOf(op->getOperand(0), shape), infoOf(op->getOperand(1), shape));
  };
  auto withConstant = [&](AxisInfo info, std::optional<int64_t> constant) {
    return constant ? AxisInfo::getConstant(*constant, shape) : info;
  };
  // Extensions and truncations keep the low bits that divisibility is about; runs
  // survive under the no-wrap assumption.
  auto castLike = [&](Operation *op) {
    AxisInfo src = infoOf(op->getOperand(0), shape);
    if (std::optional<int64_t> constant = src.getConstantValue())
      return AxisInfo::getConstant(normalize(*constant, type), shape);
    return src;
  };

  return llvm::TypeSwitch<Operation *, std::optional<AxisInfo>>(op)
      .Case([&](arith::ConstantOp op) { return visitConstant(op); })
      .Case([&](RangeOp op) { return visitRange(op); })
      .Case(
          [&](SplatOp op) { return visitSplat(infoOf(op.getSrc(), {1}), op.getType().getShape()); })
      .Case([&](BroadcastOp op) { return visitBroadcast(op); })
      .Case([&](ExpandDimsOp op) { return visitExpandDims(op); })
      .Case([&](TransOp op) { return visitTrans(op); })
      .Case([&](AddPtrOp op) {
        return visitAddOrSub(infoOf(op.getPtr(), shape), infoOf(op.getOffset(), shape),
                             /*isSub=*/false);
      })
      .Case([&](arith::AddIOp op) {
        auto [lhs, rhs] = binary(op);
        return withConstant(visitAddOrSub(lhs, rhs, /*isSub=*/false),
                            foldConstants(lhs, rhs, type, [](const APInt &a, const APInt &b) {
                              return std::optional<APInt>(a + b);
                            }));
      })
      .Case([&](arith::SubIOp op) {
        auto [lhs, rhs] = binary(op);
        return withConstant(visitAddOrSub(lhs, rhs, /*isSub=*/true),
                            foldConstants(lhs, rhs, type, [](const APInt &a, const APInt &b) {
                              return std::optional<APInt>(a - b);
                            }));
      })
      .Case([&](arith::MulIOp op) {
        auto [lhs, rhs] = binary(op);
        if (lhs.getConstantValue() == 0 || rhs.getConstantValue() == 0)
          return AxisInfo::getConstant(0, shape);
        return withConstant(visitMul(lhs, rhs),
                            foldConstants(lhs, rhs, type, [](const APInt &a, const APInt &b) {
                              return std::optional<APInt>(a * b);
                            }));
      })
      .Case([&](arith::DivSIOp op) {
        auto [lhs, rhs] = binary(op);
        return withConstant(visitDivSI(op), foldConstants(lhs, rhs, type, foldDivSI));
      })
      .Case([&](arith::RemSIOp op) {
        auto [lhs, rhs] = binary(op);
        return withConstant(visitRemSI(op), foldConstants(lhs, rhs, type, foldRemSI));
      })
      .Case([&](arith::CmpIOp op) {
        auto [lhs, rhs] = binary(op);
        return visitCmpI(op.getPredicate(), lhs, rhs);
      })
      .Case<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp>(castLike)
      .Default([&](Operation *op) { return visitElementwise(op); });
}

//===----------------------------------------------------------------------===//
// AxisInfoAnalysis
//===----------------------------------------------------------------------===//

/// A kernel's entry arguments carry what the launcher specialized them on; any other
/// block argument (a loop's induction variable or iter_args, whose values change
/// between iterations) is assumed nothing about here: the walk refines the induction
/// variable from the loop's bounds.
static AxisInfo argumentInfo(BlockArgument arg) {
  unsigned rank = AxisInfo::getAxisShape(arg.getType()).size();
  AxisInfo pessimistic = AxisInfo::getPessimistic(rank);
  Block *block = arg.getOwner();
  auto func = dyn_cast_or_null<FunctionOpInterface>(block->getParentOp());
  if (!func || !block->isEntryBlock())
    return pessimistic;
  auto attr = func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kDivisibilityAttrName);
  if (!attr || attr.getValue().isNonPositive())
    return pessimistic;
  int64_t div = AxisInfo::getHighestPowerOf2Divisor(attr.getValue().getSExtValue());
  return AxisInfo(DimVector(rank, 1), DimVector(rank, div), DimVector(rank, 1));
}

/// Results of region-holding ops that are modelled: a join of what may flow into them.
/// The values yielded by a loop body were computed from pessimistic iter_args, so they
/// hold after any number of iterations.
static std::optional<SmallVector<AxisInfo>> visitRegionOp(Operation *op,
                                                          const AxisInfoAnalysis &analysis) {
  auto lookup = [&](Value value) { return infoOrPessimistic(analysis, value); };
  SmallVector<AxisInfo> results;
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    auto yield = cast<scf::YieldOp>(forOp.getBody()->getTerminator());
    for (auto [init, yielded] : llvm::zip(forOp.getInitArgs(), yield.getOperands()))
      results.push_back(AxisInfo::join(lookup(init), lookup(yielded)));
    return results;
  }
  if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
    if (ifOp.getNumResults() == 0)
      return results;
    for (auto [thenValue, elseValue] :
         llvm::zip(ifOp.thenYield().getOperands(), ifOp.elseYield().getOperands()))
      results.push_back(AxisInfo::join(lookup(thenValue), lookup(elseValue)));
    return results;
  }
  return std::nullopt;
}

AxisInfoAnalysis::AxisInfoAnalysis(Operation *root) {
  root->walk([&](Block *block) {
    for (BlockArgument arg : block->getArguments())
      if (AxisInfo::isTracked(arg.getType()))
        infos[arg] = argumentInfo(arg);
  });

  // Post-order reaches the values a region yields before the op that returns them, and
  // operands are defined before their users as in any order that respects dominance.
  TransferFunctions transfer(*this);
  root->walk([&](Operation *op, const WalkStage &stage) {
    // Before a loop's body: its induction variable is lb + k * step, so whatever
    // power of two divides both bounds it on every iteration.
    if (auto loop = dyn_cast<scf::ForOp>(op); loop && stage.isBeforeAllRegions()) {
      Value iv = loop.getInductionVar();
      if (AxisInfo::isTracked(iv.getType())) {
        const int64_t div = std::min(infoOrPessimistic(*this, loop.getLowerBound()).getElementDivisibility(),
                                     infoOrPessimistic(*this, loop.getStep()).getElementDivisibility());
        infos[iv] = AxisInfo({1}, {div}, {1});
      }
    }
    if (!stage.isAfterAllRegions() || op->getNumResults() == 0)
      return;
    std::optional<SmallVector<AxisInfo>> regionResults = visitRegionOp(op, *this);
    std::optional<AxisInfo> single;
    if (!regionResults && op->getNumResults() == 1 &&
        AxisInfo::isTracked(op->getResult(0).getType()))
      single = transfer.visit(op);
    for (auto [i, result] : llvm::enumerate(op->getResults())) {
      if (!AxisInfo::isTracked(result.getType()))
        continue;
      unsigned rank = AxisInfo::getAxisShape(result.getType()).size();
      AxisInfo info;
      if (regionResults)
        info = (*regionResults)[i];
      else if (single)
        info = *single;
      if (info.isUninitialized())
        info = AxisInfo::getPessimistic(rank);
      infos[result] = std::move(info);
    }
  });
}

const AxisInfo *AxisInfoAnalysis::getAxisInfo(Value value) const {
  auto it = infos.find(value);
  return it == infos.end() ? nullptr : &it->second;
}
