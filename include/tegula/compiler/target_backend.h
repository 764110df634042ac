// What a backend implements to be a compile target, and the registry the compile driver
// finds targets in. A target is parsed from "name[:options]" ("cpu", "maia",
// "maia:cluster-sharing=off,machine=big.machine"); each backend owns its option names,
// its named-stage pipeline, its emit kinds and the code that turns the lowered module
// into an executable kernel or an artifact. The driver never branches on a target's
// name: it asks the target.
#ifndef TEGULA_COMPILER_TARGET_BACKEND_H
#define TEGULA_COMPILER_TARGET_BACKEND_H

#include "tegula/compiler/target_description.h"
#include "tegula/runtime/kernel.h"

#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tegula::compiler {

/// One named stage of a pipeline: a textual pass list, so that every stage's IR can be
/// printed and replayed with tegula-opt.
struct Stage {
  std::string name;
  std::string passes;
};

/// A target's options as given after the colon: comma-separated `key=value` items, or
/// bare words (value empty).
using TargetOptions = std::vector<std::pair<std::string, std::string>>;
TargetOptions parse_target_options(const std::string &text);

/// A target with its options.
class Target {
public:
  virtual ~Target() = default;
  virtual const TargetDescription &description() const = 0;
  /// The target's name and every option that changes the code it generates, in a
  /// canonical form: the compile cache keys on it.
  virtual std::string key() const = 0;
  /// The pipeline from the traced tile IR to the form code is generated from.
  virtual std::vector<Stage> stages(const CompileOptions &options) const = 0;
  /// The executable kernel, from the module after every stage; `info` is the traced
  /// kernel's (with bounds_checked set). A failure is a diagnostic on the module or
  /// the op it concerns.
  virtual mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const = 0;
  /// An artifact of one of the description's kinds that has no `after_stage` (machine
  /// code, objects), from the module after every stage. Bytes for binary kinds.
  virtual mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                            const KernelInfo &info) const = 0;
};

/// Makes targets of one name from their options.
class TargetBackend {
public:
  virtual ~TargetBackend() = default;
  virtual std::string name() const = 0;
  /// Other names accepted for the target ("host" for "cpu").
  virtual std::vector<std::string> aliases() const { return {}; }
  /// Throws Error(InvalidArgument) naming an unknown or malformed option.
  virtual std::unique_ptr<const Target> configure(const TargetOptions &options) const = 0;
};

/// Adds a backend to the registry (a second backend of the same name replaces nothing:
/// it is an error).
void register_target_backend(std::unique_ptr<TargetBackend> backend);
/// Every backend of this build, each registered once; generated from the build's list
/// of targets (static initializers would vanish from static archives).
void registerAllTargets();
/// The registered backends, in registration order.
std::vector<const TargetBackend *> target_backends();
/// "name[:options]" -> the configured target; Error(Unsupported) names the available
/// targets when the name is unknown.
std::shared_ptr<const Target> configure_target(const std::string &text);

} // namespace tegula::compiler

#endif
