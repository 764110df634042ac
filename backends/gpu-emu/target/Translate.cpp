// The module at a GPU target's emu-tap stage, written down as a gpu-emu Program: each op
// of the upstream dialects the tap may hold becomes an instruction with the semantics
// the upstream dialect gives it (arith, math, scf, vector, memref, llvm's loads, stores,
// atomics, getelementptr and trap, gpu's ids, shuffles, barriers and printf, nvvm's
// mma.sync as the PTX ISA defines it). Anything
// else is refused with its name and place: the emulator runs what it models, nothing by
// guess.
#include "backends/gpu-emu/target/Translate.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <map>

namespace tegula::gpuemu {

using namespace mlir;

namespace {

/// On a kernel whose shared memory is the block's dynamic shared memory, the bytes its
/// launch provides (the GPU lowering's contract, docs/backends.md; read here by name, as
/// the emulator reads nothing of the compiler it checks).
constexpr llvm::StringLiteral kDynamicSharedBytesAttrName = "tgpu.dynamic_shared_bytes";

/// Shared memory's address space in NVPTX (and AMDGPU's LDS).
constexpr unsigned kSharedAddressSpace = 3;

bool isShared(Type t) {
  auto memref = dyn_cast<MemRefType>(t);
  auto space = memref ? dyn_cast_or_null<::mlir::gpu::AddressSpaceAttr>(memref.getMemorySpace()) : nullptr;
  return space && space.getValue() == ::mlir::gpu::AddressSpace::Workgroup;
}

std::optional<Scalar> scalarOf(Type t) {
  if (t.isIndex())
    return Scalar::I64;
  if (auto i = dyn_cast<IntegerType>(t)) {
    switch (i.getWidth()) {
    case 1: return Scalar::I1;
    case 8: return Scalar::I8;
    case 16: return Scalar::I16;
    case 32: return Scalar::I32;
    case 64: return Scalar::I64;
    default: return std::nullopt;
    }
  }
  if (t.isF16())
    return Scalar::F16;
  if (t.isBF16())
    return Scalar::BF16;
  if (t.isF32())
    return Scalar::F32;
  if (t.isF64())
    return Scalar::F64;
  if (isa<LLVM::LLVMPointerType, MemRefType>(t))
    return Scalar::Address;
  return std::nullopt;
}

std::optional<ValueType> valueTypeOf(Type t) {
  if (auto v = dyn_cast<VectorType>(t)) {
    if (v.getRank() != 1 || v.isScalable())
      return std::nullopt;
    std::optional<Scalar> s = scalarOf(v.getElementType());
    if (!s)
      return std::nullopt;
    return ValueType{*s, static_cast<uint16_t>(v.getNumElements())};
  }
  std::optional<Scalar> s = scalarOf(t);
  if (!s)
    return std::nullopt;
  return ValueType{*s, 1};
}

int64_t elementBytes(Type t) {
  if (isa<LLVM::LLVMPointerType>(t))
    return 8;
  return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8);
}

std::optional<Op> simpleOp(Operation *op) {
  static const std::map<std::string, Op> ops = {
      {"arith.addi", Op::AddI}, {"arith.subi", Op::SubI}, {"arith.muli", Op::MulI}, {"arith.divsi", Op::DivSI},
      {"arith.divui", Op::DivUI}, {"arith.remsi", Op::RemSI}, {"arith.remui", Op::RemUI}, {"arith.andi", Op::AndI},
      {"arith.ori", Op::OrI}, {"arith.xori", Op::XOrI}, {"arith.shli", Op::ShLI}, {"arith.shrui", Op::ShRUI},
      {"arith.shrsi", Op::ShRSI}, {"arith.maxsi", Op::MaxSI}, {"arith.minsi", Op::MinSI}, {"arith.maxui", Op::MaxUI},
      {"arith.minui", Op::MinUI}, {"arith.ceildivsi", Op::CeilDivSI}, {"arith.floordivsi", Op::FloorDivSI},
      {"math.absi", Op::AbsI}, {"arith.addf", Op::AddF}, {"arith.subf", Op::SubF}, {"arith.mulf", Op::MulF},
      {"arith.divf", Op::DivF}, {"arith.remf", Op::RemF}, {"arith.maxnumf", Op::MaxNumF},
      {"arith.minnumf", Op::MinNumF}, {"arith.maximumf", Op::MaximumF}, {"arith.minimumf", Op::MinimumF},
      {"math.powf", Op::PowF}, {"arith.negf", Op::NegF}, {"math.absf", Op::AbsF}, {"math.exp", Op::Exp},
      {"math.exp2", Op::Exp2}, {"math.log", Op::Log}, {"math.log2", Op::Log2}, {"math.sqrt", Op::Sqrt},
      {"math.rsqrt", Op::RSqrt}, {"math.tanh", Op::Tanh}, {"math.erf", Op::Erf}, {"math.sin", Op::Sin},
      {"math.cos", Op::Cos}, {"math.floor", Op::Floor}, {"math.ceil", Op::Ceil}, {"math.round", Op::Round},
      {"math.fma", Op::Fma}, {"arith.select", Op::Select}, {"arith.extsi", Op::ExtSI}, {"arith.extui", Op::ExtUI},
      {"arith.trunci", Op::TruncI}, {"arith.extf", Op::ExtF}, {"arith.truncf", Op::TruncF},
      {"arith.sitofp", Op::SIToFP}, {"arith.uitofp", Op::UIToFP}, {"arith.fptosi", Op::FPToSI},
      {"arith.fptoui", Op::FPToUI}, {"arith.bitcast", Op::Bitcast},
  };
  auto it = ops.find(op->getName().getStringRef().str());
  if (it == ops.end())
    return std::nullopt;
  return it->second;
}

class Translator {
public:
  explicit Translator(Program &p) : p_(p) {}

  LogicalResult translateFunc(::mlir::gpu::GPUFuncOp func) {
    p_.name = func.getName().str();
    mlir::Block &entry = func.getBody().front();
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      FailureOr<int32_t> v = define(entry.getArgument(i), func);
      if (failed(v))
        return failure();
      p_.params.push_back(*v);
    }
    if (func.getNumWorkgroupAttributions() > 1)
      return func.emitError("gpu-emu runs kernels whose shared memory is one placed block (run "
                            "tegula-allocate-shared-memory), got ")
             << func.getNumWorkgroupAttributions() << " buffers";
    for (BlockArgument arg : func.getWorkgroupAttributions()) {
      auto type = cast<MemRefType>(arg.getType());
      p_.shared_bytes = type.getNumElements() * elementBytes(type.getElementType());
      FailureOr<int32_t> v = define(arg, func);
      if (failed(v))
        return failure();
      p_.shared_param = *v;
    }
    if (auto dynamic = func->getAttrOfType<IntegerAttr>(kDynamicSharedBytesAttrName)) {
      if (func.getNumWorkgroupAttributions() != 0)
        return func.emitError("gpu-emu runs kernels whose shared memory is one placed block, got dynamic shared "
                              "memory beside an attribution");
      p_.shared_bytes = dynamic.getInt(); // what the launch provides: the kernel's own count
    }
    if (!func.getPrivateAttributions().empty())
      return func.emitError("gpu-emu does not model private attributions");
    auto known = func.getKnownBlockSizeAttr();
    if (!known || known.size() != 3 || known[1] != 1 || known[2] != 1)
      return func.emitError("gpu-emu runs kernels with a known one-dimensional block size");
    p_.threads = known[0];
    FailureOr<int32_t> block = translateBlock(entry, /*args=*/{});
    if (failed(block))
      return failure();
    p_.entry = *block;
    return success();
  }

private:
  FailureOr<int32_t> define(Value v, Operation *where) {
    std::optional<ValueType> type = valueTypeOf(v.getType());
    if (!type)
      return where->emitError("gpu-emu does not model values of type ") << v.getType();
    int32_t number = static_cast<int32_t>(p_.values.size());
    p_.values.push_back(*type);
    numbers_[v] = number;
    return number;
  }

  FailureOr<int32_t> use(Value v, Operation *where) {
    auto it = numbers_.find(v);
    if (it == numbers_.end())
      return where->emitError("internal: gpu-emu translation saw a use before its definition");
    return it->second;
  }

  int32_t siteOf(Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    Location loc = op->getLoc();
    if (auto fused = dyn_cast<FusedLoc>(loc); fused && !fused.getLocations().empty())
      loc = fused.getLocations().front();
    if (auto file = dyn_cast<FileLineColLoc>(loc))
      os << file.getFilename().getValue() << ":" << file.getLine();
    else
      loc.print(os);
    os << " (" << op->getName().getStringRef() << ")";
    auto [it, fresh] = sites_.try_emplace(text, static_cast<int32_t>(p_.sites.size()));
    if (fresh)
      p_.sites.push_back(text);
    return it->second;
  }

  FailureOr<int32_t> translateBlock(mlir::Block &block, ArrayRef<BlockArgument> args) {
    const int32_t number = static_cast<int32_t>(p_.blocks.size());
    p_.blocks.emplace_back();
    for (BlockArgument arg : args) {
      FailureOr<int32_t> v = define(arg, block.getParentOp());
      if (failed(v))
        return failure();
      p_.blocks[number].args.push_back(*v);
    }
    // An op's own pending instructions must survive the blocks it holds.
    std::vector<Instr> outer = std::move(pending_);
    for (Operation &op : block) {
      pending_.clear();
      FailureOr<Instr> in = translateOp(&op);
      if (failed(in))
        return failure();
      for (Instr &before : pending_)
        p_.blocks[number].instrs.push_back(std::move(before));
      p_.blocks[number].instrs.push_back(std::move(*in));
    }
    pending_ = std::move(outer);
    return number;
  }

  LogicalResult addArgs(Instr &in, Operation *op, ValueRange values) {
    for (Value v : values) {
      FailureOr<int32_t> n = use(v, op);
      if (failed(n))
        return failure();
      in.args.push_back(*n);
    }
    return success();
  }

  LogicalResult addResults(Instr &in, Operation *op) {
    for (Value r : op->getResults()) {
      FailureOr<int32_t> n = define(r, op);
      if (failed(n))
        return failure();
      in.results.push_back(*n);
    }
    if (!in.results.empty())
      in.type = p_.values[in.results.front()];
    return success();
  }

  FailureOr<Instr> translateOp(Operation *op) {
    Instr in;
    in.site = siteOf(op);
    auto finish = [&](Op kind, ValueRange args) -> FailureOr<Instr> {
      in.op = kind;
      if (failed(addArgs(in, op, args)) || failed(addResults(in, op)))
        return failure();
      return in;
    };
    if (std::optional<Op> kind = simpleOp(op))
      return finish(*kind, op->getOperands());
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      Attribute value = c.getValue();
      if (auto dense = dyn_cast<SplatElementsAttr>(value))
        value = dense.getSplatValue<Attribute>();
      if (auto i = dyn_cast<IntegerAttr>(value))
        in.imm = static_cast<int64_t>(i.getValue().getZExtValue());
      else if (auto f = dyn_cast<FloatAttr>(value))
        in.imm = static_cast<int64_t>(f.getValue().bitcastToAPInt().getZExtValue());
      else
        return op->emitError("gpu-emu does not model the constant ") << c.getValue();
      return finish(Op::Constant, {});
    }
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      in.imm = static_cast<int64_t>(cmp.getPredicate());
      return finish(Op::CmpI, op->getOperands());
    }
    if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
      in.imm = static_cast<int64_t>(cmp.getPredicate());
      return finish(Op::CmpF, op->getOperands());
    }
    if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(op)) {
      const unsigned from = op->getOperand(0).getType().isIndex() ? 64 : op->getOperand(0).getType().getIntOrFloatBitWidth();
      const unsigned to = op->getResult(0).getType().isIndex() ? 64 : op->getResult(0).getType().getIntOrFloatBitWidth();
      return finish(to < from ? Op::TruncI : isa<arith::IndexCastOp>(op) ? Op::ExtSI : Op::ExtUI, op->getOperands());
    }
    if (auto extract = dyn_cast<vector::ExtractOp>(op); extract && fields_.count(extract.getSource())) {
      // One matrix's register of an ldmatrix (a copy of that field), or one element of it.
      const SmallVector<int32_t, 4> &fields = fields_.find(extract.getSource())->second;
      ArrayRef<int64_t> position = extract.getStaticPosition();
      if (!extract.getDynamicPosition().empty() || position.empty() || position.size() > 2 || position[0] < 0 ||
          position[0] >= static_cast<int64_t>(fields.size()) ||
          (position.size() == 2 &&
           (position[1] < 0 || position[1] >= p_.values[fields[position[0]]].width)))
        return op->emitError("gpu-emu models vector.extract of one matrix of an ldmatrix, or of one element of it");
      in.op = position.size() == 2 ? Op::Extract : Op::Bitcast;
      in.imm = position.size() == 2 ? position[1] : 0;
      in.args = {fields[position[0]]};
      if (failed(addResults(in, op)))
        return failure();
      return in;
    }
    if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
      if (!extract.getDynamicPosition().empty() || extract.getStaticPosition().size() != 1)
        return op->emitError("gpu-emu models vector.extract of one static position");
      in.imm = extract.getStaticPosition()[0];
      return finish(Op::Extract, {extract.getSource()});
    }
    if (isa<vector::FromElementsOp>(op))
      return finish(Op::FromElements, op->getOperands());
    if (auto broadcast = dyn_cast<vector::BroadcastOp>(op)) {
      auto type = cast<VectorType>(broadcast.getType());
      SmallVector<Value> repeated(type.getNumElements(), broadcast.getSource());
      if (isa<VectorType>(broadcast.getSource().getType()))
        return op->emitError("gpu-emu models broadcasts of scalars");
      return finish(Op::FromElements, repeated);
    }
    if (auto gep = dyn_cast<LLVM::GEPOp>(op)) {
      if (gep.getIndices().size() != 1)
        return op->emitError("gpu-emu models getelementptr with one index");
      in.imm = elementBytes(gep.getElemType());
      auto index = gep.getIndices()[0];
      if (auto value = dyn_cast<Value>(index))
        return finish(Op::Offset, {gep.getBase(), value});
      // A constant index: a constant of its own before the offset.
      Instr constant;
      constant.op = Op::Constant;
      constant.site = in.site;
      constant.type = ValueType{Scalar::I64, 1};
      constant.imm = cast<IntegerAttr>(index).getValue().getSExtValue();
      constant.results.push_back(static_cast<int32_t>(p_.values.size()));
      p_.values.push_back(constant.type);
      const int32_t indexValue = constant.results.front();
      pending_.push_back(std::move(constant));
      FailureOr<int32_t> base = use(gep.getBase(), op);
      if (failed(base))
        return failure();
      in.op = Op::Offset;
      in.args = {*base, indexValue};
      if (failed(addResults(in, op)))
        return failure();
      return in;
    }
    if (auto copy = dyn_cast<NVVM::CpAsyncOp>(op)) {
      // The op's verifier keeps to the PTX forms: 4, 8 or 16 bytes, .cg only for 16,
      // .ca or .cg. Which cache level holds the source does not change the result.
      in.imm = copy.getSize();
      SmallVector<Value> args{copy.getDst(), copy.getSrc()};
      if (copy.getCpSize())
        args.push_back(copy.getCpSize());
      return finish(Op::CpAsync, args);
    }
    if (isa<NVVM::CpAsyncCommitGroupOp>(op))
      return finish(Op::CpAsyncCommit, {});
    if (auto wait = dyn_cast<NVVM::CpAsyncWaitGroupOp>(op)) {
      in.imm = wait.getN();
      return finish(Op::CpAsyncWait, {});
    }
    // A shared buffer's address as cp.async takes it: the view's byte offset, which is
    // what gpu-emu holds for a view (and a shared pointer).
    if (auto pointer = dyn_cast<memref::ExtractAlignedPointerAsIndexOp>(op)) {
      if (!isShared(pointer.getSource().getType()))
        return op->emitError("gpu-emu takes the address of shared-memory buffers only");
      return finish(Op::Bitcast, {pointer.getSource()});
    }
    if (auto pointer = dyn_cast<LLVM::IntToPtrOp>(op)) {
      if (cast<LLVM::LLVMPointerType>(pointer.getType()).getAddressSpace() != kSharedAddressSpace)
        return op->emitError("gpu-emu makes shared-memory pointers from integers, not ") << pointer.getType();
      return finish(Op::Bitcast, {pointer.getArg()});
    }
    if (isa<LLVM::LoadOp, LLVM::StoreOp, LLVM::AtomicRMWOp, LLVM::AtomicCmpXchgOp>(op))
      for (Value operand : op->getOperands())
        if (auto pointer = dyn_cast<LLVM::LLVMPointerType>(operand.getType());
            pointer && pointer.getAddressSpace() == kSharedAddressSpace)
          return op->emitError("gpu-emu models shared memory through memrefs and cp.async, not ") << op->getName();
    if (auto load = dyn_cast<LLVM::LoadOp>(op)) {
      std::optional<ValueType> type = valueTypeOf(load.getType());
      in.imm = load.getAlignment().value_or(type ? elementBytes(getElementTypeOrSelf(load.getType())) : 1);
      return finish(Op::LoadGlobal, {load.getAddr()});
    }
    if (auto store = dyn_cast<LLVM::StoreOp>(op)) {
      std::optional<ValueType> type = valueTypeOf(store.getValue().getType());
      if (!type)
        return op->emitError("gpu-emu does not model stores of ") << store.getValue().getType();
      in.type = *type;
      in.imm = store.getAlignment().value_or(elementBytes(getElementTypeOrSelf(store.getValue().getType())));
      in.op = Op::StoreGlobal;
      if (failed(addArgs(in, op, {store.getValue(), store.getAddr()})))
        return failure();
      return in;
    }
    if (auto rmw = dyn_cast<LLVM::AtomicRMWOp>(op)) {
      static const std::map<LLVM::AtomicBinOp, AtomicKind> kinds = {
          {LLVM::AtomicBinOp::add, AtomicKind::Add},   {LLVM::AtomicBinOp::fadd, AtomicKind::FAdd},
          {LLVM::AtomicBinOp::max, AtomicKind::Max},   {LLVM::AtomicBinOp::min, AtomicKind::Min},
          {LLVM::AtomicBinOp::umax, AtomicKind::UMax}, {LLVM::AtomicBinOp::umin, AtomicKind::UMin},
          {LLVM::AtomicBinOp::fmax, AtomicKind::FMax}, {LLVM::AtomicBinOp::fmin, AtomicKind::FMin},
          {LLVM::AtomicBinOp::xchg, AtomicKind::Xchg}};
      auto kind = kinds.find(rmw.getBinOp());
      if (kind == kinds.end())
        return op->emitError("gpu-emu does not model atomicrmw ") << LLVM::stringifyAtomicBinOp(rmw.getBinOp());
      if (!valueTypeOf(rmw.getVal().getType()) || isa<VectorType>(rmw.getVal().getType()))
        return op->emitError("gpu-emu models atomics on scalars, not ") << rmw.getVal().getType();
      in.imm = static_cast<int64_t>(kind->second);
      return finish(Op::AtomicGlobal, {rmw.getPtr(), rmw.getVal()});
    }
    if (auto exchange = dyn_cast<LLVM::AtomicCmpXchgOp>(op)) {
      // Its {old, swapped} struct becomes two values, which llvm.extractvalue names.
      Type element = exchange.getVal().getType();
      if (!valueTypeOf(element) || isa<VectorType>(element))
        return op->emitError("gpu-emu models atomics on scalars, not ") << element;
      in.op = Op::CmpXchgGlobal;
      if (failed(addArgs(in, op, {exchange.getPtr(), exchange.getCmp(), exchange.getVal()})))
        return failure();
      in.type = *valueTypeOf(element);
      for (ValueType type : {in.type, ValueType{Scalar::I1, 1}}) {
        in.results.push_back(static_cast<int32_t>(p_.values.size()));
        p_.values.push_back(type);
      }
      fields_[exchange.getResult()] = {in.results[0], in.results[1]};
      return in;
    }
    if (auto mma = dyn_cast<NVVM::MmaOp>(op))
      return translateMma(mma, in);
    if (auto convert = dyn_cast<NVVM::ConvertFloatToTF32Op>(op)) {
      if (convert.getRnd() != NVVM::FPRoundingMode::RNA || convert.getSat() != NVVM::SaturationMode::NONE ||
          convert.getRelu())
        return op->emitError("gpu-emu models nvvm.convert.float.to.tf32 rounding to nearest, ties away (rna), "
                             "without saturation or relu");
      return finish(Op::ToTf32, op->getOperands());
    }
    if (auto load = dyn_cast<nvgpu::LdMatrixOp>(op))
      return translateLdMatrix(load, in);
    if (auto mfma = dyn_cast<amdgpu::MFMAOp>(op))
      return translateMfma(mfma, in);
    if (auto bitcast = dyn_cast<LLVM::BitcastOp>(op)) {
      std::optional<ValueType> from = valueTypeOf(bitcast.getArg().getType()), to = valueTypeOf(bitcast.getType());
      if (!from || !to || to->width != 1 || is_float(to->scalar) ||
          scalar_bits(from->scalar) * from->width != scalar_bits(to->scalar))
        return op->emitError("gpu-emu models llvm.bitcast of a value (a vector: its elements, the first lowest) into one integer of its bits");
      return finish(Op::Pack, {bitcast.getArg()});
    }
    if (auto extract = dyn_cast<LLVM::ExtractValueOp>(op)) {
      auto it = fields_.find(extract.getContainer());
      if (it == fields_.end() || extract.getPosition().size() != 1 || extract.getPosition()[0] < 0 ||
          extract.getPosition()[0] >= static_cast<int64_t>(it->second.size()))
        return op->emitError("gpu-emu models llvm.extractvalue of a cmpxchg's or an mma.sync's result only");
      // A copy of the field: a bitcast to its own type.
      in.op = Op::Bitcast;
      in.args = {it->second[extract.getPosition()[0]]};
      if (failed(addResults(in, op)))
        return failure();
      return in;
    }
    if (isa<::mlir::gpu::DynamicSharedMemoryOp>(op)) {
      // The block's dynamic shared memory is all its shared memory: offset 0.
      if (p_.shared_bytes == 0)
        return op->emitError("gpu-emu runs dynamic shared memory of a kernel that states its bytes (")
               << kDynamicSharedBytesAttrName << ")";
      in.imm = 0;
      return finish(Op::Constant, {});
    }
    if (auto view = dyn_cast<memref::ViewOp>(op)) {
      auto type = cast<MemRefType>(view.getType());
      in.imm = type.getNumElements() * elementBytes(type.getElementType());
      return finish(Op::View, {view.getSource(), view.getByteShift()});
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (load.getIndices().size() != 1)
        return op->emitError("gpu-emu models one-dimensional shared memory");
      in.imm = elementBytes(load.getType());
      return finish(Op::LoadShared, {load.getMemRef(), load.getIndices()[0]});
    }
    if (auto store = dyn_cast<memref::StoreOp>(op))
      return sharedStore(op, store.getValue(), store.getMemRef(), store.getIndices(), std::nullopt, in);
    if (auto load = dyn_cast<vector::LoadOp>(op)) {
      if (load.getIndices().size() != 1 || load.getVectorType().getRank() != 1)
        return op->emitError("gpu-emu models one-dimensional vector loads of one-dimensional shared memory");
      in.imm = static_cast<int64_t>(load.getAlignment().value_or(elementBytes(load.getVectorType().getElementType())));
      return finish(Op::LoadShared, {load.getBase(), load.getIndices()[0]});
    }
    if (auto store = dyn_cast<vector::StoreOp>(op)) {
      if (store.getVectorType().getRank() != 1)
        return op->emitError("gpu-emu models one-dimensional vector stores");
      return sharedStore(op, store.getValueToStore(), store.getBase(), store.getIndices(), store.getAlignment(), in);
    }
    if (auto id = dyn_cast<::mlir::gpu::ThreadIdOp>(op)) {
      in.imm = static_cast<int64_t>(id.getDimension());
      return finish(Op::ThreadId, {});
    }
    if (auto id = dyn_cast<::mlir::gpu::BlockIdOp>(op)) {
      in.imm = static_cast<int64_t>(id.getDimension());
      return finish(Op::BlockId, {});
    }
    if (auto dim = dyn_cast<::mlir::gpu::GridDimOp>(op)) {
      in.imm = static_cast<int64_t>(dim.getDimension());
      return finish(Op::GridDim, {});
    }
    if (auto dim = dyn_cast<::mlir::gpu::BlockDimOp>(op)) {
      in.imm = static_cast<int64_t>(dim.getDimension());
      return finish(Op::BlockDim, {});
    }
    if (auto shuffle = dyn_cast<::mlir::gpu::ShuffleOp>(op)) {
      if (!valueTypeOf(shuffle.getValue().getType()) || isa<VectorType>(shuffle.getValue().getType()))
        return op->emitError("gpu-emu models shuffles of scalars");
      switch (shuffle.getMode()) {
      case ::mlir::gpu::ShuffleMode::XOR: in.imm = 0; break;
      case ::mlir::gpu::ShuffleMode::IDX: in.imm = 1; break;
      case ::mlir::gpu::ShuffleMode::UP: in.imm = 2; break;
      case ::mlir::gpu::ShuffleMode::DOWN: in.imm = 3; break;
      }
      return finish(Op::Shuffle, {shuffle.getValue(), shuffle.getOffset(), shuffle.getWidth()});
    }
    if (auto printf = dyn_cast<::mlir::gpu::PrintfOp>(op)) {
      for (Value arg : printf.getArgs())
        if (!valueTypeOf(arg.getType()) || isa<VectorType>(arg.getType()) || isa<LLVM::LLVMPointerType>(arg.getType()))
          return op->emitError("gpu-emu prints integers and floats, not ") << arg.getType();
      in.imm = static_cast<int64_t>(p_.strings.size());
      p_.strings.push_back(printf.getFormat().str());
      return finish(Op::Print, printf.getArgs());
    }
    if (isa<LLVM::Trap>(op))
      return finish(Op::Trap, {});
    if (isa<::mlir::gpu::BarrierOp>(op))
      return finish(Op::Barrier, {});
    if (isa<::mlir::gpu::ReturnOp>(op))
      return finish(Op::Return, {});
    if (isa<scf::YieldOp>(op))
      return finish(Op::Yield, op->getOperands());
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      SmallVector<Value> args{loop.getLowerBound(), loop.getUpperBound(), loop.getStep()};
      llvm::append_range(args, loop.getInitArgs());
      if (failed(addArgs(in, op, args)))
        return failure();
      SmallVector<BlockArgument> bodyArgs(loop.getBody()->getArguments());
      FailureOr<int32_t> body = translateBlock(*loop.getBody(), bodyArgs);
      if (failed(body))
        return failure();
      in.op = Op::For;
      in.body = *body;
      if (failed(addResults(in, op)))
        return failure();
      return in;
    }
    if (auto branch = dyn_cast<scf::IfOp>(op)) {
      if (failed(addArgs(in, op, {branch.getCondition()})))
        return failure();
      // Results first: the branches' yields write them.
      if (failed(addResults(in, op)))
        return failure();
      FailureOr<int32_t> then = translateBlock(branch.getThenRegion().front(), {});
      if (failed(then))
        return failure();
      in.body = *then;
      if (!branch.getElseRegion().empty()) {
        FailureOr<int32_t> other = translateBlock(branch.getElseRegion().front(), {});
        if (failed(other))
          return failure();
        in.orelse = *other;
      }
      in.op = Op::If;
      return in;
    }
    return op->emitError("gpu-emu does not model '") << op->getName() << "'";
  }

  /// nvvm.mma.sync m16n8k16 row.col with f16 or bf16 inputs (two to a register: a
  /// vector<2xf16> or an i32), or m16n8k8 row.col with tf32 ones (an i32 each), and f32
  /// accumulators; its struct of four f32 becomes four values, which llvm.extractvalue
  /// names.
  FailureOr<Instr> translateMma(NVVM::MmaOp mma, Instr &in) {
    NVVM::MMAShapeAttr shape = mma.getShape();
    std::optional<NVVM::MMATypes> input = mma.getMultiplicandAPtxType();
    if (!input && !mma.getOperandA().empty()) {
      auto pair = dyn_cast<VectorType>(mma.getOperandA()[0].getType());
      if (pair && pair.getNumElements() == 2 && pair.getElementType().isF16())
        input = NVVM::MMATypes::f16;
    }
    auto result = dyn_cast<LLVM::LLVMStructType>(mma.getResult().getType());
    auto allF32 = [](TypeRange types) { return llvm::all_of(types, [](Type t) { return t.isF32(); }); };
    const bool tf32 = input == NVVM::MMATypes::tf32;
    const bool modelled = shape.getM() == 16 && shape.getN() == 8 && shape.getK() == (tf32 ? 8 : 16) &&
                          mma.getLayoutA() == NVVM::MMALayout::row && mma.getLayoutB() == NVVM::MMALayout::col &&
                          input &&
                          (*input == NVVM::MMATypes::f16 || *input == NVVM::MMATypes::bf16 || tf32) &&
                          mma.getMultiplicandBPtxType().value_or(*input) == *input && mma.getOperandA().size() == 4 &&
                          mma.getOperandB().size() == 2 && mma.getOperandC().size() == 4 &&
                          allF32(mma.getOperandC().getTypes()) && result && result.getBody().size() == 4 &&
                          allF32(result.getBody());
    if (!modelled)
      return mma.emitError("gpu-emu models nvvm.mma.sync m16n8k16 row.col with f16 or bf16 inputs and m16n8k8 "
                           "row.col with tf32 inputs, f32 accumulators");
    for (Value v : llvm::concat<Value>(mma.getOperandA(), mma.getOperandB())) {
      std::optional<ValueType> type = valueTypeOf(v.getType());
      const bool pair = type && type->width == 2 && scalar_bits(type->scalar) == 16;
      const bool word = type && type->width == 1 && type->scalar == Scalar::I32;
      if (tf32 ? !word : !pair && !word)
        return mma.emitError(tf32 ? "gpu-emu takes tf32 mma.sync inputs one to a 32-bit integer, not "
                                  : "gpu-emu takes mma.sync inputs two to a 32-bit register, not ")
               << v.getType();
    }
    in.op = Op::MmaSync;
    in.imm = static_cast<int64_t>(tf32                               ? MmaInput::TF32
                                  : *input == NVVM::MMATypes::bf16 ? MmaInput::BF16
                                                                    : MmaInput::F16);
    SmallVector<Value> args(mma.getOperandA());
    llvm::append_range(args, mma.getOperandB());
    llvm::append_range(args, mma.getOperandC());
    if (failed(addArgs(in, mma, args)))
      return failure();
    in.type = ValueType{Scalar::F32, 1};
    SmallVector<int32_t, 4> fields;
    for (int i = 0; i < 4; ++i) {
      in.results.push_back(static_cast<int32_t>(p_.values.size()));
      p_.values.push_back(in.type);
      fields.push_back(in.results.back());
    }
    fields_[mma.getResult()] = fields;
    return in;
  }

  /// A scalar or vector store to one-dimensional shared memory; `alignment` as promised
  /// (else the element's).
  FailureOr<Instr> sharedStore(Operation *op, Value value, Value memref, ValueRange indices,
                               std::optional<uint64_t> alignment, Instr &in) {
    if (indices.size() != 1)
      return op->emitError("gpu-emu models one-dimensional shared memory");
    std::optional<ValueType> type = valueTypeOf(value.getType());
    if (!type)
      return op->emitError("gpu-emu does not model ") << value.getType();
    in.type = *type;
    in.imm = static_cast<int64_t>(alignment.value_or(elementBytes(getElementTypeOrSelf(value.getType()))));
    in.op = Op::StoreShared;
    if (failed(addArgs(in, op, {value, memref, indices[0]})))
      return failure();
    return in;
  }

  /// amdgpu.mfma m = n = 32, k = 8, one block, with 4 f16 or bf16 elements of A and of B
  /// and 16 f32 accumulators a lane, no broadcast or negation.
  FailureOr<Instr> translateMfma(amdgpu::MFMAOp mfma, Instr &in) {
    auto a = dyn_cast<VectorType>(mfma.getSourceA().getType());
    auto b = dyn_cast<VectorType>(mfma.getSourceB().getType());
    auto c = dyn_cast<VectorType>(mfma.getDestC().getType());
    const bool modelled = mfma.getM() == 32 && mfma.getN() == 32 && mfma.getK() == 8 && mfma.getBlocks() == 1 &&
                          mfma.getCbsz() == 0 && mfma.getAbid() == 0 &&
                          mfma.getBlgp() == amdgpu::MFMAPermB::none && !mfma.getNegateA() && !mfma.getNegateB() &&
                          !mfma.getNegateC() && a && b && c && a == b && a.getNumElements() == 4 &&
                          (a.getElementType().isF16() || a.getElementType().isBF16()) && c.getNumElements() == 16 &&
                          c.getElementType().isF32();
    if (!modelled)
      return mfma.emitError("gpu-emu models amdgpu.mfma 32x32x8 with f16 or bf16 inputs (4 a lane) and 16 f32 "
                            "accumulators, one block, no broadcast or negation");
    in.imm = static_cast<int64_t>(a.getElementType().isBF16() ? MmaInput::BF16 : MmaInput::F16);
    in.op = Op::Mfma;
    if (failed(addArgs(in, mfma, {mfma.getSourceA(), mfma.getSourceB(), mfma.getDestC()})) ||
        failed(addResults(in, mfma)))
      return failure();
    return in;
  }

  /// nvgpu.ldmatrix of 16-bit elements (a pair per matrix) or 32-bit ones (one per
  /// matrix, not transposed) from a one-dimensional shared-memory view; vector.extract
  /// names each matrix's.
  FailureOr<Instr> translateLdMatrix(nvgpu::LdMatrixOp load, Instr &in) {
    auto source = cast<MemRefType>(load.getSrcMemref().getType());
    auto result = load.getRes().getType();
    const int64_t matrices = load.getNumTiles();
    const int64_t bits = source.getElementTypeBitWidth();
    if (source.getRank() != 1 || (bits != 16 && !(bits == 32 && !load.getTranspose())) || result.getRank() != 2 ||
        result.getDimSize(0) != matrices || result.getDimSize(1) != 32 / bits || matrices < 1 || matrices > 4 ||
        matrices == 3)
      return load.emitError("gpu-emu models ldmatrix of 1, 2 or 4 matrices of 16-bit elements, or of 32-bit "
                            "ones without .trans, from one-dimensional shared memory");
    in.op = Op::LdMatrix;
    in.imm = matrices + (load.getTranspose() ? 256 : 0) + (bits == 32 ? 512 : 0);
    if (failed(addArgs(in, load, {load.getSrcMemref(), load.getIndices()[0]})))
      return failure();
    std::optional<ValueType> element = valueTypeOf(result.getElementType());
    if (!element)
      return load.emitError("gpu-emu does not model ") << result.getElementType();
    in.type = ValueType{element->scalar, static_cast<uint16_t>(32 / bits)};
    SmallVector<int32_t, 4> fields;
    for (int64_t q = 0; q < matrices; ++q) {
      in.results.push_back(static_cast<int32_t>(p_.values.size()));
      p_.values.push_back(in.type);
      fields.push_back(in.results.back());
    }
    fields_[load.getRes()] = fields;
    return in;
  }

  Program &p_;
  std::vector<Instr> pending_; ///< instructions an op needs before its own
  llvm::DenseMap<Value, int32_t> numbers_;
  /// A result's fields: a cmpxchg's {old, swapped}, an mma.sync's four f32, an
  /// ldmatrix's pair per matrix.
  llvm::DenseMap<Value, SmallVector<int32_t, 4>> fields_;
  std::map<std::string, int32_t> sites_;
};

} // namespace

FailureOr<Program> translate_to_program(ModuleOp module, int64_t warp_size) {
  ::mlir::gpu::GPUFuncOp kernel;
  int kernels = 0;
  module.walk([&](::mlir::gpu::GPUFuncOp func) {
    if (func.isKernel()) {
      kernel = func;
      ++kernels;
    }
  });
  if (kernels != 1)
    return module.emitError("gpu-emu runs a module with one kernel at its tap, got ") << kernels;
  Program program;
  program.warp_size = warp_size;
  if (failed(Translator(program).translateFunc(kernel)))
    return failure();
  if (program.threads % warp_size != 0)
    return kernel.emitError("a block of ") << program.threads << " threads is not whole warps of " << warp_size;
  return program;
}

} // namespace tegula::gpuemu
