// Accesses of tegula-convert-tile-to-maia whose addresses or masks are data: pointers
// offset by data (`gather`, `slots + offs % n`, `x + where(in, offs, 0)`) and masks
// that are not index comparisons (`in && offs % 3 != 0`). Each is one indexed DMA
// (dma.gather, dma.scatter, dma.add.x ... dma.cas.x) over an i64 TSRAM array of element
// offsets and an optional mask of bytes: general, and slow (every element costs an HBM
// sector of its own).
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"


namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

PtrData Lowering::pointerData(Value ptr, Operation *user) {
  Info i = info(ptr, user); // a copy: materializing grows the map
  if (auto *d = std::get_if<PtrData>(&i))
    return *d;
  auto *p = std::get_if<PtrTile>(&i);
  if (!p)
    fail(user, "it needs a tile of pointers here, and this operand is " + describe(i));
  auto type = cast<RankedTensorType>(ptr.getType());
  return PtrData{p->base, materializeAffine(p->offsets, type.getShape(), b_.getI64Type(), user), p->elem};
}

void Lowering::lowerDataAddPtr(tile::AddPtrOp op) {
  auto type = cast<RankedTensorType>(op.getResult().getType());
  PtrData p = pointerData(op.getPtr(), op);
  Buffer offset = materializeAs(op.getOffset(), op);
  if (!offset.elem.isInteger(64))
    offset = typedConvert(offset, b_.getI64Type(), op); // sign-extended
  Buffer sum = allocate(type.getShape(), b_.getI64Type(), op);
  typedBinary(mir::TypedKind::Add, sum, p.offsets, offset);
  tiles_[op.getResult()] = PtrData{p.base, sum, p.elem};
}

bool Lowering::needsIndexedAccess(Value ptr, Value mask, Operation *user) {
  if (std::holds_alternative<PtrData>(info(ptr, user)))
    return true;
  if (!mask)
    return false;
  auto *m = std::get_if<Mask>(&info(mask, user));
  return !m || m->diagonal; // a diagonal does not bound a 2-D transfer
}

void Lowering::indexedDma(mir::IndexedKind kind, const PtrData &p, const Buffer &data, std::optional<Buffer> mask,
                          ArrayRef<Buffer> reads, ArrayRef<Buffer> writes) {
  SmallVector<Buffer> r(reads.begin(), reads.end()), w(writes.begin(), writes.end());
  r.push_back(p.offsets);
  if (mask)
    r.push_back(*mask);
  const bool gather = kind == mir::IndexedKind::Gather;
  int32_t sem = begin(r, w, gather ? CommandKind::DmaIn : CommandKind::Other);
  auto issue = [&] {
    mir::DmaIndexedOp::create(b_, loc(), kind, data.elem, p.base, cst(data.offset), cst(p.offsets.offset),
                              cst(p.offsets.numel()), mask ? cst(mask->offset) : Value(), sem);
  };
  if (gather || !squares_)
    return issue();
  // An instance standing in for a missing member of its square writes no memory; the
  // semaphore is signalled all the same.
  auto live = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::ne, live_, cst(0));
  auto branch = scf::IfOp::create(b_, loc(), live, /*withElse=*/true);
  OpBuilder::InsertionGuard guard(b_);
  b_.setInsertionPointToStart(branch.thenBlock());
  issue();
  b_.setInsertionPointToStart(branch.elseBlock());
  mir::SignalOp::create(b_, loc(), sem, 1);
}

namespace {
/// Whether a load's `other` is a compile-time constant (else it is a tile of data).
bool isConstantOther(const Info &i) {
  if (auto *a = std::get_if<Affine>(&i))
    return llvm::all_of(a->strides, [](Value s) { return !s; });
  auto *c = std::get_if<FloatConst>(&i);
  return c && !c->bits;
}
} // namespace

void Lowering::fillWithOther(const Buffer &out, Value other, Operation *op) {
  if (!other || isConstantOther(info(other, op)))
    return fill(out, constantOther(other, op));
  copyElements(out, materializeAs(other, op));
}

void Lowering::lowerIndexedAccess(Operation *op, Value ptr, Value mask) {
  if (prefetchTarget_ || sharedFetch_ || sharedSource_.count(op))
    fail(op, "an access through pointers offset by data, or under a mask of data, is not lowered as a prefetch");
  auto type = cast<RankedTensorType>(ptr.getType());
  PtrData p = pointerData(ptr, op);
  std::optional<Buffer> bytes;
  if (mask)
    bytes = materializeAs(mask, op);
  if (auto load = dyn_cast<tile::LoadOp>(op)) {
    // Masked-off lanes hold `other`: a constant fill, or a copy of a tile.
    Buffer out = allocate(type.getShape(), p.elem, op);
    if (mask)
      fillWithOther(out, load.getOther(), op);
    indexedDma(mir::IndexedKind::Gather, p, out, bytes, {}, {out});
    tiles_[load.getResult()] = out;
    return;
  }
  auto store = cast<tile::StoreOp>(op);
  Buffer value = materializeAs(store.getValue(), op);
  indexedDma(mir::IndexedKind::Scatter, p, value, bytes, {value}, {});
}

void Lowering::lowerGather(tile::GatherOp op) {
  // base[indices]: pointers offset by data from one base pointer, then a load.
  auto type = op.getResult().getType();
  Buffer indices = materializeAs(op.getIndices(), op);
  if (!indices.elem.isInteger(64))
    indices = typedConvert(indices, b_.getI64Type(), op);
  PtrData p{scalar(op.getBase(), op), indices, type.getElementType()};
  std::optional<Buffer> bytes;
  if (Value mask = op.getMask())
    bytes = materializeAs(mask, op);
  Buffer out = allocate(type.getShape(), p.elem, op);
  if (bytes)
    fillWithOther(out, op.getOther(), op);
  indexedDma(mir::IndexedKind::Gather, p, out, bytes, {}, {out});
  tiles_[op.getResult()] = out;
}

void Lowering::lowerIndexedAtomic(tile::AtomicRMWOp op) {
  mir::IndexedKind kind = op.getKind() == tile::AtomicKind::Add   ? mir::IndexedKind::Add
                          : op.getKind() == tile::AtomicKind::Max ? mir::IndexedKind::Max
                          : op.getKind() == tile::AtomicKind::Min ? mir::IndexedKind::Min
                                                                  : mir::IndexedKind::Xchg;
  PtrData p = pointerData(op.getPtr(), op);
  std::optional<Buffer> bytes;
  if (Value mask = op.getMask())
    bytes = materializeAs(mask, op);
  Buffer src = materializeAs(op.getValue(), op);
  Buffer value = typedConvert(src, src.elem, op); // a copy the command fills with the old values
  indexedDma(kind, p, value, bytes, {value}, {value});
  tiles_[op.getResult()] = value;
}

void Lowering::lowerAtomicCas(tile::AtomicCASOp op) {
  // The compare values then the new ones, in one buffer; the old values come back over
  // the compare values.
  if (!isa<RankedTensorType>(op.getPtr().getType()))
    fail(op, "a compare-and-swap through one pointer is not lowered; use a tile of one element");
  PtrData p = pointerData(op.getPtr(), op);
  Buffer compare = materializeAs(op.getCmp(), op), value = materializeAs(op.getValue(), op);
  const int64_t n = compare.numel();
  Buffer both = allocate({2 * n}, compare.elem, op);
  Buffer halves[2] = {both, both};
  halves[0].shape = halves[1].shape = compare.shape;
  halves[1].offset += n * bytesOf(compare.elem);
  copyElements(halves[0], compare);
  copyElements(halves[1], value);
  indexedDma(mir::IndexedKind::Cas, p, both, std::nullopt, {both}, {both});
  tiles_[op.getResult()] = halves[0];
}

} // namespace tegula::maia::lowering
