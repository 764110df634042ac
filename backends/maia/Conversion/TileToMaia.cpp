// tegula-convert-tile-to-maia. Data tiles live in TSRAM buffers at static offsets;
// index tiles, masks and pointer tiles are kept symbolic (affine in the block's
// indices) so that a masked load or store through `base + rows.col() * N + cols.row()`
// becomes one 2-D DMA whose row and column counts come from the mask. See Passes.td.
#include "backends/maia/Conversion/Passes.h"
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <variant>

namespace tegula::maia {
#define GEN_PASS_DEF_TEGULACONVERTTILETOMAIA
#include "backends/maia/Conversion/Passes.h.inc"
} // namespace tegula::maia

using namespace mlir;
namespace mir = tegula::maia::ir;
namespace tile = tegula::tile;

namespace {

/// An integer tile as base + sum over d of strides[d] * (index along d). Null values
/// are zero.
struct Affine {
  Value base;
  SmallVector<Value> strides;
};
/// A conjunction of `index_d < limit_d`; null limits are "no limit".
struct Mask {
  SmallVector<Value> limits;
};
struct Buffer {
  int64_t offset = 0;
  SmallVector<int64_t> shape;
  Type elem;
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};
/// A [rows] vector broadcast along the columns of a [rows, cols] tile.
struct RowBroadcast {
  Buffer vector;
};
struct PtrTile {
  Value base; ///< HBM byte address
  Affine offsets; ///< in elements
  Type elem;
};
struct Desc {
  Value base;
  SmallVector<Value> shape, strides;
  Type elem;
};
struct FloatConst {
  double value;
  Type elem;
};
using Info = std::variant<std::monostate, Affine, Mask, Buffer, RowBroadcast, PtrTile, Desc, FloatConst>;

struct LoweringError : std::runtime_error {
  Operation *op;
  LoweringError(Operation *op, const std::string &what) : std::runtime_error(what), op(op) {}
};

int64_t bytesOf(Type t) { return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8); }

/// Deliberate mistakes, each planted once, to show that the simulator catches them.
enum class PlantedBug { None, DropWait, OverflowTsram, DmaPastEnd };

class Lowering {
public:
  Lowering(OpBuilder &b, int64_t tsram, PlantedBug bug) : b_(b), tsram_(tsram), bug_(bug) {}
  void lowerKernel(func::FuncOp src, func::FuncOp dst);

private:
  [[noreturn]] void fail(Operation *op, const std::string &why) { throw LoweringError(op, why); }
  Location loc() const { return loc_; }
  Value cst(int64_t v) { return arith::ConstantIntOp::create(b_, loc(), b_.getI64Type(), v); }
  std::optional<int64_t> constOf(Value v) {
    APInt value;
    if (v && matchPattern(v, m_ConstantInt(&value)))
      return value.getSExtValue();
    return std::nullopt;
  }
  Value add(Value a, Value c) {
    if (!a)
      return c;
    if (!c)
      return a;
    return arith::AddIOp::create(b_, loc(), a, c);
  }
  Value sub(Value a, Value c) { return arith::SubIOp::create(b_, loc(), a ? a : cst(0), c ? c : cst(0)); }
  Value mul(Value a, Value c) {
    if (!a || !c)
      return {};
    return arith::MulIOp::create(b_, loc(), a, c);
  }
  Value min(Value a, Value c) { return arith::MinSIOp::create(b_, loc(), a, c); }

  Value scalar(Value v, Operation *user) {
    auto it = scalars_.find(v);
    if (it == scalars_.end())
      fail(user, "a scalar operand the Maia lowering does not know (a float or boolean scalar?)");
    return it->second;
  }
  Info &info(Value v, Operation *user) {
    auto it = tiles_.find(v);
    if (it == tiles_.end())
      fail(user, "a tile operand the Maia lowering does not know");
    return it->second;
  }
  template <typename T> T &as(Value v, Operation *user, const char *what) {
    Info &i = info(v, user);
    if (auto *p = std::get_if<T>(&i))
      return *p;
    fail(user, std::string("expected ") + what + " here");
  }

  Buffer allocate(ArrayRef<int64_t> shape, Type elem, Operation *op) {
    Buffer buf;
    buf.shape.assign(shape.begin(), shape.end());
    buf.elem = elem;
    buf.offset = (next_ + 255) / 256 * 256;
    if (bug_ == PlantedBug::OverflowTsram && next_ == 0) { // one 16x16 f32 tile too far
      buf.offset = tsram_ - buf.numel() * bytesOf(elem) + 16 * 16 * 4;
      bug_ = PlantedBug::None;
      return buf;
    }
    next_ = buf.offset + buf.numel() * bytesOf(elem);
    if (next_ > tsram_)
      fail(op, "the kernel's tiles need more than the tile's " + std::to_string(tsram_) +
                   " bytes of TSRAM; use smaller blocks");
    return buf;
  }
  // Commands run asynchronously. Each gets a semaphore of its own; before a command is
  // issued, the control processor waits only for the pending commands whose TSRAM
  // footprint conflicts with it (read after write, write after read or write), so a
  // DMA overlaps the vector or tensor work on other buffers. Loop bodies and the
  // kernel's end drain every pending command.
  struct Range {
    int64_t begin, end;
    bool overlaps(const Range &o) const { return begin < o.end && o.begin < end; }
  };
  struct Pending {
    int32_t sem;
    SmallVector<Range> reads, writes;
  };
  static Range rangeOf(const Buffer &buf) { return {buf.offset, buf.offset + buf.numel() * bytesOf(buf.elem)}; }
  void waitFor(size_t index) {
    mir::WaitOp::create(b_, loc(), pending_[index].sem, 1);
    freeSems_.push_back(pending_[index].sem);
    pending_.erase(pending_.begin() + index);
  }
  void drain() {
    while (!pending_.empty())
      waitFor(0);
  }
  /// Waits for what the next command conflicts with and returns its semaphore.
  int32_t begin(ArrayRef<Buffer> reads, ArrayRef<Buffer> writes, bool track = true) {
    Pending next;
    for (const Buffer &b : reads)
      next.reads.push_back(rangeOf(b));
    for (const Buffer &b : writes)
      next.writes.push_back(rangeOf(b));
    for (size_t i = 0; i < pending_.size();) {
      const Pending &p = pending_[i];
      bool conflict = false;
      for (const Range &w : p.writes)
        for (const Range &r : next.reads)
          conflict = conflict || w.overlaps(r);
      for (const Range &w : next.writes) {
        for (const Range &r : p.reads)
          conflict = conflict || w.overlaps(r);
        for (const Range &o : p.writes)
          conflict = conflict || w.overlaps(o);
      }
      if (conflict)
        waitFor(i);
      else
        ++i;
    }
    if (freeSems_.empty())
      waitFor(0);
    next.sem = freeSems_.back();
    freeSems_.pop_back();
    if (track)
      pending_.push_back(next);
    return next.sem;
  }
  Value words(const Buffer &buf) { return cst((buf.numel() * bytesOf(buf.elem) + 3) / 4); }
  /// The bit pattern that fills a buffer of `elem` with `value` word by word.
  int64_t fillBits(double value, Type elem) {
    if (elem.isF32()) {
      float f = static_cast<float>(value);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return bits;
    }
    if (elem.isBF16()) {
      APFloat f(value);
      bool lost;
      f.convert(APFloat::BFloat(), APFloat::rmNearestTiesToEven, &lost);
      uint64_t h = f.bitcastToAPInt().getZExtValue();
      return static_cast<int64_t>((h << 16) | h);
    }
    fail(nullptr, "only f32 and bf16 tiles live in TSRAM (the vector unit has no f16)");
  }
  void fill(const Buffer &buf, double value) {
    int32_t sem = begin({}, {buf});
    mir::VectorFillOp::create(b_, loc(), cst(buf.offset), cst(fillBits(value, buf.elem)), words(buf), sem);
  }
  void copy(const Buffer &to, const Buffer &from) {
    if (to.offset == from.offset)
      return;
    int32_t sem = begin({from}, {to});
    mir::VectorUnaryOp::create(b_, loc(), mir::VectorUnaryKind::Copy, cst(to.offset), cst(from.offset), words(from), sem);
  }
  Buffer materialize(Value v, Operation *user);
  void dma(bool in, const Buffer &buf, Value tsramAddress, Value address, Value rowStrideElems, Value rows, Value cols);

  void lowerBlock(Block &block);
  void lowerOp(Operation *op);
  void lowerFor(scf::ForOp op);
  void lowerElementwise(Operation *op);
  void lowerWidened(Operation *op);
  void lowerLoadStore(Operation *op);
  void lowerDesc(Operation *op);

  OpBuilder &b_;
  int64_t tsram_;
  PlantedBug bug_;
  SmallVector<Pending> pending_;
  SmallVector<int32_t> freeSems_{31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
                                 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  int64_t next_ = 0;
  Location loc_ = UnknownLoc::get(b_.getContext());
  DenseMap<Value, Value> scalars_;
  DenseMap<Value, Info> tiles_;
};

Buffer Lowering::materialize(Value v, Operation *user) {
  Info &i = info(v, user);
  if (auto *buf = std::get_if<Buffer>(&i))
    return *buf;
  if (auto *c = std::get_if<FloatConst>(&i)) {
    auto type = cast<RankedTensorType>(v.getType());
    Buffer buf = allocate(type.getShape(), c->elem, user);
    fill(buf, c->value);
    return buf;
  }
  fail(user, "this tile has no data the Maia lowering can place in TSRAM");
}

void Lowering::dma(bool in, const Buffer &buf, Value tsramAddress, Value address, Value rowStrideElems, Value rows,
                   Value cols) {
  int64_t esize = bytesOf(buf.elem);
  int64_t blockCols = buf.shape.back();
  Value rowBytes = mul(cols, cst(esize));
  Value hbmStride = rowStrideElems ? mul(rowStrideElems, cst(esize)) : rowBytes;
  // Nothing to move when the mask leaves no row or no column (the last blocks of a
  // grid can lie entirely outside the tensor).
  // The planted drop-wait bug issues the DMA without tracking it: nothing waits for it.
  bool dropWait = in && bug_ == PlantedBug::DropWait;
  if (dropWait)
    bug_ = PlantedBug::None;
  int32_t sem = in ? begin({}, {buf}, !dropWait) : begin({buf}, {}, !dropWait);
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
  int32_t tsramStride = static_cast<int32_t>(blockCols * esize);
  if (in && bug_ == PlantedBug::DmaPastEnd) {
    rows = arith::AddIOp::create(b_, loc(), rows, cst(1));
    bug_ = PlantedBug::None;
  }
  if (in)
    mir::DmaInOp::create(b_, loc(), tsramAddress, address, rows, rowBytes, hbmStride, tsramStride, sem);
  else
    mir::DmaOutOp::create(b_, loc(), address, tsramAddress, rows, rowBytes, hbmStride, tsramStride, sem);
}

void Lowering::lowerLoadStore(Operation *op) {
  bool isLoad = isa<tile::LoadOp>(op);
  Value ptr = op->getOperand(0);
  Value maskValue = isLoad ? cast<tile::LoadOp>(op).getMask() : cast<tile::StoreOp>(op).getMask();
  auto type = dyn_cast<RankedTensorType>(ptr.getType());
  if (!type || type.getRank() > 2)
    fail(op, "the Maia lowering moves 1-D and 2-D tiles (scalar and higher-rank accesses are not supported)");
  PtrTile &p = as<PtrTile>(ptr, op, "a tile of pointers");
  int64_t rank = type.getRank();
  auto innermost = constOf(p.offsets.strides[rank - 1]);
  if (!innermost || *innermost != 1)
    fail(op, "the innermost dimension of this access is not contiguous; the Maia lowering needs unit-stride rows");
  Value rowStride = rank == 2 ? p.offsets.strides[0] : Value();
  int64_t rowsBlock = rank == 2 ? type.getDimSize(0) : 1, colsBlock = type.getShape().back();
  if (rank == 2 && rowsBlock > 1) {
    auto stride = constOf(rowStride);
    if (!rowStride || (stride && *stride == 0))
      fail(op, "every row of this access reads the same memory; the Maia lowering needs a row stride (load "
               "one row and broadcast it instead)");
  }
  Value rows = cst(rowsBlock), cols = cst(colsBlock);
  if (maskValue) {
    Mask m = as<Mask>(maskValue, op, "a mask of index comparisons");
    if (rank == 2 && m.limits[0])
      rows = min(rows, m.limits[0]);
    if (m.limits[rank - 1])
      cols = min(cols, m.limits[rank - 1]);
  }
  int64_t esize = bytesOf(p.elem);
  Value address = add(p.base, mul(p.offsets.base, cst(esize)));
  if (isLoad) {
    Buffer buf = allocate(type.getShape(), p.elem, op);
    if (maskValue) {
      double other = 0;
      if (Value o = cast<tile::LoadOp>(op).getOther())
        other = as<FloatConst>(o, op, "a constant `other`").value;
      fill(buf, other);
    }
    dma(/*in=*/true, buf, cst(buf.offset), address, rowStride, rows, cols);
    tiles_[op->getResult(0)] = buf;
  } else {
    Buffer buf = materialize(cast<tile::StoreOp>(op).getValue(), op);
    dma(/*in=*/false, buf, cst(buf.offset), address, rowStride, rows, cols);
  }
}

void Lowering::lowerDesc(Operation *op) {
  Value descValue = op->getOperand(0);
  Desc d = as<Desc>(descValue, op, "a tensor descriptor"); // a copy: the map grows below
  auto descType = cast<tile::TensorDescType>(descValue.getType());
  if (descType.getRank() != 2)
    fail(op, "the Maia lowering handles 2-D descriptors");
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
  auto tsramAt = [&](const Buffer &buf) {
    Value inBlock = add(mul(skip0, cst(block[1])), skip1);
    return add(cst(buf.offset), mul(inBlock, cst(esize)));
  };
  if (auto load = dyn_cast<tile::DescLoadOp>(op)) {
    Buffer buf = allocate(block, d.elem, op);
    fill(buf, 0.0); // out-of-bounds elements read as zero
    dma(true, buf, tsramAt(buf), address, d.strides[0], rows, cols);
    tiles_[load.getResult()] = buf;
  } else {
    Buffer buf = materialize(cast<tile::DescStoreOp>(op).getValue(), op);
    dma(false, buf, tsramAt(buf), address, d.strides[0], rows, cols);
  }
}

void Lowering::lowerElementwise(Operation *op) {
  Value result = op->getResult(0);
  auto type = cast<RankedTensorType>(result.getType());
  Type elem = type.getElementType();
  if (elem.isBF16()) {
    // bf16 arithmetic is f32 arithmetic rounded once, as on the CPU: widen the
    // operands, compute, narrow the result.
    lowerWidened(op);
    return;
  }
  if (!elem.isF32())
    fail(op, "the Maia vector unit computes in f32 (and bf16 through f32); cast " +
                 std::to_string(elem.getIntOrFloatBitWidth()) + "-bit floats to f32 first");
  // Row-broadcast operands: x - v[:,None] and x / v[:,None].
  if (isa<arith::SubFOp, arith::DivFOp>(op)) {
    if (auto *row = std::get_if<RowBroadcast>(&info(op->getOperand(1), op))) {
      Buffer vector = row->vector; // copied: materialize may grow the map
      Buffer x = materialize(op->getOperand(0), op);
      Buffer out = allocate(type.getShape(), elem, op);
      auto kind = isa<arith::SubFOp>(op) ? mir::RowKind::Sub : mir::RowKind::Div;
      int32_t sem = begin({x, vector}, {out});
      mir::RowOp::create(b_, loc(), kind, cst(out.offset), cst(x.offset), cst(vector.offset),
                         cst(type.getShape().back()), cst(type.getRank() == 2 ? type.getDimSize(0) : 1), sem);
      tiles_[result] = out;
      return;
    }
  }
  if (isa<math::ExpOp>(op)) {
    Buffer x = materialize(op->getOperand(0), op);
    Buffer out = allocate(type.getShape(), elem, op);
    int32_t sem = begin({x}, {out});
    mir::VectorUnaryOp::create(b_, loc(), mir::VectorUnaryKind::Exp, cst(out.offset), cst(x.offset), cst(x.numel()), sem);
    tiles_[result] = out;
    return;
  }
  if (isa<arith::NegFOp>(op)) { // x * -1 (not 0 - x, which would turn -0 into +0)
    Buffer x = materialize(op->getOperand(0), op);
    Buffer minusOne = allocate(type.getShape(), elem, op);
    fill(minusOne, -1.0);
    int32_t sem = begin({minusOne, x}, {minusOne});
    mir::VectorBinaryOp::create(b_, loc(), mir::VectorKind::Mul, cst(minusOne.offset), cst(minusOne.offset),
                                cst(x.offset), cst(x.numel()), sem);
    tiles_[result] = minusOne;
    return;
  }
  mir::VectorKind kind;
  if (isa<arith::AddFOp>(op))
    kind = mir::VectorKind::Add;
  else if (isa<arith::SubFOp>(op))
    kind = mir::VectorKind::Sub;
  else if (isa<arith::MulFOp>(op))
    kind = mir::VectorKind::Mul;
  else if (isa<arith::MaxNumFOp>(op)) // the vector unit's max drops NaNs, as maxnum does
    kind = mir::VectorKind::Max;
  else
    fail(op, "has no Maia vector-unit equivalent");
  Buffer lhs = materialize(op->getOperand(0), op), rhs = materialize(op->getOperand(1), op);
  Buffer out = allocate(type.getShape(), elem, op);
  int32_t sem = begin({lhs, rhs}, {out});
  mir::VectorBinaryOp::create(b_, loc(), kind, cst(out.offset), cst(lhs.offset), cst(rhs.offset), cst(out.numel()), sem);
  tiles_[result] = out;
}

void Lowering::lowerWidened(Operation *op) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  auto f32 = Float32Type::get(op->getContext());
  auto convert = [&](const Buffer &src, Type to, mir::VectorUnaryKind kind) {
    Buffer out = allocate(src.shape, to, op);
    int32_t sem = begin({src}, {out});
    mir::VectorUnaryOp::create(b_, loc(), kind, cst(out.offset), cst(src.offset), cst(src.numel()), sem);
    return out;
  };
  // Temporary f32 values stand in for the operands while the op itself is lowered.
  SmallVector<Value> wideOperands;
  for (Value operand : op->getOperands()) {
    Info &i = info(operand, op);
    Value stand = UnrealizedConversionCastOp::create(b_, loc(), RankedTensorType::get(cast<RankedTensorType>(operand.getType()).getShape(), f32), ValueRange{}).getResult(0);
    if (auto *c = std::get_if<FloatConst>(&i)) {
      FloatConst wide{c->value, f32};
      tiles_[stand] = wide;
    } else if (std::holds_alternative<RowBroadcast>(i)) {
      Buffer vec = std::get<RowBroadcast>(i).vector;
      tiles_[stand] = RowBroadcast{convert(vec, f32, mir::VectorUnaryKind::ToF32)};
    } else {
      Buffer narrow = materialize(operand, op);
      tiles_[stand] = convert(narrow, f32, mir::VectorUnaryKind::ToF32);
    }
    wideOperands.push_back(stand);
  }
  Operation *wide = b_.clone(*op);
  wide->setOperands(wideOperands);
  wide->getResult(0).setType(RankedTensorType::get(type.getShape(), f32));
  lowerElementwise(wide);
  Buffer result = std::get<Buffer>(tiles_[wide->getResult(0)]);
  tiles_[op->getResult(0)] = convert(result, type.getElementType(), mir::VectorUnaryKind::ToBf16);
  // The stand-ins were only keys of the map; they never reach the output.
  tiles_.erase(wide->getResult(0));
  wide->erase();
  for (Value v : wideOperands) {
    tiles_.erase(v);
    v.getDefiningOp()->erase();
  }
}

void Lowering::lowerFor(scf::ForOp op) {
  Value lb = scalar(op.getLowerBound(), op), ub = scalar(op.getUpperBound(), op), step = scalar(op.getStep(), op);
  SmallVector<Value> inits;
  SmallVector<int> scalarSlot; // per iter arg: index among the new loop's iter args, or -1
  SmallVector<Buffer> carried(op.getNumRegionIterArgs());
  for (auto [i, init] : llvm::enumerate(op.getInitArgs())) {
    if (isa<RankedTensorType>(init.getType())) {
      auto type = cast<RankedTensorType>(init.getType());
      Info &i0 = info(init, op);
      if (auto *c = std::get_if<FloatConst>(&i0)) {
        carried[i] = allocate(type.getShape(), c->elem, op);
        fill(carried[i], c->value);
      } else {
        Buffer from = materialize(init, op);
        carried[i] = allocate(type.getShape(), from.elem, op);
        copy(carried[i], from);
      }
      scalarSlot.push_back(-1);
    } else {
      scalarSlot.push_back(static_cast<int>(inits.size()));
      inits.push_back(scalar(init, op));
    }
  }
  drain(); // a loop body starts with nothing pending (it waits for its own commands)
  auto loop = scf::ForOp::create(b_, loc(), lb, ub, step, inits);
  {
    OpBuilder::InsertionGuard guard(b_);
    Block *body = loop.getBody();
    // Without iter args the builder already added the terminator.
    bool terminated = body->mightHaveTerminator();
    if (terminated)
      b_.setInsertionPoint(body->getTerminator());
    else
      b_.setInsertionPointToEnd(body);
    scalars_[op.getInductionVar()] = loop.getInductionVar();
    for (auto [i, arg] : llvm::enumerate(op.getRegionIterArgs())) {
      if (scalarSlot[i] >= 0)
        scalars_[arg] = loop.getRegionIterArgs()[scalarSlot[i]];
      else
        tiles_[arg] = carried[i];
    }
    for (Operation &inner : op.getBody()->without_terminator())
      lowerOp(&inner);
    auto yield = cast<scf::YieldOp>(op.getBody()->getTerminator());
    loc_ = yield.getLoc();
    SmallVector<Value> next;
    // The yield is a parallel copy: a carried buffer may be the source of another
    // carried tile's copy, so sources that are carried buffers go through a staging
    // buffer before any carried buffer is written.
    SmallVector<std::pair<Buffer, Buffer>> copies; // (target, source)
    for (auto [i, value] : llvm::enumerate(yield.getOperands())) {
      if (scalarSlot[i] >= 0) {
        next.push_back(scalar(value, yield));
        continue;
      }
      Buffer source = materialize(value, yield);
      bool sourceIsCarried = llvm::any_of(carried, [&](const Buffer &c) { return c.offset == source.offset; });
      if (sourceIsCarried && source.offset != carried[i].offset) {
        Buffer staged = allocate(source.shape, source.elem, yield);
        copy(staged, source);
        source = staged;
      }
      copies.push_back({carried[i], source});
    }
    for (auto &[target, source] : copies)
      copy(target, source);
    drain(); // the next iteration may touch any buffer
    if (!terminated)
      scf::YieldOp::create(b_, loc(), next);
  }
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    if (scalarSlot[i] >= 0)
      scalars_[result] = loop.getResult(scalarSlot[i]);
    else
      tiles_[result] = carried[i];
  }
}

void Lowering::lowerOp(Operation *op) {
  loc_ = op->getLoc();
  auto isTile = [](Value v) { return isa<RankedTensorType>(v.getType()); };
  if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = c.getValue();
    if (auto dense = dyn_cast<SplatElementsAttr>(value)) {
      Type elem = dense.getElementType();
      if (isa<FloatType>(elem))
        tiles_[c.getResult()] = FloatConst{dense.getSplatValue<APFloat>().convertToDouble(), elem};
      else
        tiles_[c.getResult()] = Affine{cst(dense.getSplatValue<APInt>().getSExtValue()),
                                       SmallVector<Value>(dense.getType().getRank())};
      return;
    }
    if (auto i = dyn_cast<IntegerAttr>(value); i && !i.getType().isInteger(1)) {
      scalars_[c.getResult()] = cst(i.getInt());
      return;
    }
    if (auto f = dyn_cast<FloatAttr>(value)) {
      tiles_[c.getResult()] = FloatConst{f.getValueAsDouble(), f.getType()};
      return;
    }
    fail(op, "unsupported constant");
  }
  if (auto pid = dyn_cast<tile::ProgramIdOp>(op)) {
    scalars_[pid.getResult()] = mir::ProgramIdOp::create(b_, loc(), b_.getI64Type(), static_cast<int32_t>(pid.getAxis()));
    return;
  }
  if (auto n = dyn_cast<tile::NumProgramsOp>(op)) {
    scalars_[n.getResult()] = mir::NumProgramsOp::create(b_, loc(), b_.getI64Type(), static_cast<int32_t>(n.getAxis()));
    return;
  }
  // Scalar integer arithmetic.
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::MinSIOp>(op) && !isTile(op->getResult(0))) {
    Value a = scalar(op->getOperand(0), op), c = scalar(op->getOperand(1), op);
    Value r = isa<arith::AddIOp>(op)   ? Value(arith::AddIOp::create(b_, loc(), a, c))
              : isa<arith::SubIOp>(op) ? Value(arith::SubIOp::create(b_, loc(), a, c))
              : isa<arith::MulIOp>(op) ? Value(arith::MulIOp::create(b_, loc(), a, c))
                                       : Value(arith::MinSIOp::create(b_, loc(), a, c));
    scalars_[op->getResult(0)] = r;
    return;
  }
  if (isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp>(op) && !isTile(op->getResult(0))) {
    scalars_[op->getResult(0)] = scalar(op->getOperand(0), op);
    return;
  }
  // Index tiles, masks and pointer tiles (symbolic).
  if (auto r = dyn_cast<tile::RangeOp>(op)) {
    tiles_[r.getResult()] = Affine{r.getStart() ? cst(static_cast<int32_t>(r.getStart())) : Value(), {cst(1)}};
    return;
  }
  if (auto s = dyn_cast<tile::SplatOp>(op)) {
    auto type = s.getResult().getType();
    Value src = s.getSrc();
    SmallVector<Value> zeros(type.getRank());
    if (isa<tile::PointerType>(src.getType()))
      tiles_[s.getResult()] = PtrTile{scalar(src, op), Affine{Value(), zeros},
                                      cast<tile::PointerType>(src.getType()).getPointeeType()};
    else if (isa<FloatType>(src.getType())) {
      FloatConst c = as<FloatConst>(src, op, "a constant float (runtime float scalars are not supported)");
      tiles_[s.getResult()] = c;
    }
    else
      tiles_[s.getResult()] = Affine{scalar(src, op), zeros};
    return;
  }
  if (auto e = dyn_cast<tile::ExpandDimsOp>(op)) {
    int64_t axis = static_cast<int32_t>(e.getAxis());
    Info &i = info(e.getSrc(), op);
    if (auto *a = std::get_if<Affine>(&i)) {
      Affine out = *a;
      out.strides.insert(out.strides.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *m = std::get_if<Mask>(&i)) {
      Mask out = *m;
      out.limits.insert(out.limits.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *p = std::get_if<PtrTile>(&i)) {
      PtrTile out = *p;
      out.offsets.strides.insert(out.offsets.strides.begin() + axis, Value());
      tiles_[e.getResult()] = out;
    } else if (auto *buf = std::get_if<Buffer>(&i)) {
      Buffer out = *buf;
      out.shape.insert(out.shape.begin() + axis, 1);
      tiles_[e.getResult()] = out;
    } else if (auto *c = std::get_if<FloatConst>(&i)) {
      FloatConst copy = *c;
      tiles_[e.getResult()] = copy;
    } else {
      fail(op, "cannot expand this tile");
    }
    return;
  }
  if (auto bc = dyn_cast<tile::BroadcastOp>(op)) {
    Info &i = info(bc.getSrc(), op);
    auto srcShape = bc.getSrc().getType().getShape();
    if (auto *buf = std::get_if<Buffer>(&i)) {
      // [rows, 1] -> [rows, cols] is a row broadcast; anything else would need copies.
      if (srcShape.size() == 2 && srcShape[1] == 1) {
        tiles_[bc.getResult()] = RowBroadcast{*buf};
        return;
      }
      fail(op, "the Maia lowering broadcasts data tiles only along columns ([rows,1] -> [rows,cols])");
    }
    Info copy = i; // copied first: inserting into the map may move `i`
    tiles_[bc.getResult()] = copy; // symbolic tiles and constants do not depend on the size
    return;
  }
  if (isa<arith::AddIOp, arith::MulIOp>(op)) {
    Affine &x = as<Affine>(op->getOperand(0), op, "an index tile");
    Affine &y = as<Affine>(op->getOperand(1), op, "an index tile");
    Affine out;
    if (isa<arith::AddIOp>(op)) {
      out.base = add(x.base, y.base);
      for (auto [s, t] : llvm::zip(x.strides, y.strides))
        out.strides.push_back(add(s, t));
    } else {
      // One side must be uniform (a splat) for the product to stay affine.
      bool xUniform = llvm::all_of(x.strides, [](Value v) { return !v; });
      bool yUniform = llvm::all_of(y.strides, [](Value v) { return !v; });
      if (!xUniform && !yUniform)
        fail(op, "the product of two varying index tiles is not affine");
      Affine &v = xUniform ? y : x;
      Value k = xUniform ? x.base : y.base;
      out.base = mul(v.base, k);
      for (Value s : v.strides)
        out.strides.push_back(mul(s, k));
    }
    tiles_[op->getResult(0)] = out;
    return;
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(op); cmp && isTile(cmp.getResult())) {
    if (cmp.getPredicate() != arith::CmpIPredicate::slt)
      fail(op, "masks must be `index < bound` comparisons");
    Affine &x = as<Affine>(cmp.getLhs(), op, "an index tile");
    Affine &bound = as<Affine>(cmp.getRhs(), op, "a bound");
    if (!llvm::all_of(bound.strides, [](Value v) { return !v; }))
      fail(op, "a mask's bound must be the same for every element");
    Mask m;
    m.limits.resize(x.strides.size());
    int varying = -1;
    for (auto [d, s] : llvm::enumerate(x.strides)) {
      if (!s)
        continue;
      auto c = constOf(s);
      if (!c || *c != 1 || varying >= 0)
        fail(op, "a mask must compare one unit-stride index (as arange or rows.col()) with a bound");
      varying = static_cast<int>(d);
    }
    if (varying < 0)
      fail(op, "a mask over a uniform value is a scalar condition; use if_else");
    m.limits[varying] = sub(bound.base, x.base);
    tiles_[cmp.getResult()] = m;
    return;
  }
  if (auto a = dyn_cast<arith::AndIOp>(op); a && isTile(a.getResult())) {
    Mask &x = as<Mask>(a.getLhs(), op, "a mask"), &y = as<Mask>(a.getRhs(), op, "a mask");
    Mask out;
    for (auto [s, t] : llvm::zip(x.limits, y.limits))
      out.limits.push_back(!s ? t : !t ? s : min(s, t));
    tiles_[a.getResult()] = out;
    return;
  }
  if (auto ap = dyn_cast<tile::AddPtrOp>(op)) {
    if (!isTile(ap.getResult())) {
      Value off = scalar(ap.getOffset(), op);
      int64_t esize = bytesOf(cast<tile::PointerType>(ap.getType()).getPointeeType());
      scalars_[ap.getResult()] = add(scalar(ap.getPtr(), op), mul(off, cst(esize)));
      return;
    }
    PtrTile p = as<PtrTile>(ap.getPtr(), op, "a tile of pointers");
    Affine &o = as<Affine>(ap.getOffset(), op, "an index tile");
    p.offsets.base = add(p.offsets.base, o.base);
    for (auto [s, t] : llvm::zip(p.offsets.strides, o.strides))
      s = add(s, t);
    tiles_[ap.getResult()] = p;
    return;
  }
  if (isa<tile::LoadOp, tile::StoreOp>(op))
    return lowerLoadStore(op);
  if (auto md = dyn_cast<tile::MakeDescOp>(op)) {
    Desc d;
    d.base = scalar(md.getBase(), op);
    for (Value v : md.getShape())
      d.shape.push_back(scalar(v, op));
    for (Value v : md.getStrides())
      d.strides.push_back(scalar(v, op));
    d.elem = md.getType().getElementType();
    tiles_[md.getResult()] = d;
    return;
  }
  if (isa<tile::DescLoadOp, tile::DescStoreOp>(op))
    return lowerDesc(op);
  if (auto dot = dyn_cast<tile::DotOp>(op)) {
    auto aType = dot.getA().getType();
    if (!aType.getElementType().isBF16())
      fail(op, "the Maia tensor unit multiplies bf16 tiles; this dot has " +
                   std::string(aType.getElementType().isF32() ? "f32" : "non-bf16") + " operands");
    Buffer a = materialize(dot.getA(), op), bb = materialize(dot.getB(), op);
    Buffer acc = materialize(dot.getAcc(), op);
    // Accumulate in place only when nothing else reads the old value: one use, and not
    // from inside a loop that the accumulator was defined outside of (each iteration
    // would add to the previous one's result).
    if (!dot.getAcc().hasOneUse() || dot.getAcc().getParentBlock() != op->getBlock()) {
      Buffer fresh = allocate(acc.shape, acc.elem, op);
      copy(fresh, acc);
      acc = fresh;
    }
    int32_t sem = begin({a, bb, acc}, {acc});
    mir::MmaOp::create(b_, loc(), cst(acc.offset), cst(a.offset), cst(bb.offset), cst(aType.getDimSize(0)),
                       cst(dot.getB().getType().getDimSize(1)), static_cast<int32_t>(aType.getDimSize(1)), sem);
    tiles_[dot.getResult()] = acc;
    return;
  }
  if (auto red = dyn_cast<tile::ReduceOp>(op)) {
    auto type = red.getSrc().getType();
    if (static_cast<int64_t>(static_cast<int32_t>(red.getAxis())) != type.getRank() - 1 || type.getRank() > 2 ||
        !type.getElementType().isF32())
      fail(op, "the Maia lowering reduces f32 tiles along their last axis");
    if (red.getKind() != tile::ReduceKind::Max && red.getKind() != tile::ReduceKind::Sum)
      fail(op, "the Maia vector unit reduces rows by max or sum");
    if (type.getRank() == 1)
      fail(op, "a reduction to a scalar is not supported on Maia yet");
    Buffer src = materialize(red.getSrc(), op);
    Buffer out = allocate({type.getDimSize(0)}, type.getElementType(), op);
    int32_t sem = begin({src}, {out});
    mir::RowOp::create(b_, loc(), red.getKind() == tile::ReduceKind::Max ? mir::RowKind::Max : mir::RowKind::Sum,
                       cst(out.offset), cst(src.offset), Value(), cst(type.getDimSize(1)), cst(type.getDimSize(0)), sem);
    tiles_[red.getResult()] = out;
    return;
  }
  if (isa<arith::ExtFOp, arith::TruncFOp>(op) && isTile(op->getResult(0))) {
    auto from = cast<RankedTensorType>(op->getOperand(0).getType()).getElementType();
    auto to = cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
    bool widen = from.isBF16() && to.isF32(), narrow = from.isF32() && to.isBF16();
    if (!widen && !narrow)
      fail(op, "the Maia vector unit converts only between bf16 and f32");
    Buffer src = materialize(op->getOperand(0), op);
    Buffer out = allocate(src.shape, to, op);
    int32_t sem = begin({src}, {out});
    mir::VectorUnaryOp::create(b_, loc(), widen ? mir::VectorUnaryKind::ToF32 : mir::VectorUnaryKind::ToBf16,
                               cst(out.offset), cst(src.offset), cst(src.numel()), sem);
    tiles_[op->getResult(0)] = out;
    return;
  }
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp, arith::MaxNumFOp, arith::NegFOp,
          math::ExpOp>(op) &&
      isTile(op->getResult(0)))
    return lowerElementwise(op);
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return lowerFor(loop);
  if (isa<func::ReturnOp>(op)) {
    drain();
    func::ReturnOp::create(b_, loc());
    return;
  }
  fail(op, "is not supported by the Maia lowering yet");
}

void Lowering::lowerKernel(func::FuncOp src, func::FuncOp dst) {
  Block *entry = dst.addEntryBlock();
  b_.setInsertionPointToStart(entry);
  loc_ = src.getLoc();
  for (auto [i, arg] : llvm::enumerate(src.getArguments())) {
    if (isa<RankedTensorType>(arg.getType()))
      fail(src, "tile-typed kernel arguments are not supported");
    if (isa<FloatType>(arg.getType()))
      fail(src, "float scalar kernel arguments are not supported on Maia yet");
    scalars_[arg] = mir::ArgOp::create(b_, loc(), b_.getI64Type(), static_cast<int32_t>(i));
  }
  for (Operation &op : src.getBody().front())
    lowerOp(&op);
}

struct ConvertTileToMaiaPass : public tegula::maia::impl::TegulaConvertTileToMaiaBase<ConvertTileToMaiaPass> {
  using TegulaConvertTileToMaiaBase::TegulaConvertTileToMaiaBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    PlantedBug bug = PlantedBug::None;
    if (plantBug == "drop-wait")
      bug = PlantedBug::DropWait;
    else if (plantBug == "overflow-tsram")
      bug = PlantedBug::OverflowTsram;
    else if (plantBug == "dma-past-end")
      bug = PlantedBug::DmaPastEnd;
    else if (!plantBug.empty()) {
      module.emitError() << "unknown plant-bug '" << plantBug << "' (drop-wait, overflow-tsram, dma-past-end)";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tile::kKernelAttrName))
        kernels.push_back(func);
    for (func::FuncOp src : kernels) {
      OpBuilder b(src);
      auto dst = func::FuncOp::create(b, src.getLoc(), src.getSymName(), b.getFunctionType({}, {}));
      dst->setAttr(mir::kKernelAttrName, b.getUnitAttr());
      Lowering lowering(b, tsramBytes, bug);
      try {
        lowering.lowerKernel(src, dst);
      } catch (const LoweringError &e) {
        Operation *at = e.op ? e.op : src.getOperation();
        at->emitError() << e.what();
        return signalPassFailure();
      }
      src.erase();
    }
  }
};

} // namespace
