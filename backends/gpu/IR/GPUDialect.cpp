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

/// log2 of an extent already checked to be a power of two.
int log2Of(int64_t powerOfTwo) { return tegula::gpu::log2_exact(powerOfTwo, "a layout extent"); }

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

namespace {

const char *const kLinearInputs[] = {"register", "lane", "warp"};

} // namespace

LogicalResult LinearEncodingAttr::verify(function_ref<InFlightDiagnostic()> emitError, unsigned rank,
                                         ArrayRef<int64_t> registerBases, ArrayRef<int64_t> laneBases,
                                         ArrayRef<int64_t> warpBases) {
  if (rank == 0)
    return emitError() << "a linear layout holds tiles of rank 1 or more";
  ArrayRef<int64_t> lists[] = {registerBases, laneBases, warpBases};
  for (auto [name, bases] : llvm::zip(kLinearInputs, lists)) {
    if (bases.size() % rank != 0)
      return emitError() << "each " << name << " basis of a rank-" << rank << " linear layout has " << rank
                         << " coordinates";
    if (static_cast<int64_t>(bases.size() / rank) > kMaxLayoutBits)
      return emitError() << "a linear layout has at most " << kMaxLayoutBits << " " << name << " bits";
    for (int64_t c : bases)
      if (c < 0 || c >= kMaxLayoutEntry * kMaxLayoutEntry)
        return emitError() << "a linear layout's coordinates are in [0, 2^32), got " << c;
  }
  return success();
}

Attribute LinearEncodingAttr::parse(AsmParser &parser, Type) {
  unsigned rank = 0;
  if (parser.parseLess() || parser.parseKeyword("rank") || parser.parseEqual() || parser.parseInteger(rank))
    return {};
  SmallVector<int64_t> lists[3];
  for (auto [name, list] : llvm::zip(kLinearInputs, lists)) {
    if (parser.parseComma() || parser.parseKeyword(name) || parser.parseEqual())
      return {};
    auto basis = [&]() -> ParseResult {
      SmallVector<int64_t> coords;
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
            int64_t c = 0;
            if (parser.parseInteger(c))
              return failure();
            coords.push_back(c);
            return success();
          }))
        return failure();
      if (coords.size() != rank)
        return parser.emitError(parser.getCurrentLocation())
               << "each " << name << " basis of a rank-" << rank << " linear layout has " << rank << " coordinates";
      list.append(coords);
      return success();
    };
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, basis))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<LinearEncodingAttr>(parser.getContext(), rank, lists[0], lists[1], lists[2]);
}

void LinearEncodingAttr::print(AsmPrinter &printer) const {
  printer << "<rank = " << getRank();
  ArrayRef<int64_t> lists[] = {getRegisterBases(), getLaneBases(), getWarpBases()};
  for (auto [name, list] : llvm::zip(kLinearInputs, lists)) {
    printer << ", " << name << " = [";
    for (size_t i = 0; i < list.size(); i += getRank()) {
      printer << (i ? ", [" : "[");
      llvm::interleaveComma(list.slice(i, getRank()), printer);
      printer << "]";
    }
    printer << "]";
  }
  printer << ">";
}

LinearEncodingAttr LinearEncodingAttr::get(MLIRContext *context, const tegula::gpu::LinearLayout &layout) {
  SmallVector<int64_t> lists[3];
  for (auto [name, list] : llvm::zip(kLinearInputs, lists))
    for (int bit = 0; (int64_t{1} << bit) < layout.in_size(name); ++bit)
      llvm::append_range(list, layout.basis(name, bit));
  return get(context, static_cast<unsigned>(layout.outs().size()), lists[0], lists[1], lists[2]);
}

FailureOr<tegula::gpu::LinearLayout>
LinearEncodingAttr::toLinearLayout(ArrayRef<int64_t> shape, function_ref<InFlightDiagnostic()> emitError) const {
  const unsigned rank = getRank();
  if (shape.size() != rank)
    return emitError() << "a rank-" << rank << " linear layout cannot hold a " << shape.size() << "-d tile";
  std::vector<LinearLayout::Dim> ins, outs;
  std::vector<std::vector<LinearLayout::Basis>> bases;
  for (auto [d, extent] : llvm::enumerate(shape)) {
    if (!powerOfTwo(extent))
      return emitError() << "a linear layout holds tiles whose extents are powers of two, got " << extent;
    outs.push_back({"dim" + std::to_string(d), log2Of(extent)});
  }
  ArrayRef<int64_t> lists[] = {getRegisterBases(), getLaneBases(), getWarpBases()};
  for (auto [name, list] : llvm::zip(kLinearInputs, lists)) {
    ins.push_back({name, static_cast<int>(list.size() / rank)});
    std::vector<LinearLayout::Basis> bits;
    for (size_t i = 0; i < list.size(); i += rank) {
      LinearLayout::Basis basis(list.begin() + i, list.begin() + i + rank);
      for (unsigned d = 0; d < rank; ++d)
        if (basis[d] >= shape[d]) // a smaller tile (a broadcast's source): copies there, as blocked has
          basis[d] = 0;
      bits.push_back(std::move(basis));
    }
    bases.push_back(std::move(bits));
  }
  LinearLayout layout(std::move(ins), std::move(outs), std::move(bases));
  if (!layout.surjective())
    return emitError() << "this linear layout leaves elements of the tile in no register, lane or warp";
  return layout;
}

LogicalResult SliceEncodingAttr::verify(function_ref<InFlightDiagnostic()> emitError, unsigned dim,
                                        Attribute parent) {
  if (!isLayout(parent))
    return emitError() << "a slice's parent must be a layout, got " << parent;
  int64_t rank = 0;
  for (Attribute p = parent; p;) {
    if (auto blocked = dyn_cast<BlockedEncodingAttr>(p)) {
      rank += static_cast<int64_t>(blocked.getOrder().size());
      break;
    }
    if (auto linear = dyn_cast<LinearEncodingAttr>(p)) {
      rank += linear.getRank();
      break;
    }
    auto slice = cast<SliceEncodingAttr>(p);
    rank -= 1;
    p = slice.getParent();
  }
  if (dim >= rank)
    return emitError() << "a slice of a " << rank << "-d layout takes out a dimension below " << rank << ", got "
                       << dim;
  if (rank < 2)
    return emitError() << "a slice of a 1-d layout would hold a scalar";
  return success();
}

void tegula::gpu::ir::setBlock(Operation *kernel, BlockShape block) {
  Builder b(kernel->getContext());
  kernel->setAttr("tgpu.num_warps", b.getI64IntegerAttr(block.warps));
  kernel->setAttr("tgpu.warp_size", b.getI64IntegerAttr(block.lanes));
}

std::optional<BlockShape> tegula::gpu::ir::getBlock(Operation *kernel) {
  auto warps = kernel->getAttrOfType<IntegerAttr>("tgpu.num_warps");
  auto lanes = kernel->getAttrOfType<IntegerAttr>("tgpu.warp_size");
  if (!warps || !lanes)
    return std::nullopt;
  return BlockShape{warps.getInt(), lanes.getInt()};
}

bool tegula::gpu::ir::isLayout(Attribute encoding) {
  return isa_and_nonnull<BlockedEncodingAttr, SliceEncodingAttr, LinearEncodingAttr>(encoding);
}

std::optional<BlockShape> tegula::gpu::ir::blockOf(Attribute encoding) {
  if (auto slice = dyn_cast_or_null<SliceEncodingAttr>(encoding))
    return blockOf(slice.getParent());
  if (auto blocked = dyn_cast_or_null<BlockedEncodingAttr>(encoding))
    return BlockShape{blocked.getWarps(), blocked.getThreads()};
  if (auto linear = dyn_cast_or_null<LinearEncodingAttr>(encoding))
    return BlockShape{int64_t{1} << (linear.getWarpBases().size() / linear.getRank()),
                      int64_t{1} << (linear.getLaneBases().size() / linear.getRank())};
  return std::nullopt;
}

FailureOr<tegula::gpu::LinearLayout> tegula::gpu::ir::toLinearLayout(Attribute encoding, ArrayRef<int64_t> shape,
                                                                     function_ref<InFlightDiagnostic()> emitError) {
  if (auto blocked = dyn_cast_or_null<BlockedEncodingAttr>(encoding))
    return blocked.toLinearLayout(shape, emitError);
  if (auto linear = dyn_cast_or_null<LinearEncodingAttr>(encoding))
    return linear.toLinearLayout(shape, emitError);
  if (auto slice = dyn_cast_or_null<SliceEncodingAttr>(encoding)) {
    SmallVector<int64_t> parentShape(shape);
    if (slice.getDim() > parentShape.size())
      return emitError() << "a slice along dimension " << slice.getDim() << " cannot hold a " << shape.size()
                         << "-d tile";
    parentShape.insert(parentShape.begin() + slice.getDim(), 1);
    FailureOr<LinearLayout> parent = toLinearLayout(slice.getParent(), parentShape, emitError);
    if (failed(parent))
      return failure();
    return slice_layout(*parent, static_cast<int>(slice.getDim()));
  }
  return emitError() << "expected a tgpu layout encoding, got " << encoding;
}

FailureOr<tegula::gpu::LinearLayout> tegula::gpu::ir::toLinearLayout(RankedTensorType type,
                                                                     function_ref<InFlightDiagnostic()> emitError) {
  return toLinearLayout(type.getEncoding(), type.getShape(), emitError);
}

LogicalResult ConvertLayoutOp::verify() {
  for (auto [what, type] : {std::pair{"source", getSrc().getType()}, std::pair{"result", getResult().getType()}}) {
    if (!isLayout(type.getEncoding()))
      return emitOpError() << "the " << what << " needs a layout encoding, got " << type;
    if (failed(toLinearLayout(type, [&] { return emitOpError() << what << ": "; })))
      return failure();
  }
  BlockShape src = *blockOf(getSrc().getType().getEncoding()), dst = *blockOf(getResult().getType().getEncoding());
  if (src != dst)
    return emitOpError() << "both layouts must be of one block: " << src.warps << " warps of " << src.lanes
                         << " lanes against " << dst.warps << " of " << dst.lanes;
  return success();
}

#define GET_OP_CLASSES
#include "backends/gpu/IR/GPUOps.cpp.inc"
