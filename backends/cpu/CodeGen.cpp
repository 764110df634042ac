#include "backends/cpu/CodeGen.h"

#include "backends/cpu/Passes.h"
#include "tegula/runtime/cpu_abi.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>

namespace tegula::cpu {

namespace {

void initialize_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::string llvm_error(llvm::Error error) { return llvm::toString(std::move(error)); }

/// The host CPU with all its features. AOT code is position independent with the small
/// code model, as a shared object must be.
mlir::FailureOr<std::unique_ptr<llvm::TargetMachine>> host_target_machine(mlir::ModuleOp module,
                                                                          bool for_shared_object = false) {
  initialize_llvm();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return module.emitError("cannot describe the host CPU: ") << llvm_error(builder.takeError());
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  if (for_shared_object) {
    builder->setRelocationModel(llvm::Reloc::PIC_);
    builder->setCodeModel(llvm::CodeModel::Small);
  }
  auto tm = builder->createTargetMachine();
  if (!tm)
    return module.emitError("cannot create a host target machine: ") << llvm_error(tm.takeError());
  return std::move(*tm);
}

bool uses_bfloat(const llvm::Module &module) {
  auto isBF16 = [](llvm::Type *t) { return t->getScalarType()->isBFloatTy(); };
  for (const llvm::Function &f : module)
    for (const llvm::BasicBlock &block : f)
      for (const llvm::Instruction &i : block) {
        if (isBF16(i.getType()))
          return true;
        for (const llvm::Value *operand : i.operands())
          if (isBF16(operand->getType()))
            return true;
      }
  return false;
}

/// Defines `__truncsfbf2` (f32 -> bf16, to nearest even) in a module that uses bf16.
/// On hosts without a bf16 conversion instruction LLVM promotes bf16 values held in
/// registers (phis, selects) to f32 and calls that function to narrow them back, and
/// neither the JIT, the LLVM-free runtime nor GCC 12's libgcc provides it. Defined here,
/// weak and hidden, the call binds to this copy in the kernel itself, with the calling
/// convention LLVM chose for both sides, and nothing is exported.
void define_bf16_narrowing(llvm::Module &module) {
  if (module.getFunction("__truncsfbf2") || !uses_bfloat(module))
    return;
  llvm::LLVMContext &context = module.getContext();
  auto *type = llvm::FunctionType::get(llvm::Type::getBFloatTy(context), {llvm::Type::getFloatTy(context)}, false);
  auto *f = llvm::Function::Create(type, llvm::GlobalValue::WeakODRLinkage, "__truncsfbf2", module);
  f->setVisibility(llvm::GlobalValue::HiddenVisibility);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", f));
  llvm::Value *x = f->getArg(0);
  llvm::Value *bits = b.CreateBitCast(x, b.getInt32Ty());
  // Round to nearest even: add 0x7fff plus the lowest kept bit, keep the high half.
  llvm::Value *lsb = b.CreateAnd(b.CreateLShr(bits, 16), 1);
  llvm::Value *rounded = b.CreateLShr(b.CreateAdd(bits, b.CreateAdd(lsb, b.getInt32(0x7fff))), 16);
  // A NaN stays a NaN (quieted), whatever its payload.
  llvm::Value *quiet = b.CreateOr(b.CreateLShr(bits, 16), 0x40);
  llvm::Value *isNaN = b.CreateFCmpUNO(x, x);
  llvm::Value *half = b.CreateTrunc(b.CreateSelect(isNaN, quiet, rounded), b.getInt16Ty());
  b.CreateRet(b.CreateBitCast(half, llvm::Type::getBFloatTy(context)));
}

} // namespace

std::vector<std::string> access_sites(mlir::ModuleOp module) {
  std::vector<std::string> sites;
  if (auto array = module->getAttrOfType<mlir::ArrayAttr>(cpu::kSitesAttr))
    for (mlir::Attribute a : array)
      sites.push_back(mlir::cast<mlir::StringAttr>(a).getValue().str());
  return sites;
}

mlir::FailureOr<Kernel> jit_cpu(mlir::ModuleOp module, const KernelInfo &info) {
  auto tm = host_target_machine(module);
  if (mlir::failed(tm))
    return mlir::failure();
  // ExecutionEngineOptions::transformer is a function_ref: the std::function it refers
  // to must outlive every use. The engine calls it while create() compiles the module,
  // so a local that lives to the end of this function is enough. (Bound to the
  // temporary makeOptimizingTransformer returns, it read a dead stack object: ASan's
  // stack-use-after-scope in the sanitizer build.)
  std::function<llvm::Error(llvm::Module *)> optimizeOnly = mlir::makeOptimizingTransformer(3, 0, tm->get());
  std::function<llvm::Error(llvm::Module *)> optimize = [&](llvm::Module *m) {
    define_bf16_narrowing(*m);
    return optimizeOnly(m);
  };
  mlir::ExecutionEngineOptions options;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = mlir::ExecutionEngine::create(module, options);
  if (!engine)
    return module.emitError("JIT compilation of '") << info.name << "' failed: " << llvm_error(engine.takeError());
  // The runtime's hooks (bounds check, atomics), resolved to this process's runtime.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    size_t count = 0;
    const CpuRuntimeSymbol *symbols = cpu_runtime_symbols(&count);
    for (size_t i = 0; i < count; ++i)
      map[interner(symbols[i].name)] = {llvm::orc::ExecutorAddr::fromPtr(symbols[i].address),
                                        llvm::JITSymbolFlags::Exported};
    return map;
  });
  auto symbol = (*engine)->lookup(info.name);
  if (!symbol)
    return module.emitError("JIT lost kernel '") << info.name << "': " << llvm_error(symbol.takeError());
  std::shared_ptr<mlir::ExecutionEngine> owner(std::move(*engine));
  return host_kernel(info, reinterpret_cast<CpuEntry>(*symbol), std::shared_ptr<void>(owner, owner.get()));
}

mlir::FailureOr<std::string> emit_cpu(mlir::ModuleOp module, const KernelInfo &info, CpuArtifact artifact) {
  auto machine = host_target_machine(module, /*for_shared_object=*/true);
  if (mlir::failed(machine))
    return mlir::failure();
  llvm::TargetMachine *tm = machine->get();
  llvm::LLVMContext context;
  auto llvmModule = mlir::translateModuleToLLVMIR(module, context, info.name);
  if (!llvmModule)
    return module.emitError("translation of '") << info.name << "' to LLVM IR failed";
  mlir::ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), tm);
  define_bf16_narrowing(*llvmModule);
  if (auto err = mlir::makeOptimizingTransformer(3, 0, tm)(llvmModule.get()))
    return module.emitError("LLVM optimization failed: ") << llvm_error(std::move(err));
  // The loader finds the signature next to the entry point.
  std::string text = info.serialize();
  auto *init = llvm::ConstantDataArray::getString(context, text, /*AddNull=*/true);
  new llvm::GlobalVariable(*llvmModule, init->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, init, info_symbol(info.name));

  std::string out;
  if (artifact == CpuArtifact::LLVMIR) {
    llvm::raw_string_ostream os(out);
    llvmModule->print(os, nullptr);
    return out;
  }
  llvm::SmallVector<char, 0> buffer;
  {
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager pm;
    auto type = artifact == CpuArtifact::Assembly ? llvm::CodeGenFileType::AssemblyFile
                                                  : llvm::CodeGenFileType::ObjectFile;
    if (tm->addPassesToEmitFile(pm, os, nullptr, type))
      return module.emitError("the host target cannot emit this file type");
    pm.run(*llvmModule);
  }
  out.assign(buffer.begin(), buffer.end());
  if (artifact != CpuArtifact::SharedObject)
    return out;

  // Link the object into a shared object with the system compiler driver (it knows
  // where libm lives); the runtime dlopens the result.
  llvm::SmallString<128> objPath, soPath;
  if (llvm::sys::fs::createTemporaryFile("tegula", "o", objPath) ||
      llvm::sys::fs::createTemporaryFile("tegula", "so", soPath))
    return module.emitError("cannot create temporary files for linking");
  {
    std::ofstream obj(objPath.c_str(), std::ios::binary);
    obj.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  auto cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    return module.emitError("no 'cc' on PATH to link the shared object");
  llvm::SmallVector<llvm::StringRef> argv{*cc, "-shared", "-o", soPath, objPath, "-lm"};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*cc, argv, std::nullopt, {}, 0, 0, &message);
  llvm::sys::fs::remove(objPath);
  if (rc != 0)
    return module.emitError("linking the shared object failed (") << rc << "): " << message;
  std::ifstream so(soPath.c_str(), std::ios::binary);
  std::stringstream bytes;
  bytes << so.rdbuf();
  llvm::sys::fs::remove(soPath);
  return bytes.str();
}

} // namespace tegula::cpu
