// The tegula-emit-cpu-entry pass: one calling convention for every CPU kernel, so the
// LLVM-free runtime can call any of them through the same function pointer type.
#include "backends/cpu/Passes.h"
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace tegula::cpu {
#define GEN_PASS_DEF_TEGULAEMITCPUENTRY
#include "backends/cpu/Passes.h.inc"
} // namespace tegula::cpu

using namespace mlir;

namespace {

constexpr unsigned kGridValues = 6;

struct EmitCpuEntryPass : public tegula::cpu::impl::TegulaEmitCpuEntryBase<EmitCpuEntryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(tegula::tile::kKernelAttrName))
        kernels.push_back(func);
    for (func::FuncOp kernel : kernels)
      if (failed(wrap(kernel)))
        return signalPassFailure();
  }

  LogicalResult wrap(func::FuncOp kernel) {
    unsigned numArgs = kernel.getNumArguments();
    auto lowered = [](Type t) { return t.isIntOrFloat(); };
    bool hasGrid = numArgs >= kGridValues &&
                   llvm::all_of(kernel.getArgumentTypes().take_back(kGridValues), [](Type t) { return t.isInteger(32); });
    if (!hasGrid || !llvm::all_of(kernel.getArgumentTypes(), lowered))
      return kernel.emitError("kernel lacks the grid arguments or still takes tiles or tile pointers; run "
                              "tegula-convert-tile-to-linalg first");
    std::string name = kernel.getSymName().str();
    kernel.setSymName(name + ".body");
    kernel.setPrivate();
    kernel->removeAttr(tegula::tile::kKernelAttrName);
    // Internal linkage: only the entry is exported from an AOT shared object.
    kernel->setAttr("llvm.linkage", LLVM::LinkageAttr::get(kernel.getContext(), LLVM::Linkage::Internal));

    OpBuilder b(kernel);
    Location loc = kernel.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    auto entry = func::FuncOp::create(b, loc, name, b.getFunctionType({ptrType, ptrType}, {}));
    entry->setAttr(tegula::tile::kKernelAttrName, b.getUnitAttr());
    Block *block = entry.addEntryBlock();
    b.setInsertionPointToStart(block);
    Value args = block->getArgument(0), grid = block->getArgument(1);
    SmallVector<Value> operands;
    for (unsigned i = 0; i < numArgs - kGridValues; ++i) {
      Type type = kernel.getArgumentTypes()[i];
      Value slot = LLVM::GEPOp::create(b, loc, ptrType, ptrType, args, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      Value valuePtr = LLVM::LoadOp::create(b, loc, ptrType, slot);
      operands.push_back(LLVM::LoadOp::create(b, loc, type, valuePtr));
    }
    for (unsigned i = 0; i < kGridValues; ++i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptrType, b.getI32Type(), grid, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      operands.push_back(LLVM::LoadOp::create(b, loc, b.getI32Type(), slot));
    }
    func::CallOp::create(b, loc, kernel, operands);
    func::ReturnOp::create(b, loc);
    return success();
  }
};

} // namespace
