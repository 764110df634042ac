// What the compile driver and the target backends share: the options of one compile
// and a target described as data. Apart from compile.h so that a backend sees only
// this, never the driver's API.
#ifndef TEGULA_COMPILER_TARGET_DESCRIPTION_H
#define TEGULA_COMPILER_TARGET_DESCRIPTION_H

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace tegula {

struct CompileOptions {
  /// Check every memory access against the launch's buffers; a violation is skipped and
  /// reported as Error(OutOfBounds) naming the kernel's source line.
  bool bounds_check = false;
  /// Print the IR after every pipeline stage to `dump_stream` (stderr when null).
  bool dump_ir = false;
  std::ostream *dump_stream = nullptr;
  /// Names of the kernel's arguments, used in launch errors ("argument 2 ('c')"). Names
  /// are fixed when tracing: tegula::compile passes these to dsl::trace, while
  /// compile_traced keeps the names the trace already has.
  std::vector<std::string> arg_names;
};

/// One named stage of a target's pipeline and the IR after it.
struct StageIR {
  std::string stage;
  std::string ir;
};

/// One form a target emits: the IR after one of its stages, or an artifact its code
/// generator writes.
struct EmitKindInfo {
  std::string name;        ///< as `tegula compile --emit` takes it: "tile", "asm", "so"
  std::string after_stage; ///< the stage whose IR this is; empty for an artifact
  bool binary = false;     ///< bytes rather than text
  std::string what;
};

/// An emit kind a target that compiles but does not run here may offer: its loadable
/// object made and checked by the vendor's assembler or linker, and what one kernel
/// takes of the machine, as "key: value" lines (registers, spills, scratch_bytes,
/// shared_bytes; spills 0 means none). The conformance suite assembles every case with it.
inline constexpr const char *kResourcesEmitKind = "resources";

/// A target as data: what it is and emits, its options, and the quantities that default
/// kernel configurations read (never its name).
struct TargetDescription {
  std::string name;    ///< "cpu"
  std::string summary; ///< one line for `tegula targets`
  bool executes = false;       ///< this build runs its kernels (host, or a simulator)
  bool simulated_time = false; ///< a launch's time is the simulated machine's, not the host's
  /// Runs every thread's code one instruction at a time on the host: answers and checks,
  /// not speed (thousands of times slower than the host); callers keep problems small.
  bool emulated = false;
  bool covers_language = false; ///< compiles every construct of the language: a refusal is a bug
  bool host = false;            ///< compiles for the machine it runs on: the default target
  std::vector<EmitKindInfo> emit_kinds;
  std::vector<std::string> options; ///< "name=value: what it does", as after "target:"
  int64_t compute_units = 1;        ///< program instances that run at once
  int64_t onchip_bytes = 0;         ///< software-managed memory per compute unit; 0: caches only
  std::vector<int64_t> matrix_unit; ///< {M, N, K} of one matrix-unit operation; empty: none
  int64_t vector_lanes = 1;         ///< f32 lanes of one vector operation
  int64_t warp_size = 1;            ///< lanes that execute in lockstep
  int64_t memory_latency_cycles = 0; ///< of one transfer from main memory; 0: hidden by caches
  /// Facts of the target's own that have no field here (name -> value).
  std::map<std::string, std::string> attributes;
  const EmitKindInfo *emit_kind(const std::string &name) const;
};

} // namespace tegula

#endif
