// Loads, stores and descriptor accesses of tegula-convert-tile-to-maia: each becomes
// one 2-D DMA between HBM and a TSRAM buffer, with its extents from the mask or the
// descriptor's shape.
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"

namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

Buffer Lowering::loadTarget(ArrayRef<int64_t> shape, Type elem, Operation *op) {
  if (prefetchTarget_)
    return *prefetchTarget_;
  return allocate(shape, elem, op);
}

Value Lowering::guardRows(Value rows, int64_t blockRows) {
  if (!iterationsLeft_)
    return rows;
  // At least one iteration left: left * blockRows >= rows, so rows is kept; none left:
  // the product is not positive and the DMA is skipped.
  return min(rows, mul(iterationsLeft_, cst(blockRows)));
}

void Lowering::fillIfPartial(const Buffer &buf, double value, Value rows, Value cols) {
  int64_t blockRows = buf.shape.size() == 2 ? buf.shape[0] : 1;
  std::optional<int64_t> r = constOf(rows), c = constOf(cols);
  if (r && c && *r >= blockRows && *c >= buf.shape.back())
    return; // the transfer covers the whole buffer
  // Interior blocks of a grid are covered entirely by their transfer; only blocks at
  // an edge (rows or columns short) need the fill. The semaphore is taken first, so
  // that any wait it needs happens on both paths.
  int32_t sem = begin({}, {buf});
  Value shortfall = min(sub(rows, cst(blockRows)), sub(cols, cst(buf.shape.back())));
  auto partial = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::slt, shortfall, cst(0));
  auto branch = scf::IfOp::create(b_, loc(), partial, /*withElse=*/true);
  OpBuilder::InsertionGuard guard(b_);
  b_.setInsertionPointToStart(branch.elseBlock());
  mir::SignalOp::create(b_, loc(), sem, 1);
  b_.setInsertionPointToStart(branch.thenBlock());
  emitFill(buf, value, sem);
}

Buffer Lowering::materialize(Value v, Operation *user) {
  Info &i = info(v, user);
  if (auto *buf = std::get_if<Buffer>(&i))
    return *buf;
  if (auto *c = std::get_if<FloatConst>(&i)) {
    FloatConst splat = *c; // a copy: allocating may not, but filling may grow the map
    auto type = cast<RankedTensorType>(v.getType());
    Buffer buf = allocate(type.getShape(), splat.elem, user);
    fillWith(buf, splatBits(splat, splat.elem, user));
    return buf;
  }
  if (std::holds_alternative<RowBroadcast>(i) || std::holds_alternative<ColBroadcast>(i)) {
    // The whole tile: ones times the vector along its axis, exact (a row or column
    // operation), for the operators the row and column units do not have.
    const bool row = std::holds_alternative<RowBroadcast>(i);
    Buffer vector = row ? std::get<RowBroadcast>(i).vector : std::get<ColBroadcast>(i).vector;
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != 2)
      fail(user, "a broadcast is made a whole tile in 2-D tiles only");
    if (!vector.elem.isF32())
      return materializeAs(v, user); // the typed unit's row broadcast or row copies
    Buffer whole = allocate(type.getShape(), vector.elem, user);
    fill(whole, 1.0);
    const int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    int32_t sem = begin({whole, vector}, {whole});
    if (row)
      mir::RowOp::create(b_, loc(), mir::RowKind::Mul, cst(whole.offset), cst(whole.offset), cst(vector.offset),
                         cst(cols), cst(rows), sem);
    else
      mir::ColOp::create(b_, loc(), mir::ColKind::Mul, cst(whole.offset), cst(whole.offset), cst(vector.offset),
                         cst(cols), cst(rows), sem);
    return whole;
  }
  if (std::holds_alternative<Affine>(i) || std::holds_alternative<Mask>(i))
    return materializeAs(v, user); // index tiles and masks used as values
  if (auto *t = std::get_if<Transposed>(&i)) {
    // A transposed tile used as data (the tensor unit reads it in place): one typed
    // transpose.
    Buffer src = t->buffer;
    Buffer out = allocate({src.shape[1], src.shape[0]}, src.elem, user);
    typedRow(mir::TypedRowKind::Trans, out, src, src.shape[1], src.shape[0]);
    return out;
  }
  fail(user, "an operand is " + describe(i) +
                 ", which the lowering keeps as addresses or masks, not as data in TSRAM; computing with it as "
                 "values is not lowered");
}

void Lowering::dma(bool in, const Buffer &buf, Value nearAddress, Value farAddress, Value farRowStrideElems,
                   Value rows, Value cols, bool nearIsCsram) {
  int64_t esize = bytesOf(buf.elem);
  int64_t blockCols = buf.shape.empty() ? 1 : buf.shape.back(); // a scalar is one element
  Value rowBytes = mul(cols, cst(esize));
  Value farStride = farRowStrideElems ? mul(farRowStrideElems, cst(esize)) : rowBytes;
  // A transfer into CSRAM has no TSRAM footprint; the cluster barrier orders it.
  int32_t sem = nearIsCsram ? begin({}, {}, CommandKind::DmaIn)
                : in        ? begin({}, {buf}, CommandKind::DmaIn)
                            : begin({buf}, {});
  // Nothing to move when the mask leaves no row or no column (the last blocks of a
  // grid can lie entirely outside the tensor).
  Value zero = cst(0);
  auto rowsOk = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::sgt, rows, zero);
  auto outer = scf::IfOp::create(b_, loc(), rowsOk, /*withElse=*/true);
  OpBuilder::InsertionGuard guard(b_);
  // A skipped transfer still signals its semaphore, so waiting for it never hangs.
  b_.setInsertionPointToStart(outer.elseBlock());
  mir::SignalOp::create(b_, loc(), sem, 1);
  b_.setInsertionPointToStart(outer.thenBlock());
  auto colsOk = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::sgt, cols, zero);
  auto inner = scf::IfOp::create(b_, loc(), colsOk, /*withElse=*/true);
  b_.setInsertionPointToStart(inner.elseBlock());
  mir::SignalOp::create(b_, loc(), sem, 1);
  b_.setInsertionPointToStart(inner.thenBlock());
  int32_t nearStride = static_cast<int32_t>(blockCols * esize);
  // The planted dma-past-end bug: the first transfer into TSRAM inside a loop body (in
  // a pipelined GEMM, a prefetch whose extra row lands in a buffer the tensor unit is
  // reading) moves one row more.
  if (in && !nearIsCsram && loopDepth_ > 0 && bug_ == PlantedBug::DmaPastEnd) {
    rows = arith::AddIOp::create(b_, loc(), rows, cst(1));
    bug_ = PlantedBug::None;
  }
  if (in)
    mir::DmaInOp::create(b_, loc(), nearAddress, farAddress, rows, rowBytes, farStride, nearStride, sem);
  else
    mir::DmaOutOp::create(b_, loc(), farAddress, nearAddress, rows, rowBytes, farStride, nearStride, sem);
}

Buffer Lowering::loadBlock(Operation *op, ArrayRef<int64_t> shape, Type elem, Value inBlock, Value address,
                           Value rowStrideElems, Value rows, Value cols, std::optional<double> fill) {
  int64_t blockRows = shape.size() == 2 ? shape[0] : 1;
  rows = guardRows(rows, blockRows);
  if (sharedFetch_) {
    // This instance's share of a cluster-shared load: the block goes to its CSRAM slot,
    // laid out as the TSRAM buffer will be, and only the pair's owner moves it.
    Buffer layout{0, SmallVector<int64_t>(shape), elem};
    rows = min(rows, mul(sharedFetch_->owner, cst(blockRows)));
    dma(/*in=*/true, layout, add(sharedFetch_->address, inBlock), address, rowStrideElems, rows, cols,
        /*nearIsCsram=*/true);
    return layout;
  }
  Buffer buf = loadTarget(shape, elem, op);
  if (fill)
    fillIfPartial(buf, *fill, rows, cols);
  if (auto it = sharedSource_.find(op); it != sharedSource_.end()) {
    // The pair's owner fetched the block into CSRAM; the extents are the same here.
    address = add(it->second, inBlock);
    rowStrideElems = cst(shape.back());
  }
  dma(/*in=*/true, buf, add(cst(buf.offset), inBlock), address, rowStrideElems, rows, cols);
  return buf;
}

Value Lowering::liveRows(Value rows, int64_t blockRows) {
  if (!squares_)
    return rows;
  return min(rows, mul(live_, cst(blockRows)));
}

void Lowering::lowerScalarLoad(tile::LoadOp op) {
  Type elem = op.getResult().getType();
  if (!elem.isInteger(32) && !elem.isF32())
    fail(op, "the control processor's scalar loads are lowered for i32 and f32 only");
  Value address = scalar(op.getOperand(0), op);
  Value word;
  if (Value mask = op.getMask()) {
    // Read only when the flag is set; else the word is `other` (its f32 bits).
    int64_t otherBits = 0;
    if (Value o = op.getOther()) {
      if (elem.isF32()) {
        FloatConst &c = as<FloatConst>(o, op, "a float constant as `other`");
        if (c.bits)
          fail(op, "`other` must be a compile-time constant");
        otherBits = fillBits(c.value, elem);
      } else {
        std::optional<int64_t> c = constOf(scalar(o, op));
        if (!c)
          fail(op, "`other` must be a compile-time constant");
        otherBits = *c;
      }
    }
    auto set = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::ne, scalar(mask, op), cst(0));
    auto branch = scf::IfOp::create(b_, loc(), TypeRange{b_.getI64Type()}, set, /*withElse=*/true);
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(branch.thenBlock());
    scf::YieldOp::create(b_, loc(), ValueRange{mir::LoadWordOp::create(b_, loc(), b_.getI64Type(), address)});
    b_.setInsertionPointToStart(branch.elseBlock());
    scf::YieldOp::create(b_, loc(), ValueRange{cst(otherBits)});
    word = branch.getResult(0);
  } else {
    word = mir::LoadWordOp::create(b_, loc(), b_.getI64Type(), address);
  }
  if (elem.isF32())
    tiles_[op.getResult()] = FloatConst{0.0, elem, word}; // the register holds its bits
  else
    scalars_[op.getResult()] = word;
}

void Lowering::boundByMask(Operation *op, Value maskValue, int64_t rank, Value &rows, Value &cols) {
  if (!maskValue)
    return;
  Mask m = as<Mask>(maskValue, op, "a mask of index comparisons");
  if (m.diagonal)
    fail(op, "a diagonal mask does not bound a transfer in this lowering; select with it instead");
  if (rank == 2 && m.limits[0])
    rows = min(rows, m.limits[0]);
  if (m.limits[rank - 1])
    cols = min(cols, m.limits[rank - 1]);
}

Lowering::BlockAccess Lowering::blockAccess(Operation *op, Value ptr, Value maskValue) {
  auto type = cast<RankedTensorType>(ptr.getType());
  PtrTile &p = as<PtrTile>(ptr, op, "a tile of pointers");
  int64_t rank = type.getRank();
  auto innermost = constOf(p.offsets.strides[rank - 1]);
  if (!innermost || *innermost != 1)
    fail(op, "the innermost dimension of this access is not contiguous, and DMA rows are lowered for unit strides only");
  BlockAccess access;
  access.rowStride = rank == 2 ? p.offsets.strides[0] : Value();
  access.rowsBlock = rank == 2 ? type.getDimSize(0) : 1;
  if (rank == 2 && access.rowsBlock > 1) {
    auto stride = constOf(access.rowStride);
    if (!access.rowStride || (stride && *stride == 0))
      fail(op, "every row of this access reads the same memory; the lowering needs a row stride (load "
               "one row and broadcast it instead)");
  }
  access.rows = cst(access.rowsBlock);
  access.cols = cst(type.getShape().back());
  boundByMask(op, maskValue, rank, access.rows, access.cols);
  access.address = add(p.base, mul(p.offsets.base, cst(bytesOf(p.elem))));
  access.elem = p.elem;
  return access;
}

double Lowering::constantOther(Value o, Operation *op) {
  if (!o)
    return 0.0;
  Info &oi = info(o, op);
  if (auto *a = std::get_if<Affine>(&oi); a && llvm::all_of(a->strides, [](Value s) { return !s; })) {
    std::optional<int64_t> c = a->base ? constOf(a->base) : std::optional<int64_t>(0);
    if (!c)
      fail(op, "`other` must be a compile-time constant");
    return static_cast<double>(*c);
  }
  auto *c = std::get_if<FloatConst>(&oi);
  if (!c || c->bits)
    fail(op, "`other` must be a compile-time constant");
  return c->value;
}

void Lowering::lowerStridedAccess(Operation *op, Value ptr, Value maskValue) {
  // The innermost dimension is not contiguous (a stride other than 1, or one known only
  // at run time): each row of the block is one DMA of one-element rows, `stride` apart
  // in memory and dense in TSRAM. Slow (a command per block row, an element per DMA
  // row), and exact.
  auto type = cast<RankedTensorType>(ptr.getType());
  PtrTile p = as<PtrTile>(ptr, op, "a tile of pointers");
  const int64_t rank = type.getRank(), blockRows = rank == 2 ? type.getDimSize(0) : 1;
  const int64_t blockCols = type.getShape().back(), esize = bytesOf(p.elem);
  if (blockRows > 1 && (prefetchTarget_ || sharedFetch_))
    fail(op, "a 2-D access whose innermost dimension is not contiguous is not lowered in a loop whose loads are "
             "prefetched (it takes a DMA per row)");
  if (blockRows > 256)
    exceed(op, "a block of more than 256 rows whose innermost dimension is not contiguous takes a DMA per row; "
               "use smaller blocks");
  Value inner = p.offsets.strides[rank - 1] ? p.offsets.strides[rank - 1] : cst(0);
  Value outer = rank == 2 ? p.offsets.strides[0] : Value();
  Value rows = cst(blockRows), cols = cst(blockCols);
  boundByMask(op, maskValue, rank, rows, cols);
  Value address = add(p.base, mul(p.offsets.base, cst(esize)));
  const bool isLoad = isa<tile::LoadOp>(op);
  Buffer buf;
  if (isLoad) {
    if (sharedFetch_ || sharedSource_.count(op))
      fail(op, "an access whose innermost dimension is not contiguous is not shared through cluster SRAM");
    buf = loadTarget(type.getShape(), p.elem, op);
    if (maskValue)
      fillIfPartial(buf, constantOther(cast<tile::LoadOp>(op).getOther(), op), rows, cols);
  } else {
    buf = materialize(cast<tile::StoreOp>(op).getValue(), op);
  }
  for (int64_t r = 0; r < blockRows; ++r) {
    Buffer row = buf;
    row.offset += r * blockCols * esize;
    row.shape = {blockCols, 1};
    // Row r moves its columns when it lies inside the mask (rows - r >= 1), and no
    // positive count otherwise (the DMA is then skipped).
    Value count = min(cols, mul(min(sub(rows, cst(r)), cst(1)), cst(blockCols)));
    count = isLoad ? guardRows(count, blockCols) : liveRows(count, blockCols);
    Value rowAddress = r == 0 ? address : add(address, mul(mul(outer, cst(r)), cst(esize)));
    dma(isLoad, row, cst(row.offset), rowAddress, inner, count, cst(1));
  }
  if (isLoad)
    tiles_[op->getResult(0)] = buf;
}

void Lowering::lowerLoadStore(Operation *op) {
  bool isLoad = isa<tile::LoadOp>(op);
  if (isLoad && !isa<RankedTensorType>(op->getResult(0).getType()))
    return lowerScalarLoad(cast<tile::LoadOp>(op));
  if (!isLoad && !isa<RankedTensorType>(op->getOperand(0).getType())) {
    // A store through one pointer: the value as a one-element buffer, one DMA of one
    // element (of no rows when the scalar mask is false).
    auto store = cast<tile::StoreOp>(op);
    Buffer one = materializeScalar(store.getValue(), op);
    Value rows = cst(1);
    if (Value mask = store.getMask())
      rows = min(scalar(mask, op), cst(1));
    dma(/*in=*/false, one, cst(one.offset), scalar(store.getPtr(), op), Value(), liveRows(rows, 1), cst(1));
    return;
  }
  Value ptr = op->getOperand(0);
  Value maskValue = isLoad ? cast<tile::LoadOp>(op).getMask() : cast<tile::StoreOp>(op).getMask();
  if (needsIndexedAccess(ptr, maskValue, op))
    return lowerIndexedAccess(op, ptr, maskValue);
  auto type = dyn_cast<RankedTensorType>(ptr.getType());
  if (!type || type.getRank() > 2)
    fail(op, "accesses of 1-D and 2-D tiles are lowered, not scalar stores or tiles of higher rank");
  if (auto *p = std::get_if<PtrTile>(&info(ptr, op))) {
    std::optional<int64_t> innermost = constOf(p->offsets.strides[type.getRank() - 1]);
    if (!innermost || *innermost != 1)
      return lowerStridedAccess(op, ptr, maskValue);
  }
  BlockAccess access = blockAccess(op, ptr, maskValue);
  Value rowStride = access.rowStride, rows = access.rows, cols = access.cols, address = access.address;
  const int64_t rowsBlock = access.rowsBlock;
  if (isLoad) {
    std::optional<double> other =
        maskValue ? std::optional<double>(constantOther(cast<tile::LoadOp>(op).getOther(), op)) : std::nullopt;
    tiles_[op->getResult(0)] = loadBlock(op, type.getShape(), access.elem, cst(0), address, rowStride, rows, cols, other);
  } else {
    Buffer buf = materialize(cast<tile::StoreOp>(op).getValue(), op);
    dma(/*in=*/false, buf, cst(buf.offset), address, rowStride, liveRows(rows, rowsBlock), cols);
  }
}

void Lowering::lowerAtomic(tile::AtomicRMWOp op) {
  // One DMA atomic over the block the pointers cover (a masked-off row or column is not
  // touched); the value is copied into a buffer of its own, which the command fills
  // with the old values: the op's result.
  mir::AtomicKind kind = op.getKind() == tile::AtomicKind::Add   ? mir::AtomicKind::Add
                         : op.getKind() == tile::AtomicKind::Max ? mir::AtomicKind::Max
                         : op.getKind() == tile::AtomicKind::Min ? mir::AtomicKind::Min
                                                                 : mir::AtomicKind::Xchg;
  Value address, rowStride, rows = cst(1), cols = cst(1);
  Buffer value;
  if (auto type = dyn_cast<RankedTensorType>(op.getPtr().getType())) {
    if (needsIndexedAccess(op.getPtr(), op.getMask(), op))
      return lowerIndexedAtomic(op);
    if (auto *p = std::get_if<PtrTile>(&info(op.getPtr(), op))) {
      std::optional<int64_t> innermost = constOf(p->offsets.strides.back());
      if (type.getRank() > 2 || !innermost || *innermost != 1)
        return lowerIndexedAtomic(op); // not a block of dense rows
    }
    BlockAccess access = blockAccess(op, op.getPtr(), op.getMask());
    // TSRAM rows are dense: a partial block's rows would start `cols` elements apart,
    // so a 2-D block whose columns are masked goes element by element.
    if (type.getRank() == 2 && !constOf(access.cols).has_value())
      return lowerIndexedAtomic(op);
    address = access.address;
    rowStride = access.rowStride;
    rows = access.rows;
    cols = access.cols;
    Buffer src = materializeAs(op.getValue(), op);
    value = typedConvert(src, src.elem, op); // a copy the command may overwrite
  } else {
    address = scalar(op.getPtr(), op);
    if (Value maskValue = op.getMask())
      rows = min(scalar(maskValue, op), cst(1));
    Buffer src = materializeScalar(op.getValue(), op);
    value = typedConvert(src, src.elem, op);
  }
  const int64_t esize = bytesOf(value.elem);
  rows = liveRows(rows, value.shape.size() == 2 ? value.shape[0] : 1);
  Value rowBytes = mul(cols, cst(esize));
  Value farStride = rowStride ? mul(rowStride, cst(esize)) : rowBytes;
  int32_t sem = begin({value}, {value});
  // Nothing to update when the mask leaves no row or column; the semaphore is signalled
  // all the same.
  auto any = arith::CmpIOp::create(b_, loc(), arith::CmpIPredicate::sgt, min(rows, cols), cst(0));
  auto branch = scf::IfOp::create(b_, loc(), any, /*withElse=*/true);
  {
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPointToStart(branch.elseBlock());
    mir::SignalOp::create(b_, loc(), sem, 1);
    b_.setInsertionPointToStart(branch.thenBlock());
    mir::DmaAtomicOp::create(b_, loc(), kind, value.elem, address, cst(value.offset), rows, rowBytes, farStride, sem);
  }
  tiles_[op.getResult()] = value;
}

void Lowering::lowerDesc(Operation *op) {
  Value descValue = op->getOperand(0);
  Desc d = as<Desc>(descValue, op, "a tensor descriptor"); // a copy: the map grows below
  auto descType = cast<tile::TensorDescType>(descValue.getType());
  if (descType.getRank() != 2)
    fail(op, "only 2-D descriptors are lowered");
  auto unit = constOf(d.strides[1]);
  if (!unit || *unit != 1)
    fail(op, "the descriptor's last stride must be the constant 1 (contiguous rows)");
  SmallVector<Value> offs;
  for (Value o : isa<tile::DescLoadOp>(op) ? cast<tile::DescLoadOp>(op).getOffsets()
                                            : cast<tile::DescStoreOp>(op).getOffsets())
    offs.push_back(scalar(o, op));
  auto block = descType.getBlockShape();
  // The block covers [off, off + B) along each dimension; only [max(off, 0),
  // min(off + B, size)) is inside the tensor. `skip` is how many leading rows/columns
  // fall below 0 (0 - min(off, 0), as the ISA has min but no max).
  Value skip0 = sub(cst(0), min(offs[0], cst(0))), skip1 = sub(cst(0), min(offs[1], cst(0)));
  Value rows = sub(min(cst(block[0]), sub(d.shape[0], offs[0])), skip0);
  Value cols = sub(min(cst(block[1]), sub(d.shape[1], offs[1])), skip1);
  int64_t esize = bytesOf(d.elem);
  Value element = add(mul(add(offs[0], skip0), d.strides[0]), add(offs[1], skip1));
  Value address = add(d.base, mul(element, cst(esize)));
  Value inBlock = mul(add(mul(skip0, cst(block[1])), skip1), cst(esize));
  if (auto load = dyn_cast<tile::DescLoadOp>(op)) {
    // Out-of-bounds elements read as zero.
    tiles_[load.getResult()] = loadBlock(op, block, d.elem, inBlock, address, d.strides[0], rows, cols, 0.0);
  } else {
    Buffer buf = materialize(cast<tile::DescStoreOp>(op).getValue(), op);
    dma(false, buf, add(cst(buf.offset), inBlock), address, d.strides[0], liveRows(rows, block[0]), cols);
  }
}

} // namespace tegula::maia::lowering
