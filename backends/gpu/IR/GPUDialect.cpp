#include "backends/gpu/IR/GPUDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;
using namespace tegula::gpu::ir;

#include "backends/gpu/IR/GPUDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "backends/gpu/IR/GPUAttrs.cpp.inc"

void TGPUDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "backends/gpu/IR/GPUAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "backends/gpu/IR/GPUOps.cpp.inc"
      >();
}

namespace {

bool powerOfTwo(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

int log2Of(int64_t powerOfTwo) {
  int l = 0;
  while ((int64_t{1} << l) < powerOfTwo)
    ++l;
  return l;
}

/// A thread's elements, a warp's lanes and a block's warps: far more than any GPU has,
/// small enough that their products stay exact.
constexpr int64_t kMaxLayoutEntry = int64_t{1} << 16;
/// Input and output bits of a layout (LinearLayout holds 62).
constexpr int kMaxLayoutBits = 48;

} // namespace

LogicalResult BlockedEncodingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                          ArrayRef<int64_t> sizePerThread, ArrayRef<int64_t> threadsPerWarp,
                                          ArrayRef<int64_t> warpsPerCTA, ArrayRef<int64_t> order) {
  size_t rank = sizePerThread.size();
  if (rank == 0 || threadsPerWarp.size() != rank || warpsPerCTA.size() != rank || order.size() != rank)
    return emitError() << "a blocked layout needs one sizePerThread, threadsPerWarp, warpsPerCTA and order entry "
                          "per dimension";
  for (ArrayRef<int64_t> list : {sizePerThread, threadsPerWarp, warpsPerCTA})
    for (int64_t v : list)
      if (!powerOfTwo(v) || v > kMaxLayoutEntry)
        return emitError() << "a blocked layout's sizes are powers of two up to " << kMaxLayoutEntry << ", got " << v;
  SmallVector<int64_t> sorted(order.begin(), order.end());
  std::sort(sorted.begin(), sorted.end());
  for (size_t d = 0; d < rank; ++d)
    if (sorted[d] != static_cast<int64_t>(d))
      return emitError() << "a blocked layout's order must be a permutation of its " << rank << " dimensions";
  return success();
}

int64_t BlockedEncodingAttr::getThreads() const {
  int64_t n = 1;
  for (int64_t t : getThreadsPerWarp())
    n *= t;
  return n;
}

int64_t BlockedEncodingAttr::getWarps() const {
  int64_t n = 1;
  for (int64_t w : getWarpsPerCTA())
    n *= w;
  return n;
}

FailureOr<tegula::gpu::LinearLayout>
BlockedEncodingAttr::toLinearLayout(ArrayRef<int64_t> shape, function_ref<InFlightDiagnostic()> emitError) const {
  if (shape.size() != getOrder().size())
    return emitError() << "a " << getOrder().size() << "-d blocked layout cannot hold a " << shape.size()
                       << "-d tile";
  int inBits = 0, outBits = 0;
  for (auto [d, extent] : llvm::enumerate(shape)) {
    if (!powerOfTwo(extent))
      return emitError() << "a blocked layout holds tiles whose extents are powers of two, got " << extent;
    int block = log2Of(getSizePerThread()[d]) + log2Of(getThreadsPerWarp()[d]) + log2Of(getWarpsPerCTA()[d]);
    outBits += log2Of(extent);
    inBits += std::max(log2Of(extent), block); // registers repeat the block, or lanes hold copies
  }
  if (inBits > kMaxLayoutBits || outBits > kMaxLayoutBits)
    return emitError() << "a tile of 2^" << outBits << " elements over 2^" << inBits
                       << " registers, lanes and warps is past what a layout holds (2^" << kMaxLayoutBits << ")";
  std::vector<int> order(getOrder().begin(), getOrder().end());
  return LinearLayout::blocked(std::vector<int64_t>(shape.begin(), shape.end()),
                               std::vector<int64_t>(getSizePerThread().begin(), getSizePerThread().end()),
                               std::vector<int64_t>(getThreadsPerWarp().begin(), getThreadsPerWarp().end()),
                               std::vector<int64_t>(getWarpsPerCTA().begin(), getWarpsPerCTA().end()), order);
}

LogicalResult ConvertLayoutOp::verify() {
  for (auto [what, type] : {std::pair{"source", getSrc().getType()}, std::pair{"result", getResult().getType()}}) {
    auto encoding = dyn_cast_or_null<BlockedEncodingAttr>(type.getEncoding());
    if (!encoding)
      return emitOpError() << "the " << what << " needs a layout encoding, got " << type;
    if (failed(encoding.toLinearLayout(type.getShape(), [&] { return emitOpError() << what << ": "; })))
      return failure();
  }
  auto src = cast<BlockedEncodingAttr>(getSrc().getType().getEncoding());
  auto dst = cast<BlockedEncodingAttr>(getResult().getType().getEncoding());
  if (src.getThreads() != dst.getThreads() || src.getWarps() != dst.getWarps())
    return emitOpError() << "both layouts must be of one block: " << src.getWarps() << " warps of "
                         << src.getThreads() << " lanes against " << dst.getWarps() << " of " << dst.getThreads();
  return success();
}

#define GET_OP_CLASSES
#include "backends/gpu/IR/GPUOps.cpp.inc"
