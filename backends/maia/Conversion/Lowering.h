// The state of tegula-convert-tile-to-maia while it lowers one kernel, shared by the
// files that lower it: shapes and f32 arithmetic (TileToMaia.cpp), the typed vector
// unit (TypedArithmetic.cpp), shape changes (Shapes.cpp), block accesses
// (MemoryAccess.cpp), indexed accesses (IndexedAccess.cpp), debugging (Debug.cpp),
// loops (Loops.cpp) and branches (Branches.cpp).
#ifndef TEGULA_BACKENDS_MAIA_CONVERSION_LOWERING_H
#define TEGULA_BACKENDS_MAIA_CONVERSION_LOWERING_H

#include "backends/maia/Conversion/Refusal.h"
#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

namespace tegula::tile {
class LoadOp;
class AtomicRMWOp;
class ReduceOp;
class ScanOp;
class DotOp;
class ReduceWithOp;
class ReshapeOp;
class JoinOp;
class SplitOp;
class AddPtrOp;
class GatherOp;
class AtomicCASOp;
class TransOp;
class PrintOp;
class AssertOp;
} // namespace tegula::tile

namespace tegula::maia::lowering {

// The MLIR names the lowering speaks in (its .cpp files open the whole namespace).
using mlir::APFloat;
using mlir::APInt;
using mlir::ArrayRef;
using mlir::Block;
using mlir::DenseMap;
using mlir::Location;
using mlir::OpBuilder;
using mlir::Operation;
using mlir::SetVector;
using mlir::SmallVector;
using mlir::Type;
using mlir::Value;
using mlir::ValueRange;
namespace arith = mlir::arith;
namespace func = mlir::func;
namespace scf = mlir::scf;
namespace mir = tegula::maia::ir;

/// An integer tile as base + sum over d of strides[d] * (index along d). Null values
/// are zero.
struct Affine {
  Value base;
  SmallVector<Value> strides;
};
/// A conjunction of `index_d < limit_d`; null limits are "no limit". A rank-2 mask may
/// also bound the diagonal: `col - row < diagonal` (a causal mask).
struct Mask {
  SmallVector<Value> limits;
  Value diagonal = {};
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
/// A [cols] vector broadcast along the rows of a [rows, cols] tile.
struct ColBroadcast {
  Buffer vector;
};
/// The transpose of a 2-D buffer, which only the tensor unit's B operand reads.
struct Transposed {
  Buffer buffer;
};
struct PtrTile {
  Value base; ///< HBM byte address
  Affine offsets; ///< in elements
  Type elem;
};
/// A tile of pointers whose offsets are data (a gather's or scatter's addresses):
/// element i points at base + offsets[i] elements, `offsets` an i64 TSRAM buffer of the
/// tile's shape.
struct PtrData {
  Value base; ///< HBM byte address
  Buffer offsets;
  Type elem;
};
struct Desc {
  Value base;
  SmallVector<Value> shape, strides;
  Type elem;
};
/// A float splat: a compile-time `value`, or (when `bits` is set) a value known at run
/// time as its f32 bit pattern in a control-processor register.
struct FloatConst {
  double value;
  Type elem;
  Value bits = {};
};
using Info =
    std::variant<std::monostate, Affine, Mask, Buffer, RowBroadcast, ColBroadcast, Transposed, PtrTile, PtrData,
                 Desc, FloatConst>;

struct LoweringError : std::runtime_error {
  Operation *op;
  LoweringError(Operation *op, const std::string &what) : std::runtime_error(what), op(op) {}
};

inline int64_t bytesOf(Type t) { return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8); }

/// Deliberate mistakes, each planted once, to show that the simulator catches them.
enum class PlantedBug { None, DropWait, OverflowTsram, DmaPastEnd, DropBarrier };

/// A load of a pipelined loop that the instances in one row or one column of a
/// cluster's 2x2 square all make: its address depends on one grid axis only. It is
/// fetched into cluster SRAM once per iteration, by one instance of the pair.
struct SharedLoad {
  Operation *load;
  int axis;          ///< the grid axis the address depends on
  int64_t offset;    ///< of its two slots in a stage of the loop's CSRAM area
  int64_t slotBytes; ///< one slot per coordinate (0 or 1) of the square along `axis`
  int32_t sem = 0;   ///< the fetch's semaphore, reserved while the loop runs
};
struct SharedLoop {
  SmallVector<SharedLoad> loads;
  int64_t stageBytes = 0; ///< two stages: one read while the other is fetched
};

/// Whether a loop's loads qualify for prefetching, and the ops computing their
/// addresses (see Loops.cpp).
bool collectAddressSlice(scf::ForOp loop, Operation *load, llvm::SetVector<Operation *> &slice);

class Lowering {
public:
  /// Semaphores s1..s<semaphores - 1> are the lowering's (s0 is left to hand-written
  /// programs).
  Lowering(OpBuilder &b, int64_t tsram, PlantedBug bug, int64_t clusterTiles, int64_t csram, int64_t semaphores)
      : b_(b), tsram_(tsram), bug_(bug), clusterTiles_(clusterTiles), csram_(csram) {
    for (int64_t s = semaphores - 1; s >= 1; --s)
      freeSems_.push_back(static_cast<int32_t>(s));
  }
  void lowerKernel(func::FuncOp src, func::FuncOp dst);
  /// TSRAM bytes allocated so far (the high-water mark of the bump allocator).
  int64_t tsramUsed() const { return peak_; }

private:
  /// Refuses the construct `op` (the op being lowered when null) as not lowered yet;
  /// exceed() as beyond the machine (Refusal.h).
  [[noreturn]] void fail(Operation *op, const std::string &why) { refuse(op, RefusalKind::NotLowered, why); }
  [[noreturn]] void exceed(Operation *op, const std::string &why) { refuse(op, RefusalKind::MachineLimit, why); }
  [[noreturn]] void refuse(Operation *op, RefusalKind kind, const std::string &why) {
    Operation *at = op ? op : current_;
    throw LoweringError(at, refusalMessage(at, kind, why));
  }
  /// What the lowering holds for a value, in the language's terms.
  static std::string describe(const Info &i) {
    if (auto *a = std::get_if<Affine>(&i))
      return llvm::all_of(a->strides, [](Value s) { return !s; }) ? "a uniform integer"
                                                                   : "an index tile (from `arange` and `program_id`)";
    if (std::holds_alternative<Mask>(i))
      return "a mask";
    if (std::holds_alternative<Buffer>(i))
      return "a data tile";
    if (std::holds_alternative<RowBroadcast>(i) || std::holds_alternative<ColBroadcast>(i))
      return "a broadcast vector";
    if (std::holds_alternative<Transposed>(i))
      return "a transposed tile";
    if (std::holds_alternative<PtrTile>(i))
      return "a tile of pointers";
    if (std::holds_alternative<PtrData>(i))
      return "a tile of pointers offset by data";
    if (std::holds_alternative<Desc>(i))
      return "a descriptor";
    if (std::holds_alternative<FloatConst>(i))
      return "a float scalar";
    return "nothing the lowering knows";
  }
  Location loc() const { return loc_; }
  static std::string typeName(Type t) {
    std::string name;
    llvm::raw_string_ostream(name) << t;
    return name;
  }
  Value cst(int64_t v) { return arith::ConstantIntOp::create(b_, loc(), b_.getI64Type(), v); }
  std::optional<int64_t> constOf(Value v) {
    APInt value;
    if (v && mlir::matchPattern(v, mlir::m_ConstantInt(&value)))
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
      fail(user, "an operand is a scalar the lowering does not hold (float and boolean scalars are not lowered)");
    return it->second;
  }
  Info &info(Value v, Operation *user) {
    auto it = tiles_.find(v);
    if (it == tiles_.end())
      fail(user, "an operand is a tile the lowering does not hold (made by a construct it skipped)");
    return it->second;
  }
  template <typename T> T &as(Value v, Operation *user, const char *what) {
    Info &i = info(v, user);
    if (auto *p = std::get_if<T>(&i))
      return *p;
    fail(user, std::string("it needs ") + what + " here, and this operand is " + describe(i));
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
    peak_ = std::max(peak_, next_);
    if (next_ > tsram_)
      exceed(op, "the kernel's live tiles need more than the tile's " + std::to_string(tsram_) +
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
    int dmaIn = -1; ///< the how-manieth DMA into TSRAM this is, or -1
  };
  static Range rangeOf(const Buffer &buf) { return {buf.offset, buf.offset + buf.numel() * bytesOf(buf.elem)}; }
  /// What a command is, for the planted drop-wait bug.
  enum class CommandKind { Other, DmaIn, Tensor };
  /// Waits for what the next command conflicts with and returns its semaphore: the
  /// one reserved for a prefetch (`prefetchSem_`) for a prefetch's DMA, else a free one.
  int32_t begin(ArrayRef<Buffer> reads, ArrayRef<Buffer> writes, CommandKind kind = CommandKind::Other);
  void waitFor(size_t index);
  void waitForOldestUnreserved();
  /// Waits for every pending command but those signalling one of `keep`.
  void drain(ArrayRef<int32_t> keep = {});
  /// Takes `n` semaphores out of the free list for a pipelined loop's prefetches.
  SmallVector<int32_t> reserveSems(size_t n, Operation *op);
  void releaseSems(ArrayRef<int32_t> sems);
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
    fail(nullptr, "tiles in TSRAM are filled (with zeros, or a masked load's `other`) as f32 and bf16 only");
  }
  void fill(const Buffer &buf, double value) {
    int32_t sem = begin({}, {buf});
    emitFill(buf, value, sem);
  }
  /// Fills `buf` with `value` (any dtype) under semaphore `sem`.
  void emitFill(const Buffer &buf, double value, int32_t sem);
  /// The bit pattern of one element of `elem` holding `value`.
  int64_t elementBits(double value, Type elem);
  /// dst = lhs <kind> rhs over dst's elements (dst may be lhs or rhs).
  void vector(mir::VectorKind kind, const Buffer &dst, const Buffer &lhs, const Buffer &rhs) {
    int32_t sem = begin({lhs, rhs}, {dst});
    mir::VectorBinaryOp::create(b_, loc(), kind, cst(dst.offset), cst(lhs.offset), cst(rhs.offset), cst(dst.numel()),
                                sem);
  }
  /// Fills `buf` with a bit pattern held in a register.
  void fillWith(const Buffer &buf, Value bits) {
    int32_t sem = begin({}, {buf});
    mir::VectorFillOp::create(b_, loc(), cst(buf.offset), bits, words(buf), sem);
  }
  /// The register bits that fill a buffer of `elem` with the splat `c`.
  Value splatBits(const FloatConst &c, Type elem, Operation *op) {
    if (!c.bits)
      return cst(fillBits(c.value, elem));
    if (!elem.isF32())
      fail(op, "a float known only at run time fills f32 tiles only; cast it to f32 first");
    return c.bits;
  }
  /// An exact copy of `from`'s elements into `to` (a conversion to their own type):
  /// unlike copy(), it writes no word past the last element.
  void copyElements(const Buffer &to, const Buffer &from) {
    int32_t sem = begin({from}, {to});
    mir::TypedConvertOp::create(b_, loc(), from.elem, from.elem, cst(to.offset), cst(from.offset),
                                cst(from.numel()), sem);
  }
  void copy(const Buffer &to, const Buffer &from) {
    if (to.offset == from.offset)
      return;
    int32_t sem = begin({from}, {to});
    mir::VectorUnaryOp::create(b_, loc(), mir::VectorUnaryKind::Copy, cst(to.offset), cst(from.offset), words(from), sem);
  }
  /// Fills `buf` only when the transfer of `rows` x `cols` leaves part of it unwritten.
  void fillIfPartial(const Buffer &buf, double value, Value rows, Value cols);
  Buffer materialize(Value v, Operation *user);
  /// A 2-D transfer between `buf` (at `nearAddress`, TSRAM unless `nearIsCsram`) and
  /// `farAddress` (HBM, or CSRAM through its window), skipped when `rows` or `cols` is
  /// not positive.
  void dma(bool in, const Buffer &buf, Value nearAddress, Value farAddress, Value farRowStrideElems, Value rows,
           Value cols, bool nearIsCsram = false);
  /// The transfer of a load's block into a TSRAM buffer (or, while a shared load is
  /// fetched, into its CSRAM slot), filling what the transfer leaves unwritten with
  /// `fill` when given. `inBlock` is the byte offset in the block where it lands.
  Buffer loadBlock(Operation *op, ArrayRef<int64_t> shape, Type elem, Value inBlock, Value address,
                   Value rowStrideElems, Value rows, Value cols, std::optional<double> fill);
  /// `rows` limited to none in an instance that only stands in for a missing member
  /// of its cluster's square (it must not write memory).
  Value liveRows(Value rows, int64_t blockRows);
  /// The buffer a load fills: a fresh one, or the prefetch target when one is set.
  Buffer loadTarget(ArrayRef<int64_t> shape, Type elem, Operation *op);
  /// `rows` limited to nothing when a prefetch runs past the loop's end.
  Value guardRows(Value rows, int64_t blockRows);

  void lowerBlock(Block &block);
  void lowerOp(Operation *op);
  void lowerFor(scf::ForOp op);
  void lowerIf(scf::IfOp op);
  void lowerPipelinedFor(scf::ForOp op, int64_t step, ArrayRef<Operation *> loads, Value lb, Value ub,
                         ValueRange inits, ArrayRef<int> scalarSlot, ArrayRef<Buffer> carried);
  SmallVector<Operation *> prefetchableLoads(scf::ForOp op);
  /// Lowers one iteration of `op`'s body with the induction variable `iv` and scalar
  /// iter args `scalarArgs`; tile iter args live in `carried`. Returns the yielded
  /// scalars; yielded tiles are copied into `carried`. Commands on the semaphores
  /// `inFlight` are left pending at the end.
  SmallVector<Value> lowerIteration(scf::ForOp op, Value iv, ValueRange scalarArgs, ArrayRef<int> scalarSlot,
                                    ArrayRef<Buffer> carried, ArrayRef<int32_t> inFlight);
  /// Issues the loads `loads` of `op`'s iteration `iv` into `targets`; `left` is the
  /// number of iterations from `iv` on (no transfer when it is not positive).
  void prefetch(scf::ForOp op, ArrayRef<Operation *> loads, ArrayRef<Buffer> targets, ArrayRef<int32_t> sems,
                Value iv, Value left);
  /// Lowers `loads` of `op`, and the address arithmetic they need, for iteration `iv`
  /// with `left` as for prefetch; `prepare(i)` sets where load i goes.
  void lowerLoadsFor(scf::ForOp op, ArrayRef<Operation *> loads, Value iv, Value left,
                     llvm::function_ref<void(size_t)> prepare);
  /// Issues this instance's share of the loop's shared loads for iteration `iv` into
  /// CSRAM stage `stage`; `left` as for prefetch.
  void fetchShared(scf::ForOp op, const SharedLoop &shared, int stage, Value iv, Value left);

  // Cluster sharing (ClusterSharing.cpp).
  /// Decides which loops share loads and whether the kernel runs as 2x2 squares.
  void planClusterSharing(func::FuncOp src);
  /// The instance's place in its square, its block (clamped to the grid) and whether
  /// it may write memory, at the kernel's entry.
  void mapSquareLanes();
  /// The CSRAM address of the slot `load` of this instance's square uses in `stage`.
  Value slotAddress(const SharedLoad &load, int stage);
  /// 1 in the instance that fetches `load` for its pair, 0 in the other.
  Value fetchesShared(const SharedLoad &load);

  // The typed vector unit (TypedArithmetic.cpp).
  /// Lowers `op` on the typed unit when it computes on tiles the f32 unit does not
  /// take (integers, f16, f64, data masks, casts); false when it is not such an op.
  bool lowerTyped(Operation *op);
  /// Whether a comparison of index tiles is kept as a symbolic mask.
  bool maskable(arith::CmpIOp cmp);
  /// Float scalar arithmetic on scalars the vector unit holds; false when `op` is not that.
  bool lowerScalarOnVectorUnit(Operation *op);
  /// A scalar as a one-element TSRAM buffer (float constants and registers are filled in).
  Buffer materializeScalar(Value v, Operation *user);
  /// `v` as a TSRAM buffer of its own dtype, index tiles and masks included.
  Buffer materializeAs(Value v, Operation *user);
  Buffer materializeAffine(const Affine &a, ArrayRef<int64_t> shape, Type elem, Operation *user);
  /// A mask as bytes (1 where it holds).
  Buffer materializeMask(const Mask &m, ArrayRef<int64_t> shape, Operation *user);
  void typedFill(const Buffer &buf, Value bits);
  void typedBinary(mir::TypedKind kind, const Buffer &dst, const Buffer &lhs, const Buffer &rhs);
  Buffer typedConvert(const Buffer &src, Type to, Operation *op);
  /// A row operation of the typed unit on `src` as a rows x cols matrix, into `dst`.
  void typedRow(mir::TypedRowKind kind, const Buffer &dst, const Buffer &src, int64_t cols, int64_t rows);
  /// A float function (math dialect) on the typed unit.
  void lowerTypedFunction(Operation *op);
  void lowerTypedReduce(tile::ReduceOp op);
  void lowerReduceWith(tile::ReduceWithOp op);
  /// A reshape: a new shape for the same row-major elements (Shapes.cpp).
  void lowerReshape(tile::ReshapeOp op);
  void lowerJoin(tile::JoinOp op);
  void lowerSplit(tile::SplitOp op);
  /// `trans` of a tile of rank above 2: batched transposes of the data.
  void lowerPermute(tile::TransOp op);

  // Debugging (Debug.cpp).
  /// A new debug site: `what` at the op's source position.
  int64_t debugSite(Operation *op, const std::string &what);
  void lowerPrint(tile::PrintOp op);
  void lowerAssert(tile::AssertOp op);
  /// A reduction of `source` along `axis` (or to a scalar) into `result` by one row
  /// operation; `widen` accumulates f16 and bf16 in f32.
  void lowerRowReduction(Operation *red, Value source, Value result, int64_t axis, mir::TypedRowKind kind,
                         bool widen);
  /// A dot of a dtype the tensor unit does not take, as rank-1 updates on the vector
  /// unit (slow: one command per step along K).
  void lowerVectorDot(tile::DotOp op);
  void lowerScan(tile::ScanOp op);
  /// `buf` in f32 when it is f16 or bf16 (their reductions and scans accumulate in
  /// f32, as on the CPU), else itself.
  Buffer widenedForAccumulation(const Buffer &buf, Operation *op);

  void lowerElementwise(Operation *op);
  /// A broadcast operand (row or column vector) of an elementwise op; false if none.
  bool lowerBroadcastOperand(Operation *op);
  void lowerSelect(arith::SelectOp op);
  void lowerWidened(Operation *op);
  /// The block a tile of pointers covers, bounded by an index mask: a 2-D transfer.
  struct BlockAccess {
    Value address;   ///< of the block's first element, in bytes
    Value rowStride; ///< in elements; null for a 1-D block
    Value rows, cols;
    int64_t rowsBlock = 1;
    Type elem; ///< what the pointers point to
  };
  BlockAccess blockAccess(Operation *op, Value ptr, Value maskValue);
  /// `rows` and `cols` bounded by an index mask (a 1-D access has only columns).
  void boundByMask(Operation *op, Value maskValue, int64_t rank, Value &rows, Value &cols);
  void lowerLoadStore(Operation *op);
  /// A load or store whose innermost dimension is not contiguous: a DMA per row.
  void lowerStridedAccess(Operation *op, Value ptr, Value maskValue);
  /// A masked load's `other` of `op`, a compile-time constant (0 when it has none).
  double constantOther(Value other, Operation *op);
  /// A load through one pointer: an i32 or f32 word read into a register.
  void lowerScalarLoad(tile::LoadOp op);
  void lowerDesc(Operation *op);
  /// An atomic read-modify-write of a block or of one element: one DMA atomic.
  void lowerAtomic(tile::AtomicRMWOp op);

  // Indexed accesses (IndexedAccess.cpp): pointers offset by data, masks of data.
  /// `ptr + offset` where either side is data: pointers with i64 element offsets.
  void lowerDataAddPtr(tile::AddPtrOp op);
  /// A tile of pointers as base + i64 element offsets (index tiles made data).
  PtrData pointerData(Value ptr, Operation *user);
  /// Whether an access through `ptr` under `mask` needs an indexed DMA: its pointers
  /// are offset by data, or its mask is not one of index comparisons.
  bool needsIndexedAccess(Value ptr, Value mask, Operation *user);
  /// `out` holding a masked load's `other`: a constant fill, or a copy of a tile.
  void fillWithOther(const Buffer &out, Value other, Operation *op);
  /// A load or store as one dma.gather or dma.scatter.
  void lowerIndexedAccess(Operation *op, Value ptr, Value mask);
  void lowerGather(tile::GatherOp op);
  /// An atomic through pointers offset by data or under a data mask: one indexed atomic.
  void lowerIndexedAtomic(tile::AtomicRMWOp op);
  void lowerAtomicCas(tile::AtomicCASOp op);
  /// Issues one indexed DMA (in an instance that stands in for a missing member of its
  /// square, only the reads run).
  void indexedDma(mir::IndexedKind kind, const PtrData &p, const Buffer &data, std::optional<Buffer> mask,
                  ArrayRef<Buffer> reads, ArrayRef<Buffer> writes);

  OpBuilder &b_;
  int64_t tsram_;
  PlantedBug bug_;
  int64_t clusterTiles_, csram_;
  // Cluster sharing: the loops that share loads, and, when the kernel runs as 2x2
  // squares, the scalars its instances derive from their lane and square.
  DenseMap<Operation *, SharedLoop> sharedLoops_;
  bool squares_ = false;
  Value laneU_, laneV_, squarePid_[2], live_;
  // While a shared loop's body is lowered: the CSRAM address each shared load copies
  // from, and what to issue right after the last one's copy (the next iteration's
  // fetches, queued behind the copies the tensor unit waits for).
  DenseMap<Operation *, Value> sharedSource_;
  Operation *lastSharedLoad_ = nullptr;
  std::function<void()> afterSharedCopies_;
  // While a shared load is fetched: its CSRAM slot and whether this instance moves it.
  struct SharedFetch {
    Value address, owner;
  };
  std::optional<SharedFetch> sharedFetch_;
  SmallVector<Pending> pending_;
  SmallVector<int32_t> freeSems_; ///< popped from the back: s1 first
  int64_t next_ = 0, peak_ = 0;
  int dmaIns_ = 0;
  std::optional<int32_t> prefetchSem_;
  SmallVector<int32_t> reservedSems_;
  int loopDepth_ = 0; ///< loop iterations being lowered around the current op
  // Set while a prefetch is lowered: the buffer the load fills, and how many loop
  // iterations remain (a transfer for an iteration past the end moves nothing).
  std::optional<Buffer> prefetchTarget_;
  Value iterationsLeft_;
  // Loads of the loop being lowered whose data a prefetch already placed in TSRAM.
  DenseMap<Operation *, Buffer> prefetched_;
  Location loc_ = mlir::UnknownLoc::get(b_.getContext());
  /// The op being lowered: what a refusal from a helper that does not know it names.
  Operation *current_ = nullptr;
  DenseMap<Value, Value> scalars_;
  DenseMap<Value, Info> tiles_;
  /// Per loop being lowered: for each iter arg that is a tile of pointers or an index
  /// tile, its layout (strides, pointee), whose varying base rides in a scalar iter
  /// arg; monostate for the others.
  DenseMap<Operation *, SmallVector<Info>> carriedLayouts_;
  /// The kernel's debug sites, by number (set on the kernel as `maia.debug_sites`).
  SmallVector<std::string> debugSites_;
  /// Whether `loop` yields for its iter arg `i` the iter arg plus a uniform value (an
  /// index tile advanced by a step keeps its strides and is carried symbolically).
  bool advancesByUniform(scf::ForOp loop, unsigned i);
  /// `layout` with its varying base set to `base`.
  static Info withCarriedBase(const Info &layout, Value base);
  /// The varying base of `value` yielded for a carried `layout` by `loop`; refuses a
  /// value whose layout differs from it.
  Value carriedBase(const Info &layout, Value value, Operation *loop);
};


} // namespace tegula::maia::lowering

#endif
