// What a GPU compile target is, whichever the vendor: the shared lowering's stages up to
// the emulator's tap, then the vendor's conversion, LLVM's backend and the vendor's tool
// for the loadable binary. A vendor supplies a VendorHooks (its data and its tool), not
// a pipeline of its own.
#ifndef TEGULA_BACKENDS_GPU_TARGET_GPUTARGET_H
#define TEGULA_BACKENDS_GPU_TARGET_GPUTARGET_H

#include "backends/gpu/Target/ModuleToCode.h"

#include "tegula/compiler/target_backend.h"

#include <memory>

namespace tegula::gpu {

/// The name of the stage after which the module holds per-thread code in upstream
/// dialects only: what gpu-emu runs.
inline constexpr const char *kEmuTapStage = "emu-tap";

struct GpuArch {
  std::string name;             ///< "sm_80", "gfx942"
  int64_t compute_units = 1;    ///< SMs or CUs of the reference part
  int64_t shared_memory = 0;    ///< bytes of shared memory (LDS) one block may use
  int64_t max_threads = 1024;   ///< threads of a block (NVIDIA's limit; AMD's flat work-group size)
  /// Shared memory a kernel may declare statically, which is how the lowering places it
  /// (NVIDIA: 48 KiB; beyond that a kernel needs dynamic shared memory, which its launch
  /// opts into); 0: all of `shared_memory`.
  int64_t static_shared_memory = 0;
};

/// What one kernel takes of a GPU, as the vendor's assembler reports it.
struct KernelResources {
  int64_t registers = 0;     ///< per thread (AMD: vector registers)
  /// Spills to memory. NVIDIA: bytes stored and loaded by spills; AMD: vector registers
  /// spilled (to scratch).
  int64_t spills = 0;
  int64_t scratch_bytes = 0; ///< per-thread stack or private segment
  int64_t shared_bytes = 0;  ///< static shared memory (LDS) of a block
  /// AMD: scalar registers spilled into lanes of vector registers (no memory traffic,
  /// extra instructions); NVIDIA has no scalar file: 0.
  int64_t sgpr_spills = 0;
};

/// How many blocks of a kernel one compute unit (SM, CU) keeps resident at once, from
/// what the kernel takes of it (the vendor's allocation rules: VendorHooks::occupancy).
struct Occupancy {
  int64_t blocks = 0;    ///< per compute unit; 0: a block does not fit at all
  int64_t warps = 0;     ///< resident warps (wavefronts) per compute unit
  int64_t max_warps = 0; ///< the most the unit holds
  std::string limit;     ///< what bounds `blocks`: "registers", "shared memory", "warps" or "blocks"
};
/// The occupancy of blocks of `warpsPerBlock` warps on a unit of `maxWarps`, bounded by
/// each of `limits` (name, blocks it allows); the first of the smallest names the limit.
Occupancy bounded_occupancy(int64_t warpsPerBlock, int64_t maxWarps,
                            std::initializer_list<std::pair<const char *, int64_t>> limits);

class VendorHooks {
public:
  virtual ~VendorHooks() = default;
  virtual std::string target_name() const = 0; ///< "cuda"
  virtual std::string summary() const = 0;
  virtual int64_t warp_size() const = 0;
  /// The vendor's conversion of the per-thread module to LLVM and its own dialects:
  /// (stage name, pass list).
  virtual compiler::Stage vendor_stage(const GpuArch &arch) const = 0;
  virtual CodegenTarget codegen(const GpuArch &arch) const = 0;
  /// Emit kinds after the LLVM IR: assembly ("ptx", "asm"), then the loadable binary.
  virtual std::vector<EmitKindInfo> artifact_kinds() const = 0;
  /// The artifact `kind` from the generated code. A failure is a diagnostic on `module`.
  virtual mlir::FailureOr<std::string> finish(mlir::Operation *module, const GpuArch &arch, const GpuCode &code,
                                              const std::string &kind) const = 0;
  /// Whether `kind` needs the object file rather than assembly.
  virtual bool needs_object(const std::string &kind) const = 0;
  /// The loadable binary made (so that its tool checks it) and what the kernel takes.
  /// A failure is a diagnostic on `module`.
  virtual mlir::FailureOr<KernelResources> resources(mlir::Operation *module, const GpuArch &arch,
                                                     const GpuCode &code) const = 0;
  /// The matrix instructions `arch` has (MatrixInstruction.h names), in order of
  /// preference; a dot none of them takes runs on the vector units.
  virtual std::vector<std::string> matrix_instructions(const GpuArch &) const { return {}; }
  /// Whether `arch` copies global memory to shared memory asynchronously (cp.async), so
  /// that loops over k are software-pipelined over the kernel's num_stages.
  virtual bool async_copies(const GpuArch &) const { return false; }
  /// The occupancy a kernel taking `used` with blocks of `threads` gets on `arch`.
  virtual Occupancy occupancy(const GpuArch &arch, const KernelResources &used, int64_t threads) const = 0;
  /// The artifact a runtime driver of this vendor loads (executable()'s input), or ""
  /// where this build has no driver for it: its kernels are emitted, not built.
  virtual std::string executable_kind() const { return ""; }
  /// The kernel the vendor's runtime driver runs, from the artifact of executable_kind(),
  /// the block's `threads` and its `dynamic_shared_bytes`.
  virtual Kernel executable(const GpuArch &, const KernelInfo &info, std::string artifact, int64_t threads,
                            int64_t dynamic_shared_bytes) const {
    (void)artifact, (void)threads, (void)dynamic_shared_bytes;
    return Kernel(info, nullptr);
  }
};

struct GpuTargetOptions {
  GpuArch arch;
  int64_t num_warps = 4; ///< for kernels that do not choose (tile.num_warps)
  /// A deliberate compiler bug, to show that gpu-emu and xcheck catch it:
  /// "gpu-drop-barrier" (no barrier between shared-memory writes and reads) or
  /// "gpu-shift-exchange" (each shared-memory exchange reads the element after the one
  /// written for it: the two sides disagree on the layout) or "gpu-swap-fragment" (the
  /// matrix instructions' accumulator table with two lane bits swapped) or
  /// "gpu-drop-async-wait" (a pipelined loop reads its buffers without waiting for their
  /// asynchronous copies). Empty: none.
  std::string plant_bug;
};

/// The configured target of one vendor and architecture. Throws Error(InvalidArgument)
/// when num_warps warps of the vendor's size exceed the architecture's threads.
std::unique_ptr<const compiler::Target> make_gpu_target(std::shared_ptr<const VendorHooks> vendor,
                                                        GpuTargetOptions options);

/// Parses the options shared by every GPU target: the architecture (a bare word or
/// arch=NAME, one of `archs`), num-warps=N (a power of two up to 32) and plant-bug=NAME.
/// Throws Error(InvalidArgument) naming what is wrong.
GpuTargetOptions parse_gpu_options(const std::string &target, const compiler::TargetOptions &options,
                                   const std::vector<GpuArch> &archs);

} // namespace tegula::gpu

#endif
