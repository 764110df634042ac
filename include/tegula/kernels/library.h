// The kernel library's C++ API. Each kernel is written once in the kernel language
// (lib/kernels/<name>.cpp) and compiled for a target on first use; these classes
// check a call's buffers and shapes before launching.
#ifndef TEGULA_KERNELS_LIBRARY_H
#define TEGULA_KERNELS_LIBRARY_H

#include "tegula/compiler/compile.h"
#include "tegula/kernels/mutation.h"
#include "tegula/runtime/buffer.h"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>

namespace tegula::kernels {

struct VectorAddConfig {
  int block = 1024;
  /// Warps of a program instance on the targets with warps (dsl::num_warps); 0 leaves
  /// it to the target's num-warps option. Other targets ignore it.
  int num_warps = 0;
};

struct SoftmaxConfig {
  int rows = 4;      ///< rows per program instance
  int block = 256;   ///< columns per step of the online pass
  /// N is a multiple of this, compiled in (assume_multiple_of) so that rows start
  /// aligned and the GPU targets load 16-byte vectors; above 1 the buffers are assumed
  /// 16-byte aligned too. A launch that breaks either promise fails.
  int n_multiple = 1;
  int num_warps = 0; ///< as VectorAddConfig::num_warps
  Mutation mutation = Mutation::None; ///< MaskOffByOne applies
};

/// What a GEMM applies to each f32 result before storing it.
enum class Activation { None, Relu, Gelu, Silu };
const char *activation_name(Activation activation);

struct GemmConfig {
  int BM = 128, BN = 128, BK = 64;
  /// Epilogue: C = act(A B + bias), bias[N] f32 broadcast along the rows. GELU is the
  /// exact form x/2 (1 + erf(x / sqrt 2)); SiLU is x sigmoid(x).
  bool bias = false;
  Activation activation = Activation::None;
  Mutation mutation = Mutation::None; ///< TransposedOperand applies
  int num_warps = 0;                  ///< as VectorAddConfig::num_warps
  /// K and N are multiples of this, compiled in (assume_multiple_of); above 1 the
  /// buffers are assumed 16-byte aligned too, so rows of A, B and C start aligned and
  /// the GPU targets move them as 16-byte vectors. A launch that breaks either promise
  /// fails. 0 (the default): Gemm chooses at each launch, from K, N and the buffers'
  /// addresses, the kernel compiled for the largest factor they meet (compiling it on
  /// first use), as default_gemm_config(target, M, N, K) would; 1 promises nothing.
  int kn_multiple = 0;
  /// Steps of the loop over K in flight at once (dsl::num_stages): on targets with
  /// asynchronous copies, A and B are loaded num_stages - 1 steps ahead.
  int num_stages = 1;
  /// f32 inputs may be rounded to tf32, 10 mantissa bits (dsl::Precision::TF32): the
  /// NVIDIA targets then multiply on tensor cores. Off, f32 products are exact. 16-bit
  /// inputs ignore it.
  bool allow_tf32 = false;
};

/// Default configurations per target, and the rule behind them.
VectorAddConfig default_vector_add_config(const std::string &target);
SoftmaxConfig default_softmax_config(const std::string &target, int64_t N);
GemmConfig default_gemm_config(const std::string &target);
/// The same for a problem size (on Maia the block grows with the matrix).
GemmConfig default_gemm_config(const std::string &target, int64_t M, int64_t N, int64_t K);
/// The same for an f32 GEMM that allows tf32 (allow_tf32 set): on the GPU targets BK = 16
/// and three stages, so that a stage holds what one of 16-bit inputs at BK = 32 does.
GemmConfig default_tf32_gemm_config(const std::string &target, int64_t M, int64_t N, int64_t K);

/// Traces each library kernel for a dtype (the same sources compile() uses).
dsl::TracedKernel trace_vector_add(DType dtype, const VectorAddConfig &config);
dsl::TracedKernel trace_softmax(DType dtype, const SoftmaxConfig &config);
dsl::TracedKernel trace_gemm(DType input, const GemmConfig &config);

/// out[i] = x[i] + y[i].
class VectorAdd {
public:
  VectorAdd(DType dtype, const std::string &target = host_target(), CompileOptions options = {});
  VectorAdd(DType dtype, const std::string &target, CompileOptions options, VectorAddConfig config);
  void operator()(const Buffer &x, const Buffer &y, Buffer &out, int64_t n, const LaunchOptions &launch = {}) const;
  const CompiledKernel &compiled() const { return *kernel_; }

private:
  DType dtype_;
  VectorAddConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

/// Row softmax of x[M,N] (any dtype in, same dtype out; f32 internally), one online pass
/// for the row statistics and one for the output.
class Softmax {
public:
  Softmax(DType dtype, const std::string &target = host_target(), CompileOptions options = {}, SoftmaxConfig config = {});
  void operator()(const Buffer &x, Buffer &y, int64_t M, int64_t N, const LaunchOptions &launch = {}) const;
  const CompiledKernel &compiled() const { return *kernel_; }

private:
  DType dtype_;
  SoftmaxConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

/// C[M,N] (f32) = act(A[M,K] B[K,N] + bias), row-major; A and B are f32, f16 or bf16;
/// the epilogue (bias, activation) comes from the configuration.
class Gemm {
public:
  Gemm(DType input, const std::string &target = host_target(), CompileOptions options = {});
  Gemm(DType input, const std::string &target, CompileOptions options, GemmConfig config);
  void operator()(const Buffer &a, const Buffer &b, Buffer &c, int64_t M, int64_t N, int64_t K,
                  const LaunchOptions &launch = {}) const;
  /// With a bias (the configuration must have `bias`).
  void operator()(const Buffer &a, const Buffer &b, const Buffer &bias, Buffer &c, int64_t M, int64_t N, int64_t K,
                  const LaunchOptions &launch = {}) const;
  /// The kernel that promises nothing of K, N and the buffers.
  const CompiledKernel &compiled() const { return *kernel_; }
  const GemmConfig &config() const { return config_; }
  /// The kernel a launch with these sizes and buffers runs (GemmConfig::kn_multiple).
  std::shared_ptr<const CompiledKernel> kernel_for(int64_t N, int64_t K,
                                                   std::initializer_list<const Buffer *> buffers) const;

private:
  DType input_;
  std::string target_;
  CompileOptions options_;
  GemmConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
  /// Kernels compiled for a factor of K and N, by factor, shared by copies of this Gemm;
  /// null where launches do not choose one (kn_multiple given, or a target without warps).
  struct Specialized;
  std::shared_ptr<Specialized> specialized_;
};

/// Throws Error(BufferTooSmall/DTypeMismatch) when `buffer` cannot hold `count` of `dtype`,
/// Error(NullBuffer) when it is empty and `count` is not 0 (an empty buffer is fine
/// where nothing is needed).
void require_buffer(const Buffer &buffer, DType dtype, int64_t count, const char *kernel, const char *name);

} // namespace tegula::kernels

#endif
