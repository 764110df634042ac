// Row normalizations of x[M,N] with a per-column scale w[N] (and shift b[N]):
//   RMSNorm:   y = x / sqrt(mean(x^2) + eps) * w
//   LayerNorm: y = (x - mean(x)) / sqrt(var(x) + eps) * w + b   (biased variance)
// Inputs and outputs share one dtype (f32, f16 or bf16); statistics are f32.
#ifndef TEGULA_KERNELS_NORMS_H
#define TEGULA_KERNELS_NORMS_H

#include "tegula/compiler/compile.h"
#include "tegula/runtime/buffer.h"

#include <memory>
#include <string>
#include <vector>

namespace tegula::kernels {

struct NormConfig {
  int rows = 4;      ///< rows per program instance
  int block = 256;   ///< columns per step
  double eps = 1e-6; ///< a compile-time constant of the kernel
  int n_multiple = 1; ///< as SoftmaxConfig::n_multiple
  int num_warps = 0;  ///< as VectorAddConfig::num_warps
};

/// CPU rule, as softmax: one block spans a short row; long rows go in 1024-column
/// steps (4 rows x 4 KiB of f32 inside a 32 KiB L1); N's power-of-two factor, up to 16,
/// is compiled in.
NormConfig default_norm_config(const std::string &target, int64_t N, double eps);

dsl::TracedKernel trace_rms_norm(DType dtype, const NormConfig &config);
dsl::TracedKernel trace_layer_norm(DType dtype, const NormConfig &config);

class RmsNorm {
public:
  RmsNorm(DType dtype, const std::string &target, CompileOptions options, NormConfig config);
  void operator()(const Buffer &x, const Buffer &w, Buffer &y, int64_t M, int64_t N,
                  const LaunchOptions &launch = {}) const;
  const CompiledKernel &compiled() const { return *kernel_; }

private:
  DType dtype_;
  NormConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

class LayerNorm {
public:
  LayerNorm(DType dtype, const std::string &target, CompileOptions options, NormConfig config);
  void operator()(const Buffer &x, const Buffer &w, const Buffer &b, Buffer &y, int64_t M, int64_t N,
                  const LaunchOptions &launch = {}) const;
  const CompiledKernel &compiled() const { return *kernel_; }

private:
  DType dtype_;
  NormConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

/// fp64 references and bounds. The statistics of a row of N terms carry a relative
/// error of at most about N * u (f32 sums); the bound is c * (N + 8) * u_f32 times the
/// magnitudes the output depends on, with c = 2, plus one rounding to the output type.
std::vector<double> reference_rms_norm(const Buffer &x, const Buffer &w, int64_t M, int64_t N, double eps);
std::vector<double> reference_layer_norm(const Buffer &x, const Buffer &w, const Buffer &b, int64_t M, int64_t N,
                                         double eps);
/// RMSNorm's output is relative to its statistic, so the bound needs only y and N.
std::vector<double> rms_norm_bound(const std::vector<double> &reference, int64_t N, DType out);
std::vector<double> layer_norm_bound(const Buffer &x, const Buffer &w, const Buffer &b,
                                     const std::vector<double> &reference, int64_t M, int64_t N, double eps,
                                     DType out);

} // namespace tegula::kernels

#endif
