// The device check's cases as files: what `gpu_check_prepare` (the compiler side)
// writes beside the bundles, and what `gpu_check_runner` (the runtime alone) reads on a
// machine with a GPU. Inputs travel as the seeds they are drawn from (Philox, so the
// device draws the same numbers), outputs as the fp64 reference of sampled elements
// with their bounds, and, for small kernels, gpu-emu's bytes to match bit for bit.
#ifndef TEGULA_TESTS_GPU_CHECK_CHECK_CASE_H
#define TEGULA_TESTS_GPU_CHECK_CHECK_CASE_H

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/launch.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tegula::gpu_check {

/// One launch argument as the runner rebuilds it.
struct CaseArg {
  enum class Kind { Uniform, Values, Output, Integer, Real };
  Kind kind = Kind::Integer;
  DType dtype = DType::F32;
  size_t count = 0;                ///< elements of a buffer
  uint64_t seed = 0;               ///< Uniform: Philox stream
  double lo = -1.0, hi = 1.0;      ///< Uniform: range
  std::vector<double> values;      ///< Values: the elements
  int64_t integer = 0;             ///< Integer
  double real = 0;                 ///< Real (passed as f32 or f64 as the kernel declares)
  bool buffer() const { return kind == Kind::Uniform || kind == Kind::Values || kind == Kind::Output; }
};

/// Sampled elements of output `arg` against their fp64 reference.
struct SampledCheck {
  int arg = 0;
  std::vector<uint64_t> index;
  std::vector<double> reference, bound;
};

/// Output `arg` byte for byte as gpu-emu wrote it from the same code.
struct ExactCheck {
  int arg = 0;
  std::string bytes;
};

struct CheckCase {
  std::string name;   ///< unique, as the table prints it ("gemm bf16 4096x4096x4096")
  std::string bundle; ///< file name beside the cases file
  Grid grid;
  std::vector<CaseArg> args;
  std::vector<SampledCheck> sampled;
  std::vector<ExactCheck> exact;
  /// The bundle entry gpu-emu ran for the exact checks: the device must pick the same.
  int entry = -1;
  /// Whether the device must match gpu-emu bit for bit. Only kernels of adds, FMAs,
  /// shuffles and integer work are held to it: gpu-emu rounds an mma.sync's sum once and
  /// takes exp and rsqrt from the host's libm, where the hardware and libdevice differ
  /// in the last bits. For the others the differing elements are reported, not failed.
  bool bits_required = false;
  bool small = false;   ///< in the sanitizers' subset
  bool timed = false;   ///< timed with events
  double flops = 0;     ///< work of one launch, for TFLOP/s (0: report bandwidth)
  double bytes = 0;     ///< memory a launch must move, for GB/s
  std::string baseline; ///< what the baselines time for it ("matmul bf16 M N K", ...), or ""
};

/// Writes `dir`/cases.txt and `dir`/cases.bin (the sampled and exact data).
void write_cases(const std::string &dir, const std::vector<CheckCase> &cases);
/// Reads them back; Error(LoadError) naming the line or record that is malformed.
std::vector<CheckCase> read_cases(const std::string &dir);

} // namespace tegula::gpu_check

#endif
