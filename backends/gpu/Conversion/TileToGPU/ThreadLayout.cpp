// Where a thread's registers sit in a tile: coordinates from the layout's bases, the
// thread's lane and warp computed once in the kernel's prologue.
#include "backends/gpu/Conversion/TileToGPU/Lowering.h"

#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace tegula::gpu::lowering {

using namespace mlir;

namespace {

bool isZero(const LinearLayout::Basis &basis) {
  return std::all_of(basis.begin(), basis.end(), [](int64_t c) { return c == 0; });
}

} // namespace

KernelLowering::KernelLowering(OpBuilder &builder, Operation *kernel, ir::BlockShape block, Location loc)
    : b(builder), kernel_(kernel), block_(block) {
  Value tid = arith::IndexCastOp::create(b, loc, b.getI32Type(), ::mlir::gpu::ThreadIdOp::create(b, loc, ::mlir::gpu::Dimension::x));
  lane_ = arith::AndIOp::create(b, loc, tid, i32(block.lanes - 1, loc));
  warp_ = arith::ShRUIOp::create(b, loc, tid, i32(log2_exact(block.lanes, "a layout size"), loc));
  prologueEnd_ = warp_.getDefiningOp();
}

void KernelLowering::inPrologue(function_ref<void()> emit) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfter(prologueEnd_);
  emit();
  prologueEnd_ = &*std::prev(b.getInsertionPoint());
}

Value KernelLowering::i32(int64_t v, Location loc) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(static_cast<int32_t>(v)));
}

Value KernelLowering::firstThread(Location loc) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, arith::OrIOp::create(b, loc, lane(), warp()),
                               i32(0, loc));
}

Value KernelLowering::i1(bool v, Location loc) {
  return arith::ConstantOp::create(b, loc, b.getBoolAttr(v));
}

SmallVector<Value> &KernelLowering::regs(Value tile) { return regs_[tile]; }

SmallVector<Value> KernelLowering::flat(Value v) {
  if (isa<RankedTensorType>(v.getType()))
    return regs_.lookup(v);
  return {scalars_.lookup(v)};
}

Type KernelLowering::elementType(Type t) {
  if (auto tile = dyn_cast<RankedTensorType>(t))
    t = tile.getElementType();
  if (isa<tile::PointerType>(t))
    return LLVM::LLVMPointerType::get(t.getContext(), kGlobalAddressSpace);
  return t;
}

LogicalResult KernelLowering::flatTypes(Type t, Location loc, SmallVectorImpl<Type> &out) {
  auto tile = dyn_cast<RankedTensorType>(t);
  if (!tile) {
    out.push_back(elementType(t));
    return success();
  }
  FailureOr<LinearLayout> layout = ir::toLinearLayout(tile, [&] { return emitError(loc); });
  if (failed(layout))
    return failure();
  out.append(layout->in_size("register"), elementType(t));
  return success();
}

FailureOr<LinearLayout> KernelLowering::layoutOf(Value tile, Operation *user) {
  auto type = dyn_cast<RankedTensorType>(tile.getType());
  if (!type || !ir::isLayout(type.getEncoding()))
    return user->emitError("the GPU lowering needs a layout on every tile (run tegula-assign-gpu-layouts), got ")
           << tile.getType();
  return ir::toLinearLayout(type, [&] { return user->emitError(); });
}

const SmallVector<Value> &KernelLowering::threadPart(const LinearLayout &layout, Location loc) {
  const std::string key = layout.str();
  auto it = threadParts_.find(key);
  if (it != threadParts_.end())
    return it->second;
  const size_t dims = layout.outs().size();
  SmallVector<Value> parts(dims);
  inPrologue([&] {
  for (auto [name, id] : {std::pair<const char *, Value>{"lane", lane_}, {"warp", warp_}}) {
    for (int bit = 0; bit < log2_exact(layout.in_size(name), "a layout size"); ++bit) {
      const LinearLayout::Basis &basis = layout.basis(name, bit);
      if (isZero(basis))
        continue;
      Value set = arith::AndIOp::create(b, loc, arith::ShRUIOp::create(b, loc, id, i32(bit, loc)), i32(1, loc));
      for (size_t d = 0; d < dims; ++d) {
        if (basis[d] == 0)
          continue;
        Value term = arith::MulIOp::create(b, loc, set, i32(basis[d], loc));
        parts[d] = parts[d] ? Value(arith::XOrIOp::create(b, loc, parts[d], term)) : term;
      }
    }
  }
  });
  return threadParts_.emplace(key, std::move(parts)).first->second;
}

Value KernelLowering::coordinate(const LinearLayout &layout, int64_t reg, int dim, Location loc) {
  Value part = threadPart(layout, loc)[dim];
  const int64_t fixed = layout.apply({{"register", reg}})[dim];
  if (!part)
    return i32(fixed, loc);
  return fixed == 0 ? part : Value(arith::XOrIOp::create(b, loc, part, i32(fixed, loc)));
}

Value KernelLowering::firstCopy(const LinearLayout &layout, Location loc) {
  int64_t laneCopies = 0, warpCopies = 0;
  for (int bit = 0; bit < log2_exact(layout.in_size("lane"), "a layout size"); ++bit)
    if (isZero(layout.basis("lane", bit)))
      laneCopies |= int64_t{1} << bit;
  for (int bit = 0; bit < log2_exact(layout.in_size("warp"), "a layout size"); ++bit)
    if (isZero(layout.basis("warp", bit)))
      warpCopies |= int64_t{1} << bit;
  if (laneCopies == 0 && warpCopies == 0)
    return {};
  const std::string key = std::to_string(laneCopies) + "/" + std::to_string(warpCopies);
  if (Value cached = firstCopies_[key])
    return cached;
  Value first;
  inPrologue([&] {
    Value bits = arith::OrIOp::create(
        b, loc, arith::AndIOp::create(b, loc, lane_, i32(laneCopies, loc)),
        arith::ShLIOp::create(b, loc, arith::AndIOp::create(b, loc, warp_, i32(warpCopies, loc)),
                              i32(log2_exact(block_.lanes, "a layout size"), loc)));
    first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, bits, i32(0, loc));
  });
  return firstCopies_[key] = first;
}

uint64_t KernelLowering::copyRegisterBits(const LinearLayout &layout) {
  uint64_t bits = 0;
  for (int bit = 0; bit < log2_exact(layout.in_size("register"), "a layout size"); ++bit)
    if (isZero(layout.basis("register", bit)))
      bits |= uint64_t{1} << bit;
  return bits;
}

} // namespace tegula::gpu::lowering
