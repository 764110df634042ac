#include "backends/gpu/Target/ModuleToCode.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVM/ModuleToObject.h"

#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <fstream>
#include <mutex>
#include <sstream>

namespace tegula::gpu {

using namespace mlir;

namespace {

void initializeGpuTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
    LLVMInitializeAMDGPUTargetInfo();
    LLVMInitializeAMDGPUTarget();
    LLVMInitializeAMDGPUTargetMC();
    LLVMInitializeAMDGPUAsmPrinter();
    // Objects with inline assembly (ockl's hostcall printf) are assembled through it.
    LLVMInitializeAMDGPUAsmParser();
  });
}

/// LLVM reports what its backend cannot do (an operation it cannot select, a call it
/// has no library function for) as an error diagnostic, and with no handler installed
/// it exits the process. Collected here instead, they fail the compile with their text.
class CollectErrors final : public llvm::DiagnosticHandler {
public:
  explicit CollectErrors(std::string &errors) : errors_(errors) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &info) override {
    if (info.getSeverity() != llvm::DS_Error)
      return true;
    llvm::raw_string_ostream os(errors_);
    llvm::DiagnosticPrinterRawOStream printer(os);
    info.print(printer);
    os << "\n";
    return true;
  }

private:
  std::string &errors_;
};

class Serializer : public LLVM::ModuleToObject {
public:
  Serializer(Operation &module, const CodegenTarget &target, bool wantObject, GpuCode &out)
      : ModuleToObject(module, target.triple, target.chip, target.features, target.opt_level), target_(target),
        wantObject_(wantObject), out_(out) {}

protected:
  std::optional<SmallVector<std::unique_ptr<llvm::Module>>> loadBitcodeFiles(llvm::Module &module) override {
    SmallVector<std::unique_ptr<llvm::Module>> libraries;
    for (const std::string &path : target_.libraries) {
      if (!llvm::sys::fs::exists(path)) {
        getOperation().emitError("device library not found: ") << path;
        return std::nullopt;
      }
      std::unique_ptr<llvm::Module> library = loadBitcodeFile(module.getContext(), path);
      if (!library)
        return std::nullopt;
      libraries.push_back(std::move(library));
    }
    return libraries;
  }

  void handleModulePreLink(llvm::Module &module) override {
    module.getContext().setDiagnosticHandler(std::make_unique<CollectErrors>(llvmErrors_));
    if (target_.before_link)
      target_.before_link(module);
  }

  /// `module` is linked and optimized here: its IR is the "llvm" artifact.
  FailureOr<SmallVector<char, 0>> moduleToObject(llvm::Module &module) override {
    captureIR(module);
    FailureOr<llvm::TargetMachine *> machine = getOrCreateTargetMachine();
    if (failed(machine))
      return getOperation().emitError("LLVM has no backend for ") << target_.triple << " (" << target_.chip << ")";
    // Code generation rewrites the module it runs on (AMDGPU annotates control flow
    // with intrinsics it then selects), so the object comes from a copy.
    if (wantObject_) {
      std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
      SmallString<0> bytes;
      llvm::raw_svector_ostream stream(bytes);
      llvm::legacy::PassManager passes;
      if ((*machine)->addPassesToEmitFile(passes, stream, nullptr, llvm::CodeGenFileType::ObjectFile))
        return getOperation().emitError("LLVM cannot emit an object for ") << target_.chip;
      passes.run(*copy);
      if (!llvmErrors_.empty())
        return getOperation().emitError("LLVM's ") << target_.chip << " backend failed: " << llvmErrors_;
      out_.object.assign(bytes.begin(), bytes.end());
    }
    FailureOr<SmallString<0>> isa =
        translateModuleToISA(module, **machine, [&] { return getOperation().emitError(); });
    if (failed(isa))
      return failure();
    if (!llvmErrors_.empty())
      return getOperation().emitError("LLVM's ") << target_.chip << " backend failed: " << llvmErrors_;
    out_.assembly = std::string(isa->str());
    return SmallVector<char, 0>();
  }

private:
  void captureIR(llvm::Module &module) {
    llvm::raw_string_ostream os(out_.llvm_ir);
    module.print(os, nullptr);
  }

  const CodegenTarget &target_;
  std::string llvmErrors_;
  bool wantObject_;
  GpuCode &out_;
};

} // namespace

FailureOr<GpuCode> generate_gpu_code(Operation *gpuModule, const CodegenTarget &target, bool want_object) {
  initializeGpuTargets();
  GpuCode code;
  Serializer serializer(*gpuModule, target, want_object, code);
  if (!serializer.run())
    return failure();
  return code;
}

bool run_tool(const std::string &program, const std::vector<std::string> &args, std::string &output) {
  TemporaryFile log(".log");
  SmallVector<StringRef> argv{program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log.path()), StringRef(log.path())};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, redirects, /*SecondsToWait=*/120, 0, &error);
  log.read(output);
  if (rc != 0 && !error.empty())
    output += (output.empty() ? "" : "\n") + error;
  return rc == 0;
}

TemporaryFile::TemporaryFile(const std::string &suffix) {
  SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("tegula", suffix.empty() ? "" : suffix.substr(1), path))
    return;
  path_ = std::string(path);
}

TemporaryFile::~TemporaryFile() {
  if (!path_.empty())
    llvm::sys::fs::remove(path_);
}

bool TemporaryFile::write(const std::string &bytes) const {
  std::ofstream out(path_, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

bool TemporaryFile::read(std::string &bytes) const {
  std::ifstream in(path_, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream s;
  s << in.rdbuf();
  bytes = s.str();
  return true;
}

} // namespace tegula::gpu
