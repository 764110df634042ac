// The tegula-convert-tile-to-linalg pass and the helpers its patterns share.
#include "backends/cpu/Conversion/TileToLinalg/Patterns.h"
#include "backends/cpu/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULACONVERTTILETOLINALG
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;
using namespace tegula;
using namespace tegula::cpu;

int32_t LoweringState::addSite(Operation *op, StringRef what) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (what.empty())
    os << op->getName();
  else
    os << what;
  os << " at " << tile::sourcePosition(op->getLoc());
  sites.push_back(StringAttr::get(op->getContext(), text));
  return static_cast<int32_t>(sites.size() - 1);
}

std::string tegula::cpu::atomicFunctionName(llvm::StringRef kind, Type type) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "tegula_cpu_atomic_" << kind << "_" << type;
  return name;
}

/// Declares the runtime functions the kernel's atomics, prints and asserts call.
static void declareRuntimeFunctions(ModuleOp module) {
  OpBuilder b(module.getBodyRegion());
  auto declare = [&](const std::string &name, TypeRange inputs, TypeRange results) {
    if (module.lookupSymbol(name))
      return;
    auto decl = func::FuncOp::create(b, module.getLoc(), name, b.getFunctionType(inputs, results));
    decl.setPrivate();
  };
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  module.walk([&](Operation *op) {
    if (auto rmw = dyn_cast<tile::AtomicRMWOp>(op)) {
      Type elem = tile::elementTypeOf(rmw.getType());
      declare(atomicFunctionName(tile::stringifyAtomicKind(rmw.getKind()), elem), {i64, elem}, {elem});
    } else if (auto cas = dyn_cast<tile::AtomicCASOp>(op)) {
      Type elem = tile::elementTypeOf(cas.getType());
      declare(atomicFunctionName("cas", elem), {i64, elem, elem}, {elem});
    } else if (isa<tile::PrintOp>(op)) {
      declare(kPrintFloatFn.str(), {i32, i64, b.getF64Type()}, {});
      declare(kPrintIntFn.str(), {i32, i64, i64}, {});
    } else if (isa<tile::AssertOp>(op)) {
      declare(kAssertFailFn.str(), {i32, i64}, {});
    }
  });
}

TileTypeConverter::TileTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](tile::PointerType type) -> Type { return IntegerType::get(type.getContext(), 64); });
  addConversion([](RankedTensorType type) -> Type {
    if (!isa<tile::PointerType>(type.getElementType()))
      return type;
    return RankedTensorType::get(type.getShape(), IntegerType::get(type.getContext(), 64));
  });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

Value tegula::cpu::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                    ValueRange inputs, const ScalarBodyFn &fn) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> tensorInputs;
  SmallVector<AffineMap> maps;
  SmallVector<int> scalarSlots; // position of each input among the body's arguments
  SmallVector<Value> scalars;
  for (Value in : inputs) {
    if (isa<RankedTensorType>(in.getType())) {
      scalarSlots.push_back(static_cast<int>(tensorInputs.size()));
      tensorInputs.push_back(in);
      maps.push_back(b.getMultiDimIdentityMap(rank));
    } else {
      scalarSlots.push_back(-1 - static_cast<int>(scalars.size()));
      scalars.push_back(in);
    }
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, tensorInputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        SmallVector<Value> operands;
        for (int slot : scalarSlots)
          operands.push_back(slot >= 0 ? args[slot] : scalars[-1 - slot]);
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, operands));
      });
  return generic.getResult(0);
}

scf::LoopNest tegula::cpu::forEachIndex(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange iterArgs,
    function_ref<scf::ValueVector(OpBuilder &, Location, ValueRange, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d : shape) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, d));
    steps.push_back(one);
  }
  return scf::buildLoopNest(b, loc, lbs, ubs, steps, iterArgs, body);
}

Value tegula::cpu::elementBytes(OpBuilder &b, Location loc, Type type) {
  unsigned bits = type.getIntOrFloatBitWidth();
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), std::max(1u, bits / 8));
}

Value tegula::cpu::toI64(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isInteger(64))
    return value;
  if (value.getType().isIndex())
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
  return arith::ExtSIOp::create(b, loc, b.getI64Type(), value);
}

Value tegula::cpu::zeroOf(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
}

static Value checkAccess(OpBuilder &b, Location loc, int32_t site, Type accessType,
                         Value address) {
  Value bytes = elementBytes(b, loc, accessType);
  Value siteId = arith::ConstantIntOp::create(b, loc, b.getI32Type(), site);
  auto call = func::CallOp::create(b, loc, kCheckAccessFn, TypeRange{b.getI1Type()},
                                   ValueRange{address, bytes, siteId});
  return call.getResult(0);
}

Value tegula::cpu::buildGuarded(OpBuilder &b, Location loc, LoweringState &state, int32_t site,
                                Type accessType, Value address, Value enabled, Value otherwise,
                                const std::function<Value(OpBuilder &, Location)> &fn) {
  Value guard = enabled;
  if (state.boundsCheck) {
    // The check runs only for enabled lanes: masked-off lanes may hold any address.
    if (guard) {
      auto ifOp = scf::IfOp::create(
          b, loc, guard,
          [&](OpBuilder &tb, Location tl) {
            scf::YieldOp::create(tb, tl, checkAccess(tb, tl, site, accessType, address));
          },
          [&](OpBuilder &eb, Location el) {
            scf::YieldOp::create(eb, el, arith::ConstantIntOp::create(eb, el, eb.getI1Type(), 0).getResult());
          });
      guard = ifOp.getResult(0);
    } else {
      guard = checkAccess(b, loc, site, accessType, address);
    }
  }
  if (!guard)
    return fn(b, loc);
  if (!otherwise) {
    scf::IfOp::create(b, loc, guard, [&](OpBuilder &tb, Location tl) {
      fn(tb, tl);
      scf::YieldOp::create(tb, tl);
    });
    return {};
  }
  auto ifOp = scf::IfOp::create(
      b, loc, guard,
      [&](OpBuilder &tb, Location tl) { scf::YieldOp::create(tb, tl, fn(tb, tl)); },
      [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, otherwise); });
  return ifOp.getResult(0);
}

Value tegula::cpu::buildGuardedLoad(OpBuilder &b, Location loc, LoweringState &state,
                                    int32_t site, Type type, Value address, Value enabled,
                                    Value otherwise) {
  if (!otherwise)
    otherwise = zeroOf(b, loc, type);
  return buildGuarded(b, loc, state, site, type, address, enabled, otherwise,
                      [&](OpBuilder &lb, Location ll) -> Value {
                        auto ptrType = LLVM::LLVMPointerType::get(lb.getContext());
                        Value ptr = LLVM::IntToPtrOp::create(lb, ll, ptrType, address);
                        return LLVM::LoadOp::create(lb, ll, type, ptr);
                      });
}

void tegula::cpu::buildGuardedStore(OpBuilder &b, Location loc, LoweringState &state,
                                    int32_t site, Value value, Value address, Value enabled) {
  buildGuarded(b, loc, state, site, value.getType(), address, enabled, Value(),
               [&](OpBuilder &sb, Location sl) -> Value {
                 auto ptrType = LLVM::LLVMPointerType::get(sb.getContext());
                 Value ptr = LLVM::IntToPtrOp::create(sb, sl, ptrType, address);
                 LLVM::StoreOp::create(sb, sl, value, ptr);
                 return {};
               });
}

namespace {

/// arith.select over pointer tiles only changes types.
struct SelectPattern : public OpConversionPattern<arith::SelectOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(arith::SelectOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, type, adaptor.getCondition(),
                                                 adaptor.getTrueValue(), adaptor.getFalseValue());
    return success();
  }
};

/// Program ids and grid sizes become six trailing i32 arguments of each kernel.
LogicalResult appendGridArguments(func::FuncOp func) {
  if (func.isExternal())
    return success();
  unsigned first = func.getNumArguments();
  Type i32 = IntegerType::get(func.getContext(), 32);
  SmallVector<unsigned> positions(6, first);
  SmallVector<Type> types(6, i32);
  SmallVector<DictionaryAttr> attrs(6, DictionaryAttr::get(func.getContext()));
  SmallVector<Location> locs(6, func.getLoc());
  if (failed(func.insertArguments(positions, types, attrs, locs)))
    return failure();
  func.walk([&](Operation *op) {
    if (auto pid = dyn_cast<tile::ProgramIdOp>(op)) {
      pid.replaceAllUsesWith(func.getArgument(first + pid.getAxis()));
      pid.erase();
    } else if (auto n = dyn_cast<tile::NumProgramsOp>(op)) {
      n.replaceAllUsesWith(func.getArgument(first + 3 + n.getAxis()));
      n.erase();
    }
  });
  return success();
}

struct ConvertTileToLinalgPass
    : public tegula::cpu::impl::TegulaConvertTileToLinalgBase<ConvertTileToLinalgPass> {
  using TegulaConvertTileToLinalgBase::TegulaConvertTileToLinalgBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tile::kKernelAttrName) && failed(appendGridArguments(func)))
        return signalPassFailure();
    // Program ids only mean something inside a kernel.
    WalkResult stray = module.walk([](Operation *op) {
      if (!isa<tile::ProgramIdOp, tile::NumProgramsOp>(op))
        return WalkResult::advance();
      op->emitError() << op->getName() << " outside a tile kernel (a func.func without the `"
                      << tile::kKernelAttrName << "` attribute)";
      return WalkResult::interrupt();
    });
    if (stray.wasInterrupted())
      return signalPassFailure();

    declareRuntimeFunctions(module);
    LoweringState state;
    state.boundsCheck = boundsCheck;
    TileTypeConverter converter;
    RewritePatternSet patterns(ctx);
    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, LLVM::LLVMDialect, scf::SCFDialect>();
    target.addIllegalDialect<tile::TileDialect>();
    // Descriptors are consumed by their accesses, which read the make_desc operands;
    // the op itself dies with its last use.
    target.addLegalOp<tile::MakeDescOp>();
    target.addLegalOp<ModuleOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp, arith::SelectOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);
    patterns.add<SelectPattern>(converter, ctx);
    populateShapeAndComputePatterns(converter, patterns);
    populateMemoryPatterns(converter, patterns, state);
    populateDebugPatterns(converter, patterns, state);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // Dead descriptors, and the casts that fed them, go now.
    SmallVector<Operation *> dead;
    module.walk([&](tile::MakeDescOp op) {
      if (op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : dead) {
      Value base = op->getOperand(0);
      op->erase();
      if (auto cast = base.getDefiningOp<UnrealizedConversionCastOp>(); cast && cast->use_empty())
        cast->erase();
    }
    module->setAttr(kSitesAttr, ArrayAttr::get(ctx, state.sites));
    if (state.boundsCheck && !module.lookupSymbol(kCheckAccessFn)) {
      OpBuilder b(module.getBodyRegion());
      auto type = b.getFunctionType({b.getI64Type(), b.getI64Type(), b.getI32Type()}, {b.getI1Type()});
      auto decl = func::FuncOp::create(b, module.getLoc(), kCheckAccessFn, type);
      decl.setPrivate();
    }
  }
};

} // namespace
