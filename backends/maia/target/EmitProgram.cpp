// Register allocation is linear scan over intervals of a linearized program, with
// intervals of values used inside a loop stretched to the loop's end (they must
// survive every iteration). Loop-carried values and if results get registers of their
// own, written by moves at the yields. x31 is kept as the scratch register of those
// moves and of constant materialization.
#include "backends/maia/target/EmitProgram.h"

#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace tegula::maia {

using namespace mlir;
namespace mir = tegula::maia::ir;

namespace {

constexpr uint8_t kScratch = 31;
constexpr int kAllocatable = 30; // x1..x30

std::string where(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  Location loc = op->getLoc();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine();
  else
    loc.print(os);
  return text;
}

bool isScalar(Type t) { return t.isInteger(64) || t.isIndex(); }

/// Emission stops at the first failure, which is a diagnostic on the op it concerns;
/// what was emitted so far is dropped.
class Emitter {
public:
  FailureOr<Program> run(func::FuncOp func);

private:
  void fail(Operation *op, const std::string &why) {
    if (!failed_)
      op->emitError() << op->getName() << ": " << why;
    failed_ = true;
  }
  bool failed_ = false;
  // Liveness.
  void number(Region &region);
  void extend(Value v, int64_t end) {
    auto &iv = intervals_[v];
    iv.second = std::max(iv.second, end);
  }
  void define(Value v, int64_t at) {
    if (!isScalar(v.getType()))
      return;
    auto [it, inserted] = intervals_.try_emplace(v, std::make_pair(at, at));
    if (inserted)
      defined_.push_back(v);
    else
      it->second.first = std::min(it->second.first, at);
  }
  /// Keeps `v` alive for a use at `at` by `user`: to the end of every enclosing loop
  /// that does not also enclose v's definition (the use repeats each iteration).
  void use(Value v, Operation *user, int64_t at) {
    int64_t end = at;
    int64_t defAt = intervals_[v].first;
    for (Operation *parent = user->getParentOp(); parent && index_.count(parent); parent = parent->getParentOp())
      if (isa<scf::ForOp>(parent) && index_[parent] > defAt)
        end = std::max(end, end_[parent]);
    extend(v, end);
  }
  /// Assigns registers by linear scan. Out of registers, it fails with a diagnostic
  /// when `lastTry`, and otherwise only sets outOfRegisters_.
  void allocate(bool lastTry);
  bool outOfRegisters_ = false;
  /// Forgets the numbering, intervals and registers, for another try.
  void resetAllocation() {
    index_.clear();
    end_.clear();
    intervals_.clear();
    defined_.clear();
    registers_.clear();
    counter_ = 0;
    outOfRegisters_ = false;
  }
  // Emission.
  uint8_t reg(Value v, Operation *user);
  void emit(Region &region);
  void emit(Operation *op);
  void emitFor(scf::ForOp op);
  void emitIf(scf::IfOp op);
  /// The typed vector unit's ops (vt.*): their element type becomes the imm.
  void emitTyped(Operation *op);
  void move(uint8_t to, uint8_t from, Operation *op);
  void parallelMove(const std::vector<std::pair<uint8_t, uint8_t>> &moves, Operation *op);
  void constant(uint8_t rd, int64_t value, Operation *op);
  size_t push(Instruction ins, Operation *op);
  int newLabel() { labels_.push_back(-1); return static_cast<int>(labels_.size()) - 1; }
  void bind(int label) { labels_[label] = static_cast<int64_t>(program_.code.size()); }
  void branchTo(size_t at, int label) { fixups_.push_back({at, label}); }

  llvm::DenseMap<Operation *, int64_t> index_, end_;
  llvm::DenseMap<Value, std::pair<int64_t, int64_t>> intervals_;
  std::vector<Value> defined_; ///< in definition order: ties in the scan are broken by it
  llvm::DenseMap<Value, uint8_t> registers_;
  int64_t counter_ = 0;
  Program program_;
  std::vector<int64_t> labels_;
  std::vector<std::pair<size_t, int>> fixups_;
};

void Emitter::number(Region &region) {
  for (Block &block : region) {
    for (BlockArgument arg : block.getArguments())
      define(arg, counter_);
    for (Operation &op : block) {
      int64_t at = counter_++;
      index_[&op] = at;
      for (Region &inner : op.getRegions())
        number(inner);
      end_[&op] = counter_++;
      for (Value result : op.getResults())
        define(result, at);
    }
  }
}

void Emitter::allocate(bool lastTry) {
  // Uses: a value lives to its last use; a use inside a loop (or an if inside one)
  // defined outside it lives to that loop's end.
  for (auto &[op, at] : index_) {
    for (Value operand : op->getOperands()) {
      if (!isScalar(operand.getType()))
        continue;
      if (!intervals_.count(operand))
        return fail(op, "operand defined outside the kernel");
      use(operand, op, at);
    }
  }
  // A condition's comparison is emitted as the branch of its scf.if: its operands must
  // live until the if.
  for (auto &[op, at] : index_)
    if (auto branch = dyn_cast<scf::IfOp>(op))
      if (auto cmp = branch.getCondition().getDefiningOp<arith::CmpIOp>())
        for (Value v : cmp->getOperands())
          if (isScalar(v.getType()))
            use(v, op, at);
  // Loop-carried registers live across their whole loop, as do the iv and bounds.
  for (auto &[op, at] : index_) {
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      for (Value v : loop.getRegionIterArgs())
        extend(v, end_[op]);
      extend(loop.getInductionVar(), end_[op]);
      for (Value v : {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
        extend(v, end_[op]);
    }
  }
  // Linear scan.
  std::vector<std::pair<std::pair<int64_t, int64_t>, Value>> order;
  for (Value v : defined_)
    order.push_back({intervals_[v], v});
  std::stable_sort(order.begin(), order.end(), [](auto &a, auto &b) {
    return a.first.first != b.first.first ? a.first.first < b.first.first : a.first.second < b.first.second;
  });
  std::multimap<int64_t, uint8_t> active; // end -> register
  std::vector<uint8_t> free;
  for (int r = kAllocatable; r >= 1; --r)
    free.push_back(static_cast<uint8_t>(r));
  for (auto &[iv, v] : order) {
    while (!active.empty() && active.begin()->first < iv.first) {
      free.push_back(active.begin()->second);
      active.erase(active.begin());
    }
    if (free.empty()) {
      if (!lastTry) {
        outOfRegisters_ = true;
        return;
      }
      Operation *at = v.getDefiningOp() ? v.getDefiningOp() : v.getParentRegion()->getParentOp();
      return fail(at, "more than " + std::to_string(kAllocatable) + " scalars are live here; the control processor has " +
                          std::to_string(kAllocatable) + " allocatable registers");
    }
    uint8_t r = free.back();
    free.pop_back();
    registers_[v] = r;
    active.insert({iv.second, r});
  }
}

uint8_t Emitter::reg(Value v, Operation *user) {
  auto it = registers_.find(v);
  if (it == registers_.end()) {
    fail(user, "operand has no register (is it an i64 or index scalar?)");
    return 0;
  }
  return it->second;
}

size_t Emitter::push(Instruction ins, Operation *op) {
  if (ins.imm < kImmMin || ins.imm > kImmMax)
    fail(op, "immediate " + std::to_string(ins.imm) + " does not fit the instruction's 26 bits");
  program_.code.push_back(ins);
  program_.source.push_back(op ? where(op) : std::string());
  return program_.code.size() - 1;
}

void Emitter::move(uint8_t to, uint8_t from, Operation *op) {
  if (to != from)
    push({Opcode::Add, to, from, 0, 0, 0, 0, 0}, op);
}

void Emitter::parallelMove(const std::vector<std::pair<uint8_t, uint8_t>> &moves, Operation *op) {
  // Sequentialize a parallel copy: emit moves whose target no pending move reads; break
  // cycles through the scratch register.
  std::vector<std::pair<uint8_t, uint8_t>> pending;
  for (auto &m : moves)
    if (m.first != m.second)
      pending.push_back(m);
  while (!pending.empty()) {
    bool progressed = false;
    for (size_t i = 0; i < pending.size(); ++i) {
      uint8_t to = pending[i].first;
      bool read = false;
      for (size_t j = 0; j < pending.size(); ++j)
        read = read || (j != i && pending[j].second == to);
      if (!read) {
        move(to, pending[i].second, op);
        pending.erase(pending.begin() + i);
        progressed = true;
        break;
      }
    }
    if (!progressed) { // a cycle: park one source in the scratch register
      uint8_t parked = pending.front().second;
      move(kScratch, parked, op);
      for (auto &m : pending)
        if (m.second == parked)
          m.second = kScratch;
    }
  }
}

void Emitter::constant(uint8_t rd, int64_t value, Operation *op) {
  if (value >= kImmMin && value <= kImmMax) {
    push({Opcode::Li, rd, 0, 0, 0, 0, 0, static_cast<int32_t>(value)}, op);
    return;
  }
  // 14 + 25 + 25 bits: a sign-extended top chunk, then two zero-extended chunks.
  uint64_t u = static_cast<uint64_t>(value);
  int32_t top = static_cast<int32_t>(static_cast<int64_t>(value) >> 50);
  int32_t mid = static_cast<int32_t>((u >> 25) & ((1u << 25) - 1));
  int32_t low = static_cast<int32_t>(u & ((1u << 25) - 1));
  push({Opcode::Li, rd, 0, 0, 0, 0, 0, top}, op);
  push({Opcode::Shli, rd, rd, 0, 0, 0, 0, 25}, op);
  push({Opcode::Ori, rd, rd, 0, 0, 0, 0, mid}, op);
  push({Opcode::Shli, rd, rd, 0, 0, 0, 0, 25}, op);
  push({Opcode::Ori, rd, rd, 0, 0, 0, 0, low}, op);
}

void Emitter::emit(Region &region) {
  for (Block &block : region)
    for (Operation &op : block)
      emit(&op);
}

void Emitter::emitFor(scf::ForOp op) {
  uint8_t iv = reg(op.getInductionVar(), op);
  std::vector<std::pair<uint8_t, uint8_t>> init;
  for (auto [arg, value] : llvm::zip(op.getRegionIterArgs(), op.getInitArgs()))
    init.push_back({reg(arg, op), reg(value, op)});
  init.push_back({iv, reg(op.getLowerBound(), op)});
  parallelMove(init, op);
  int header = newLabel(), exit = newLabel();
  bind(header);
  branchTo(push({Opcode::Bge, 0, iv, reg(op.getUpperBound(), op), 0, 0, 0, 0}, op), exit);
  Block *body = op.getBody();
  for (Operation &inner : body->without_terminator())
    emit(&inner);
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  std::vector<std::pair<uint8_t, uint8_t>> carry;
  for (auto [arg, value] : llvm::zip(op.getRegionIterArgs(), yield.getOperands()))
    carry.push_back({reg(arg, yield), reg(value, yield)});
  parallelMove(carry, yield);
  push({Opcode::Add, iv, iv, reg(op.getStep(), op), 0, 0, 0, 0}, op);
  branchTo(push({Opcode::Jmp, 0, 0, 0, 0, 0, 0, 0}, op), header);
  bind(exit);
  // The results are copies of the loop-carried registers, moved as one parallel copy
  // (a result's register may be another carried value's).
  std::vector<std::pair<uint8_t, uint8_t>> results;
  for (auto [result, arg] : llvm::zip(op.getResults(), op.getRegionIterArgs()))
    results.push_back({reg(result, op), reg(arg, op)});
  parallelMove(results, op);
}

void Emitter::emitIf(scf::IfOp op) {
  auto cmp = op.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!cmp || !isScalar(cmp.getLhs().getType()))
    return fail(op, "the condition must be an arith.cmpi of two scalars");
  uint8_t a = reg(cmp.getLhs(), op), b = reg(cmp.getRhs(), op);
  int elseLabel = newLabel(), endLabel = newLabel();
  // Branch to `else` when the condition is false.
  using P = arith::CmpIPredicate;
  switch (cmp.getPredicate()) {
  case P::slt: branchTo(push({Opcode::Bge, 0, a, b, 0, 0, 0, 0}, op), elseLabel); break;
  case P::sge: branchTo(push({Opcode::Blt, 0, a, b, 0, 0, 0, 0}, op), elseLabel); break;
  case P::sgt: branchTo(push({Opcode::Bge, 0, b, a, 0, 0, 0, 0}, op), elseLabel); break;
  case P::sle: branchTo(push({Opcode::Blt, 0, b, a, 0, 0, 0, 0}, op), elseLabel); break;
  case P::eq: branchTo(push({Opcode::Bne, 0, a, b, 0, 0, 0, 0}, op), elseLabel); break;
  case P::ne: {
    int thenLabel = newLabel();
    branchTo(push({Opcode::Bne, 0, a, b, 0, 0, 0, 0}, op), thenLabel);
    branchTo(push({Opcode::Jmp, 0, 0, 0, 0, 0, 0, 0}, op), elseLabel);
    bind(thenLabel);
    break;
  }
  default:
    return fail(op, "unsigned comparisons are not supported by the branch instructions");
  }
  auto emitBranch = [&](Block *block) {
    for (Operation &inner : block->without_terminator())
      emit(&inner);
    auto yield = cast<scf::YieldOp>(block->getTerminator());
    std::vector<std::pair<uint8_t, uint8_t>> results;
    for (auto [result, value] : llvm::zip(op.getResults(), yield.getOperands()))
      results.push_back({reg(result, yield), reg(value, yield)});
    parallelMove(results, yield);
  };
  emitBranch(op.thenBlock());
  branchTo(push({Opcode::Jmp, 0, 0, 0, 0, 0, 0, 0}, op), endLabel);
  bind(elseLabel);
  if (op.elseBlock())
    emitBranch(op.elseBlock());
  bind(endLabel);
}

void Emitter::emit(Operation *op) {
  auto r = [&](Value v) { return reg(v, op); };
  auto sem = [&](int32_t s) { return static_cast<uint8_t>(s); };
  if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    if (!isScalar(c.getType()))
      return; // i1 constants only feed conditions, which compare scalars directly
    constant(r(c.getResult()), cast<IntegerAttr>(c.getValue()).getInt(), op);
    return;
  }
  if (isa<arith::CmpIOp>(op))
    return; // folded into its scf.if
  auto binary = [&](Opcode opcode) {
    push({opcode, r(op->getResult(0)), r(op->getOperand(0)), r(op->getOperand(1)), 0, 0, 0, 0}, op);
  };
  if (isa<arith::AddIOp>(op)) return binary(Opcode::Add);
  if (isa<arith::SubIOp>(op)) return binary(Opcode::Sub);
  if (isa<arith::MulIOp>(op)) return binary(Opcode::Mul);
  if (isa<arith::MinSIOp>(op)) return binary(Opcode::Min);
  if (isa<arith::AndIOp>(op)) return binary(Opcode::And);
  if (isa<arith::OrIOp>(op)) return binary(Opcode::Or);
  if (isa<arith::XOrIOp>(op)) return binary(Opcode::Xor);
  if (isa<arith::ShLIOp>(op)) return binary(Opcode::Shl);
  if (isa<arith::ShRSIOp>(op)) return binary(Opcode::Shr);
  if (isa<arith::ShRUIOp>(op)) return binary(Opcode::Shru);
  if (isa<arith::DivSIOp>(op)) return binary(Opcode::Div);
  if (isa<arith::IndexCastOp, arith::ExtSIOp, arith::TruncIOp>(op)) {
    move(r(op->getResult(0)), r(op->getOperand(0)), op);
    return;
  }
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return emitFor(loop);
  if (auto branch = dyn_cast<scf::IfOp>(op))
    return emitIf(branch);
  if (isa<func::ReturnOp>(op)) {
    push({Opcode::Halt, 0, 0, 0, 0, 0, 0, 0}, op);
    return;
  }
  if (auto pid = dyn_cast<mir::ProgramIdOp>(op))
    return void(push({Opcode::Pid, r(pid.getResult()), 0, 0, 0, 0, 0, static_cast<int32_t>(pid.getAxis())}, op));
  if (auto n = dyn_cast<mir::NumProgramsOp>(op))
    return void(push({Opcode::Nprog, r(n.getResult()), 0, 0, 0, 0, 0, static_cast<int32_t>(n.getAxis())}, op));
  if (auto c = dyn_cast<mir::ClusterPidOp>(op))
    return void(push({Opcode::Cpid, r(c.getResult()), 0, 0, 0, 0, 0, static_cast<int32_t>(c.getAxis())}, op));
  if (auto arg = dyn_cast<mir::ArgOp>(op))
    return void(push({Opcode::Arg, r(arg.getResult()), 0, 0, 0, 0, 0, static_cast<int32_t>(arg.getIndex())}, op));
  if (auto w = dyn_cast<mir::WaitOp>(op))
    return void(push({Opcode::Wait, 0, 0, 0, 0, 0, sem(w.getSem()), static_cast<int32_t>(w.getCount())}, op));
  if (isa<mir::ClusterBarrierOp>(op))
    return void(push({Opcode::Cbar, 0, 0, 0, 0, 0, 0, 0}, op));
  if (auto s = dyn_cast<mir::SignalOp>(op))
    return void(push({Opcode::Signal, 0, 0, 0, 0, 0, sem(s.getSem()), static_cast<int32_t>(s.getCount())}, op));
  if (auto d = dyn_cast<mir::DmaInOp>(op))
    return void(push({Opcode::DmaIn, r(d.getTsram()), r(d.getHbm()), r(d.getRows()), r(d.getRowBytes()),
                      r(d.getHbmStride()), sem(d.getSem()), static_cast<int32_t>(d.getTsramStride())},
                     op));
  if (auto d = dyn_cast<mir::DmaOutOp>(op))
    return void(push({Opcode::DmaOut, r(d.getHbm()), r(d.getTsram()), r(d.getRows()), r(d.getRowBytes()),
                      r(d.getHbmStride()), sem(d.getSem()), static_cast<int32_t>(d.getTsramStride())},
                     op));
  if (auto m = dyn_cast<mir::MmaOp>(op))
    return void(push({Opcode::Mma, r(m.getC()), r(m.getA()), r(m.getB()), r(m.getM()), r(m.getN()), sem(m.getSem()),
                      static_cast<int32_t>(m.getK())},
                     op));
  if (auto v = dyn_cast<mir::VectorBinaryOp>(op)) {
    static const Opcode codes[] = {Opcode::VAdd, Opcode::VSub, Opcode::VMul, Opcode::VMax, Opcode::VDiv};
    return void(push({codes[static_cast<int>(v.getKind())], r(v.getDst()), r(v.getLhs()), r(v.getRhs()),
                      r(v.getCount()), 0, sem(v.getSem()), 0},
                     op));
  }
  if (auto v = dyn_cast<mir::VectorUnaryOp>(op)) {
    static const Opcode codes[] = {Opcode::VExp,  Opcode::VCopy,  Opcode::VToBf16, Opcode::VToF32,  Opcode::VSqrt,
                                   Opcode::VRsqrt, Opcode::VErf,  Opcode::VSigmoid, Opcode::VLog};
    return void(push({codes[static_cast<int>(v.getKind())], r(v.getDst()), r(v.getSrc()), 0, r(v.getCount()), 0,
                      sem(v.getSem()), 0},
                     op));
  }
  if (auto v = dyn_cast<mir::VectorFillOp>(op))
    return void(push({Opcode::VFill, r(v.getDst()), 0, r(v.getValue()), r(v.getCount()), 0, sem(v.getSem()), 0}, op));
  if (auto v = dyn_cast<mir::RowOp>(op)) {
    static const Opcode codes[] = {Opcode::VRowMax, Opcode::VRowSum, Opcode::VRowSub, Opcode::VRowDiv, Opcode::VRowMul};
    uint8_t vec = v.getVector() ? r(v.getVector()) : 0;
    return void(push({codes[static_cast<int>(v.getKind())], r(v.getDst()), r(v.getSrc()), vec, r(v.getCols()),
                      r(v.getRows()), sem(v.getSem()), 0},
                     op));
  }
  if (auto v = dyn_cast<mir::ColOp>(op)) {
    Opcode code = v.getKind() == mir::ColKind::Add ? Opcode::VColAdd : Opcode::VColMul;
    return void(push({code, r(v.getDst()), r(v.getSrc()), r(v.getVector()), r(v.getCols()), r(v.getRows()),
                      sem(v.getSem()), 0},
                     op));
  }
  if (auto v = dyn_cast<mir::FillTailOp>(op))
    return void(push({Opcode::VFillTail, r(v.getDst()), r(v.getFirst()), r(v.getValue()), r(v.getCols()),
                      r(v.getRows()), sem(v.getSem()), static_cast<int32_t>(v.getStep())},
                     op));
  if (auto m = dyn_cast<mir::MmaTOp>(op))
    return void(push({Opcode::MmaT, r(m.getC()), r(m.getA()), r(m.getB()), r(m.getM()), r(m.getN()), sem(m.getSem()),
                      static_cast<int32_t>(m.getK())},
                     op));
  if (isa<mir::TypedBinaryOp, mir::TypedSelectOp, mir::TypedConvertOp, mir::TypedFillOp, mir::TypedIotaOp,
          mir::TypedRowOp, mir::TypedGerOp, mir::TypedUnaryOp, mir::DmaAtomicOp, mir::DmaIndexedOp, mir::DebugPrintOp, mir::DebugAssertOp>(op))
    return emitTyped(op);
  if (auto l = dyn_cast<mir::LoadWordOp>(op))
    return void(push({Opcode::Ldw, r(l.getResult()), r(l.getAddress()), 0, 0, 0, 0, 0}, op));
  if (auto c = dyn_cast<mir::CvtfOp>(op))
    return void(push({Opcode::Cvtf, r(c.getResult()), r(c.getValue()), 0, 0, 0, 0, 0}, op));
  fail(op, "has no Maia instruction");
}

/// The ISA's name for an element type of the typed vector unit (a bool is a byte).
std::optional<ElemType> elemTypeOf(Type t) {
  if (auto i = dyn_cast<IntegerType>(t)) {
    bool u = i.isUnsigned() || i.getWidth() == 1;
    switch (i.getWidth()) {
    case 1:
    case 8: return u ? ElemType::U8 : ElemType::I8;
    case 16: return u ? ElemType::U16 : ElemType::I16;
    case 32: return u ? ElemType::U32 : ElemType::I32;
    case 64: return u ? ElemType::U64 : ElemType::I64;
    default: return std::nullopt;
    }
  }
  if (t.isF16()) return ElemType::F16;
  if (t.isBF16()) return ElemType::BF16;
  if (t.isF32()) return ElemType::F32;
  if (t.isF64()) return ElemType::F64;
  return std::nullopt;
}

void Emitter::emitTyped(Operation *op) {
  auto r = [&](Value v) { return reg(v, op); };
  auto typeImm = [&](Type t) -> int32_t {
    std::optional<ElemType> e = elemTypeOf(t);
    if (!e) {
      fail(op, "has an element type the vector unit does not take");
      return 0;
    }
    return static_cast<int32_t>(*e);
  };
  auto sem = [](int32_t s) { return static_cast<uint8_t>(s); };
  if (auto v = dyn_cast<mir::TypedBinaryOp>(op)) {
    static const Opcode codes[] = {Opcode::VtAdd, Opcode::VtSub, Opcode::VtMul, Opcode::VtDiv, Opcode::VtRem,
                                   Opcode::VtMax, Opcode::VtMin, Opcode::VtAnd, Opcode::VtOr,  Opcode::VtXor,
                                   Opcode::VtShl, Opcode::VtShr, Opcode::VtShrU, Opcode::VtLt, Opcode::VtLe,
                                   Opcode::VtEq,  Opcode::VtNe,  Opcode::VtLtU, Opcode::VtLeU};
    push({codes[static_cast<int>(v.getKind())], r(v.getDst()), r(v.getLhs()), r(v.getRhs()), r(v.getCount()), 0,
          sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::TypedSelectOp>(op)) {
    push({Opcode::VtSel, r(v.getDst()), r(v.getMask()), r(v.getOnTrue()), r(v.getCount()), r(v.getOnFalse()),
          sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::TypedConvertOp>(op)) {
    int32_t from = typeImm(v.getFrom()), to = typeImm(v.getTo());
    push({Opcode::VtCvt, r(v.getDst()), r(v.getSrc()), 0, r(v.getCount()), 0, sem(v.getSem()), from | (to << 4)}, op);
  } else if (auto v = dyn_cast<mir::TypedFillOp>(op)) {
    push({Opcode::VtFill, r(v.getDst()), 0, r(v.getValue()), r(v.getCount()), 0, sem(v.getSem()),
          typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::TypedRowOp>(op)) {
    static const Opcode codes[] = {Opcode::VtRowBcast, Opcode::VtRowSum,  Opcode::VtRowMax,
                                   Opcode::VtRowMin,   Opcode::VtTrans,   Opcode::VtScanSum,
                                   Opcode::VtScanMax,  Opcode::VtScanMin, Opcode::VtRowRev,
                                   Opcode::VtRowArgMax, Opcode::VtRowArgMin};
    push({codes[static_cast<int>(v.getKind())], r(v.getDst()), r(v.getSrc()), 0, r(v.getCols()), r(v.getRows()),
          sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::TypedGerOp>(op)) {
    push({Opcode::VtGer, r(v.getAcc()), r(v.getLhs()), r(v.getRhs()), r(v.getCols()), r(v.getRows()),
          sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::TypedUnaryOp>(op)) {
    static const Opcode codes[] = {Opcode::VtExp,     Opcode::VtLog,  Opcode::VtSqrt, Opcode::VtRsqrt,
                                   Opcode::VtErf,     Opcode::VtSigmoid, Opcode::VtTanh, Opcode::VtSin,
                                   Opcode::VtCos,     Opcode::VtExp2, Opcode::VtLog2};
    push({codes[static_cast<int>(v.getFn())], r(v.getDst()), r(v.getSrc()), 0, r(v.getCount()), 0, sem(v.getSem()),
          typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::DmaAtomicOp>(op)) {
    static const Opcode codes[] = {Opcode::DmaAdd, Opcode::DmaMax, Opcode::DmaMin, Opcode::DmaXchg};
    push({codes[static_cast<int>(v.getKind())], r(v.getHbm()), r(v.getTsram()), r(v.getRows()), r(v.getRowBytes()),
          r(v.getHbmStride()), sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::DmaIndexedOp>(op)) {
    static const Opcode codes[] = {Opcode::DmaGather, Opcode::DmaScatter, Opcode::DmaAddX, Opcode::DmaMaxX,
                                   Opcode::DmaMinX,   Opcode::DmaXchgX,   Opcode::DmaCasX};
    const bool gather = v.getKind() == mir::IndexedKind::Gather;
    uint8_t hbm = r(v.getHbm()), tsram = r(v.getTsram());
    push({codes[static_cast<int>(v.getKind())], gather ? tsram : hbm, gather ? hbm : tsram, r(v.getOffsets()),
          r(v.getCount()), v.getMask() ? r(v.getMask()) : uint8_t{0}, sem(v.getSem()), typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::DebugPrintOp>(op)) {
    push({Opcode::DbgPrint, 0, r(v.getSrc()), r(v.getSite()), r(v.getCount()), 0, sem(v.getSem()),
          typeImm(v.getElem())},
         op);
  } else if (auto v = dyn_cast<mir::DebugAssertOp>(op)) {
    push({Opcode::DbgAssert, 0, r(v.getMask()), r(v.getSite()), r(v.getCount()), 0, sem(v.getSem()), 0}, op);
  } else if (auto v = dyn_cast<mir::TypedIotaOp>(op)) {
    push({Opcode::VtIota, r(v.getDst()), r(v.getStart()), 0, r(v.getCount()), 0, sem(v.getSem()),
          typeImm(v.getElem())},
         op);
  }
}

/// Constants are cheap to rebuild (one `li`) and costly to keep (a register for their
/// whole live range, which canonicalization stretches to the whole kernel): each use
/// gets its own copy right before the user.
void sinkConstants(func::FuncOp func) {
  SmallVector<arith::ConstantOp> constants;
  func.walk([&](arith::ConstantOp c) {
    if (isScalar(c.getType()))
      constants.push_back(c);
  });
  for (arith::ConstantOp c : constants) {
    for (OpOperand &use : llvm::make_early_inc_range(c->getUses())) {
      Operation *user = use.getOwner();
      if (isa<scf::YieldOp>(user))
        continue; // a yield's operand must dominate the yield; keep the original
      OpBuilder b(user);
      use.set(b.clone(*c)->getResult(0));
    }
    if (c->use_empty())
      c->erase();
  }
}

/// Whether `op` can be recomputed anywhere: pure scalar integer arithmetic and the
/// reads of kernel arguments and program ids.
bool isRematerializable(Operation *op) {
  // Integer division is not speculatable (a zero divisor faults), but recomputing it
  // where its value is used faults in the same instance all the same.
  if (op->getNumResults() != 1 || !(isPure(op) || isa<arith::DivSIOp>(op)) || op->getNumRegions() != 0)
    return false;
  if (!isa<arith::ArithDialect, mir::MaiaDialect>(op->getDialect()))
    return false;
  Type t = op->getResult(0).getType();
  return isScalar(t) || t.isInteger(1);
}

/// The ops that compute `v` from rematerializable leaves, operands first, or nothing
/// when that takes more than `budget` ops or reaches anything else. Values of `loop`
/// (when given) are leaves.
bool collectTree(Value v, Region *loop, llvm::SetVector<Operation *> &tree, int budget) {
  Operation *def = v.getDefiningOp();
  if (!def || (loop && loop->isAncestor(def->getParentRegion())) || tree.contains(def))
    return true; // a block argument, a value of the loop itself, or one rebuilt already
  if (!isRematerializable(def) || static_cast<int>(tree.size()) >= budget)
    return false;
  for (Value operand : def->getOperands())
    if (!collectTree(operand, loop, tree, budget))
      return false;
  tree.insert(def);
  return true;
}

/// Clones, next to each use, the tree computing the used value (values of `keep`, and
/// block arguments, are used as they are), unless it exceeds `budget` ops.
void rebuildAtUses(ArrayRef<OpOperand *> uses, Region *keep, int budget) {
  for (OpOperand *use : uses) {
    llvm::SetVector<Operation *> tree;
    if (!collectTree(use->get(), keep, tree, budget))
      continue;
    IRMapping map;
    OpBuilder b(use->getOwner());
    for (Operation *op : tree)
      map.map(op->getResult(0), b.clone(*op, map)->getResult(0));
    use->set(map.lookup(use->get()));
  }
}

/// Removes the rematerializable ops left without uses, then their operands' definitions.
void eraseDeadRematerializable(func::FuncOp func) {
  for (bool changed = true; changed;) {
    SmallVector<Operation *> dead;
    func.walk([&](Operation *op) {
      if (isRematerializable(op) && op->use_empty())
        dead.push_back(op);
    });
    changed = !dead.empty();
    for (Operation *op : dead)
      op->erase();
  }
}

/// A value defined before a loop and used inside it occupies a register for the whole
/// loop. Address arithmetic (argument reads, program ids, a few integer ops) is cheaper
/// to recompute next to each use than to keep, so such trees are cloned into the loop.
void rematerializeInLoops(func::FuncOp func) {
  constexpr int kBudget = 40; // ops per rebuilt value
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) { loops.push_back(loop); }); // inner loops first
  for (scf::ForOp loop : loops) {
    Region *body = &loop.getRegion();
    SmallVector<OpOperand *> uses;
    loop.getRegion().walk([&](Operation *user) {
      if (isa<scf::YieldOp>(user))
        return; // a yielded value must dominate the yield as it is
      for (OpOperand &use : user->getOpOperands()) {
        Operation *def = use.get().getDefiningOp();
        if (def && !body->isAncestor(def->getParentRegion()) && isRematerializable(def) &&
            !isa<arith::ConstantOp>(def))
          uses.push_back(&use);
      }
    });
    rebuildAtUses(uses, body, kBudget);
  }
  // The same for values defined before a loop and used after it, outside any loop: a
  // copy after the loop frees their registers while it runs.
  for (scf::ForOp loop : loops) {
    Block *block = loop->getBlock();
    SmallVector<OpOperand *> uses;
    for (Operation *after = loop->getNextNode(); after; after = after->getNextNode())
      after->walk([&](Operation *user) {
        if (isa<scf::YieldOp>(user))
          return;
        for (OpOperand &use : user->getOpOperands()) {
          Operation *def = use.get().getDefiningOp();
          if (def && def->getBlock() == block && def->isBeforeInBlock(loop) && isRematerializable(def) &&
              !isa<arith::ConstantOp>(def))
            uses.push_back(&use);
        }
      });
    rebuildAtUses(uses, &loop.getRegion(), kBudget);
  }
  // Originals that lost all their uses, and then their operands' definitions.
  eraseDeadRematerializable(func);
}

/// When the scalars live at once outnumber the registers: every use of a value that
/// address arithmetic computes (from argument reads, program ids and integer ops) gets
/// its own copy of that computation, right before it, so that no such value stays live
/// between its uses. It costs control-processor instructions, so it is the fallback.
void rematerializeAtEveryUse(func::FuncOp func) {
  constexpr int kBudget = 40; // ops per rebuilt value
  SmallVector<OpOperand *> uses;
  func.walk([&](Operation *user) {
    if (isa<scf::YieldOp>(user))
      return; // a yielded value must dominate the yield as it is
    for (OpOperand &use : user->getOpOperands()) {
      Operation *def = use.get().getDefiningOp();
      if (def && isRematerializable(def) && !isa<arith::ConstantOp>(def))
        uses.push_back(&use);
    }
  });
  rebuildAtUses(uses, nullptr, kBudget);
  eraseDeadRematerializable(func);
}

FailureOr<Program> Emitter::run(func::FuncOp func) {
  if (func.getNumArguments() != 0) {
    fail(func, "a Maia kernel reads its arguments with maia.arg and takes none itself");
    return failure();
  }
  rematerializeInLoops(func);
  sinkConstants(func);
  number(func.getBody());
  allocate(/*lastTry=*/false);
  if (outOfRegisters_ && !failed_) {
    resetAllocation();
    rematerializeAtEveryUse(func);
    sinkConstants(func);
    number(func.getBody());
    allocate(/*lastTry=*/true);
  }
  if (failed_)
    return failure();
  if (func->hasAttr(mir::kClusterSquaresAttrName))
    program_.grid_mapping = GridMapping::ClusterSquares;
  emit(func.getBody());
  if (failed_)
    return failure();
  for (auto [at, label] : fixups_) {
    int64_t target = labels_[label];
    program_.code[at].imm = static_cast<int32_t>(target - static_cast<int64_t>(at));
  }
  return program_;
}

} // namespace

FailureOr<Program> emit_program(ModuleOp module) {
  func::FuncOp kernel;
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr(mir::kKernelAttrName)) {
      if (kernel)
        return func.emitError("a module holds one Maia kernel");
      kernel = func;
    }
  if (!kernel)
    return module.emitError("no func.func with the `maia.kernel` attribute");
  Emitter emitter;
  return emitter.run(kernel);
}

} // namespace tegula::maia
