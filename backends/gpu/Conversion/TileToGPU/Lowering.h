// The state of lowering one tile kernel to the code one GPU thread runs: each tile value
// becomes the registers this thread holds of it (in the order of its layout's register
// index), each scalar stays a scalar that every thread computes. Shared by the files of
// the tile-to-gpu conversion; nothing outside it includes this.
#ifndef TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_LOWERING_H
#define TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_LOWERING_H

#include "backends/gpu/IR/GPUDialect.h"
#include "backends/gpu/Layout/LinearLayout.h"
#include "backends/gpu/Layout/MatrixInstruction.h"
#include "backends/gpu/Layout/Reduction.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include <map>
#include <string>

namespace tegula::gpu::lowering {

/// Global memory's address space on every GPU target the lowering serves (NVPTX and
/// AMDGPU both number it 1).
inline constexpr unsigned kGlobalAddressSpace = 1;
/// Shared memory's (NVPTX's shared, AMDGPU's LDS: both 3).
inline constexpr unsigned kSharedAddressSpace = 3;

/// The vector width of a global access `op` through `ptr` in `layout`: the registers
/// that run contiguously along the dimension its pointers were proven contiguous and
/// aligned in, as far as proven; 1 elsewhere (MemoryAccess.cpp).
int64_t accessVector(mlir::Operation *op, mlir::Value ptr, const LinearLayout &layout);
/// The most registers (a power of two, at most `most`) that hold consecutive elements of
/// one row of a 2-d tile in `layout`, from a column that is a multiple of their number
/// in every thread and every register group: each such group is one aligned vector of
/// a row-major buffer whose rows are `rowLength` long (Dot.cpp).
int64_t rowVector(const LinearLayout &layout, int64_t most, int64_t rowLength);

class KernelLowering {
public:
  /// Starts at the builder's insertion point in the kernel's entry block: the thread's
  /// lane and warp are computed there, and every per-layout value after them.
  KernelLowering(mlir::OpBuilder &builder, mlir::Operation *kernel, ir::BlockShape block, mlir::Location loc);

  /// Emits the thread's code for every op of `block` at the builder's insertion point.
  mlir::LogicalResult lowerBlock(mlir::Block &block);

  // The per-thread values of the kernel's values.
  llvm::SmallVector<mlir::Value> &regs(mlir::Value tile);
  mlir::Value scalar(mlir::Value v) { return scalars_.lookup(v); }
  void mapScalar(mlir::Value from, mlir::Value to) { scalars_.map(from, to); }
  void mapTile(mlir::Value from, llvm::SmallVector<mlir::Value> to) { regs_[from] = std::move(to); }
  /// Every value `v` stands for in the thread: its registers, or itself as a scalar.
  llvm::SmallVector<mlir::Value> flat(mlir::Value v);
  /// The thread's types of `t`: one per register of a tile.
  mlir::LogicalResult flatTypes(mlir::Type t, mlir::Location loc, llvm::SmallVectorImpl<mlir::Type> &out);
  /// The type one thread holds an element of `t` in (pointers become global pointers).
  mlir::Type elementType(mlir::Type t);

  /// A tile type's layout, as data.
  mlir::FailureOr<LinearLayout> layoutOf(mlir::Value tile, mlir::Operation *user);

  /// Per output dimension of `layout`: the part of each coordinate that the thread's
  /// lane and warp decide (an i32; null where they decide nothing), cached per layout.
  const llvm::SmallVector<mlir::Value> &threadPart(const LinearLayout &layout, mlir::Location loc);
  /// The coordinate along `dim` of register `reg` in this thread (an i32).
  mlir::Value coordinate(const LinearLayout &layout, int64_t reg, int dim, mlir::Location loc);
  /// True in the one thread of each group that holds the same elements (lanes and warps
  /// with zero bases hold copies); null where every thread holds elements of its own.
  mlir::Value firstCopy(const LinearLayout &layout, mlir::Location loc);
  /// True in the block's first thread (lane 0 of warp 0): the one that stores, prints or
  /// performs an atomic on a scalar every thread holds.
  mlir::Value firstThread(mlir::Location loc);
  /// Register index bits whose registers are copies of lower ones.
  static uint64_t copyRegisterBits(const LinearLayout &layout);

  /// `value` from the lane whose id is this lane's XOR `mask`, in 32-bit shuffles.
  mlir::Value shuffleXor(mlir::Value value, int64_t mask, mlir::Location loc);

  mlir::Value lane() const { return lane_; }
  mlir::Value warp() const { return warp_; }
  mlir::Value i32(int64_t v, mlir::Location loc);
  mlir::Value i1(bool v, mlir::Location loc);

  /// A fresh buffer of `count` elements in the block's shared memory, for one op's
  /// exchange: tegula-allocate-shared-memory places it, tegula-insert-gpu-barriers
  /// orders its accesses.
  mlir::Value sharedBuffer(mlir::Type element, int64_t count, mlir::Location loc);
  /// The element type a tile of `element` is kept in shared memory as (i1 as i8).
  static mlir::Type sharedElementType(mlir::Type element);
  void storeShared(mlir::Value buffer, mlir::Value value, mlir::Value index, mlir::Location loc);
  /// Each element of `tile` (in `layout`) into `buffer` at offsetOf(register), written
  /// once: by the first copy of a thread group, from the first of copied registers.
  /// With `width` above 1, each `width` registers from a multiple of it go as one vector
  /// at the first one's offset, which the caller has proven aligned to the vector's size.
  void writeShared(mlir::Value buffer, mlir::Value tile, const LinearLayout &layout, mlir::Location loc,
                   llvm::function_ref<mlir::Value(int64_t)> offsetOf, int64_t width = 1);
  /// A dot operand (a 2-d tile in `layout`) written to a fresh shared buffer row-major,
  /// each row `rowLength` elements long (its own extent, or more: padding), or, when
  /// `swizzled`, at dotOperandOffset.
  mlir::Value stageOperand(mlir::Value tile, const LinearLayout &layout, int64_t rowLength, mlir::Location loc,
                           bool swizzled = false, int64_t phaseStep = 1);
  mlir::Value loadShared(mlir::Value buffer, mlir::Type element, mlir::Value index, mlir::Location loc);
  /// Offset of the element at `coords` (i32 values) in a row-major tile of `shape`.
  mlir::Value rowMajorOffset(llvm::ArrayRef<mlir::Value> coords, llvm::ArrayRef<int64_t> shape, mlir::Location loc);

  mlir::OpBuilder &b;
  /// A planted bug (tegula-convert-tile-to-gpu's plant-shift-exchange option).
  bool plantShiftExchange = false;
  /// A planted bug: the matrix instructions' accumulator tables have two lane bits
  /// swapped (plant-swap-fragment).
  bool plantSwapFragment = false;
  /// The target copies global memory to shared memory asynchronously (cp.async), and the
  /// kernel's loops over k may keep this many steps in flight (tile.num_stages).
  bool asyncCopies = false;
  int64_t numStages = 1;
  /// A planted bug: a pipelined loop does not wait for its copies (plant-drop-async-wait).
  bool plantDropAsyncWait = false;

  /// Elements of a shared-memory row holding `cols` elements of a dot operand for
  /// mma.sync: `cols` where the row is swizzled, else padded to an odd number of 16-byte
  /// units (MatrixDot.cpp says why).
  static int64_t dotOperandRow(int64_t cols, mlir::Type element);
  /// Where the element (`row`, `col`) of a dot operand for mma.sync is in its buffer of
  /// rows `rowLength` long (an i32): row-major, with the 16-byte units of a row whose
  /// length dotOperandRow did not pad permuted by the row, the permutation stepping by
  /// `phaseStep` from one group of rows to the next (MatrixDot.cpp).
  mlir::Value dotOperandOffset(mlir::Value row, mlir::Value col, int64_t rowLength, mlir::Type element,
                               mlir::Location loc, int64_t phaseStep = 1);
  /// The swizzle's phase step for a dot's operand (0: A, 1: B) as `instr` reads it from
  /// rows that hold the operand's rows (not B's columns): 2 for a tf32 B, which each
  /// lane reads as single words of 4 rows at once; 1 for everything ldmatrix reads.
  static int64_t dotOperandPhaseStep(const MatrixInstruction &instr, int operand, bool columnsAsRows);

private:
  // Each op kind's lowering (TileToGPU.cpp, MemoryAccess.cpp, Atomics.cpp, Reduce.cpp, Scan.cpp,
  // Dot.cpp, MatrixDot.cpp, Debug.cpp).
  mlir::LogicalResult lower(mlir::Operation *op);
  mlir::LogicalResult lowerElementwise(mlir::Operation *op);
  mlir::LogicalResult lowerRelayout(mlir::Operation *op, mlir::Value src, mlir::Value result,
                                    llvm::function_ref<std::vector<int64_t>(std::vector<int64_t>)> project);
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  sourceRegisters(mlir::Operation *op, const LinearLayout &from, const LinearLayout &to,
                  llvm::function_ref<std::vector<int64_t>(std::vector<int64_t>)> project);
  mlir::LogicalResult lowerPairs(mlir::Operation *op);
  mlir::LogicalResult lowerFor(mlir::Operation *op);
  /// Maps each of `from` (a loop's iteration arguments or results) to its values in `to`,
  /// a tile to as many as it has registers.
  void bindTiles(mlir::ValueRange from, mlir::ValueRange to, mlir::Location loc);
  // Software pipelining of a loop over k (Pipeline.cpp).
  struct PipelinedOperand {
    mlir::Operation *load;  ///< the tile.load feeding the dot
    /// The tile.trans between the load and the dot (B read as N x K), or null.
    mlir::Operation *trans;
    mlir::Value tile;       ///< the dot's operand
    LinearLayout layout;    ///< of its pointers
    int64_t vec;            ///< elements per copy
    int64_t rows, rowLength; ///< of one buffer, as the load lays it out
    int64_t phaseStep;       ///< of its swizzle (dotOperandOffset)
    llvm::SmallVector<mlir::Operation *> slice; ///< the body's ops computing its pointers and mask
  };
  struct Pipeline {
    llvm::SmallVector<PipelinedOperand> operands;
  };
  std::optional<Pipeline> planPipeline(mlir::scf::ForOp loop);
  mlir::LogicalResult lowerPipelinedFor(mlir::scf::ForOp loop, const Pipeline &plan);
  mlir::LogicalResult issueCopies(const PipelinedOperand &operand, mlir::Value buffer, mlir::Value iv,
                                  mlir::Value step, mlir::Value slot, mlir::Value valid, mlir::Location loc);
  /// `buffer` (a shared memref) as an !llvm.ptr<3>.
  mlir::Value sharedPointer(mlir::Value buffer, mlir::Location loc);
  /// A dot operand in shared memory already: its buffer and the offset (i32) where its
  /// rows start, laid out as stageOperand lays them out, or `transposed`: B's columns
  /// as rows (N x K), each dotOperandRow(K) long.
  struct Staged {
    mlir::Value buffer, offset;
    bool transposed = false;
    int64_t phaseStep = 1; ///< of its swizzle (dotOperandOffset)
  };
  llvm::DenseMap<mlir::Value, Staged> staged_;
  /// The dot operand `tile` in shared memory: where a pipelined loop put it, or staged
  /// there now (offset 0).
  Staged operandInShared(mlir::Value tile, const LinearLayout &layout, int64_t rowLength, mlir::Location loc,
                         int64_t phaseStep = 1);
  mlir::LogicalResult lowerIf(mlir::Operation *op);
  mlir::LogicalResult lowerLoad(mlir::Operation *op);
  mlir::LogicalResult lowerStore(mlir::Operation *op);
  mlir::LogicalResult lowerReduce(mlir::Operation *op);
  /// A reduction's partial result: one value, or a (value, index) pair.
  using Partial = llvm::SmallVector<mlir::Value, 2>;
  mlir::LogicalResult reduceTuples(mlir::Operation *op, mlir::Value src, int axis, llvm::ArrayRef<Partial> elements,
                                   llvm::function_ref<Partial(const Partial &, const Partial &)> combine,
                                   size_t component);
  mlir::LogicalResult combineAcrossWarps(mlir::Operation *op, const LinearLayout &layout, int axis,
                                         const ReductionPlan &plan, std::map<int64_t, Partial> &partial,
                                         llvm::function_ref<Partial(const Partial &, const Partial &)> combine);
  mlir::LogicalResult lowerReduceWith(mlir::Operation *op);
  mlir::LogicalResult lowerScan(mlir::Operation *op);
  /// A dot's operand and accumulator layouts, its M, K and N, and its inputs' type.
  struct DotParts {
    LinearLayout a, b, c;
    int64_t M, K, N;
    mlir::Type in;
  };
  mlir::FailureOr<DotParts> dotParts(mlir::Operation *op);
  /// A dot's loop over k: K / step steps carrying `acc`'s registers. `body` emits one
  /// step from its first k (an i32) and the registers, and returns the next ones; the
  /// final ones are returned.
  llvm::SmallVector<mlir::Value>
  loopOverK(mlir::Value acc, int64_t K, int64_t step, mlir::Location loc,
            llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value, mlir::ValueRange)> body);
  mlir::LogicalResult lowerDot(mlir::Operation *op);
  mlir::LogicalResult lowerMatrixDot(mlir::Operation *op, llvm::StringRef instruction);
  mlir::LogicalResult lowerMfmaDot(mlir::Operation *op, const DotParts &parts, const MatrixInstruction &instr,
                                   const MatrixTiling &tiling);
  mlir::LogicalResult lowerAtomic(mlir::Operation *op);
  mlir::LogicalResult lowerPrint(mlir::Operation *op);
  mlir::LogicalResult lowerAssert(mlir::Operation *op);
  mlir::LogicalResult forEachOwnedElement(mlir::Operation *op, mlir::Value value,
                                          llvm::function_ref<void(mlir::Value, mlir::Value, mlir::Value)> emit);
  /// The program instance's (x, y, z), as i32.
  llvm::SmallVector<mlir::Value> programId(mlir::Location loc);
  mlir::LogicalResult lowerSharedConversion(mlir::Operation *op, mlir::Value src, mlir::Value result);

  /// Runs `emit` with the builder at the end of the prologue, which it extends.
  void inPrologue(llvm::function_ref<void()> emit);

  mlir::Operation *kernel_;
  ir::BlockShape block_;
  mlir::IRMapping scalars_;
  llvm::DenseMap<mlir::Value, llvm::SmallVector<mlir::Value>> regs_;
  std::map<std::string, llvm::SmallVector<mlir::Value>> threadParts_;
  mlir::Value lane_, warp_;
  /// The last op of the prologue that computes per-thread values every op may use.
  mlir::Operation *prologueEnd_ = nullptr;
  std::map<std::string, mlir::Value> firstCopies_;
  llvm::DenseMap<mlir::Value, int64_t> exchanges_; ///< shared buffer -> its exchange number
};

} // namespace tegula::gpu::lowering

#endif
