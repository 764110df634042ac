// Multi-LoRA, after Punica and vLLM: many adapters share one base model, and every
// token of a batch may use a different one (or none).
//
// The adapters of one projection are stacked in one buffer per factor:
//   A: [slots, max_rank, H]      (adapter i's down-projection, rank rows)
//   B: [slots, H_out, max_rank]  (its up-projection)
// with each slot's own rank in `ranks` (i32 [slots], 1 .. max_rank; rows and columns
// past it are not read) and its scale in `scales` (f32 [slots]).
//
//   shrink: t[T, max_rank] = x[T, H] A_i^T per token (f32; columns past the rank, and
//           the rows of tokens without an adapter, are written as 0)
//   expand: y[T, H_out] += scale_i * t B_i^T per token (tokens without an adapter keep y)
//   linear: y = x W + scale_i * (x A_i^T) B_i^T, the shrink and then one GEMM whose
//           blocks add the expansion before they are stored
//
// Which adapter a token uses comes in one of two forms: segments of consecutive tokens
// that share one adapter (SGMV: `segment_starts` i32 [S + 1] from 0 to T, and the
// adapter of each segment), or an adapter index per token (BGMV). An index of -1
// means no adapter. Launches check every index against the slots (and the segment
// offsets); an index out of range is refused before anything runs. The kernels also
// treat such an index as "no adapter", so even a launch that skips the check reads
// nothing outside the adapter buffers.
#ifndef TEGULA_KERNELS_LORA_H
#define TEGULA_KERNELS_LORA_H

#include "tegula/compiler/compile.h"
#include "tegula/kernels/mutation.h"
#include "tegula/runtime/buffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tegula::kernels {

enum class LoraForm { Segmented, Gathered };

struct LoraConfig {
  LoraForm form = LoraForm::Segmented;
  int rank_tile = 64; ///< ranks held per step: a power of two >= max_rank (16, 32 or 64)
  int BT = 16;        ///< tokens per program instance (segmented form and the linear layer)
  int BH = 64;        ///< hidden columns per step of the shrink (K of the GEMM)
  int BN = 64;        ///< output columns per program instance of the expand
  int linear_BK = 64; ///< the linear layer's GEMM: K per step
  int linear_BN = 64; ///< the linear layer's GEMM: output columns per program instance
  Mutation mutation = Mutation::None; ///< DroppedScale applies (expand, linear)
  int num_warps = 0;                  ///< as VectorAddConfig::num_warps
  /// Steps of the shrink's loop over H and the linear layer's over K in flight
  /// (GemmConfig::num_stages).
  int num_stages = 1;
  /// A promise, checked at every launch: the hidden sizes (the shrink's H, the expand's
  /// H_out, the linear layer's K and N) are multiples of this; above 1, x, y, W and the
  /// adapters' A and B start 16-byte aligned too, so that their rows move as 16-byte
  /// vectors on the GPU targets (GemmConfig::kn_multiple).
  int hidden_multiple = 1;
};

/// The rule per target (docs/kernels.md): the rank tile is the smallest of 16, 32, 64
/// that holds max_rank; on the CPU 16 tokens x 64 columns per step, so that the x, A
/// and B blocks of a step (16 x 64, 64 x 64, 64 x 64) stay in L1.
LoraConfig default_lora_config(const std::string &target, LoraForm form, int64_t max_rank);
/// The same for hidden sizes H and H_out (the linear layer's K and N): on the GPU targets
/// their common power-of-two factor up to 16 is compiled in (`hidden_multiple`) and the
/// loops run 2 stages, which pipelines the 16-bit loads where the target copies
/// asynchronously.
LoraConfig default_lora_config(const std::string &target, LoraForm form, int64_t max_rank, int64_t hidden,
                               int64_t hidden_out);

/// The stacked adapters of one projection.
struct LoraWeights {
  const Buffer *a = nullptr, *b = nullptr; ///< [slots, max_rank, H] and [slots, H_out, max_rank]
  const Buffer *ranks = nullptr;           ///< i32 [slots]
  const Buffer *scales = nullptr;          ///< f32 [slots]
  int64_t slots = 0, max_rank = 0;
};

/// Which adapter each token uses.
struct LoraMapping {
  LoraForm form = LoraForm::Segmented;
  const Buffer *segment_starts = nullptr; ///< segmented: i32 [segments + 1]
  const Buffer *adapters = nullptr;       ///< i32 per segment, or per token
  int64_t segments = 0;
  static LoraMapping segmented(const Buffer &starts, const Buffer &adapters, int64_t segments) {
    return {LoraForm::Segmented, &starts, &adapters, segments};
  }
  static LoraMapping gathered(const Buffer &adapters) { return {LoraForm::Gathered, nullptr, &adapters, 0}; }
};

/// Whether a launch checks the adapter indices and segment offsets on the host first.
/// Skipping is for tests that show the kernels stay inside the buffers on their own.
enum class LoraChecks { Validate, Skip };

dsl::TracedKernel trace_lora_shrink(DType dtype, const LoraConfig &config);
dsl::TracedKernel trace_lora_expand(DType dtype, const LoraConfig &config);
dsl::TracedKernel trace_lora_linear(DType dtype, const LoraConfig &config);

/// What the LoRA kernels' classes share: a compiled kernel and its configuration.
class LoraKernel {
public:
  const CompiledKernel &compiled() const { return *kernel_; }
  const LoraConfig &config() const { return config_; }

protected:
  LoraKernel(DType dtype, LoraConfig config, std::shared_ptr<const CompiledKernel> kernel)
      : dtype_(dtype), config_(config), kernel_(std::move(kernel)) {}
  DType dtype_;
  LoraConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

class LoraShrink : public LoraKernel {
public:
  LoraShrink(DType dtype, const std::string &target, CompileOptions options, LoraConfig config);
  /// x [tokens, hidden] -> t [tokens, max_rank] (f32).
  void operator()(const Buffer &x, const LoraWeights &weights, const LoraMapping &mapping, Buffer &t,
                  int64_t tokens, int64_t hidden, LoraChecks checks = LoraChecks::Validate,
                  const LaunchOptions &launch = {}) const;
};

class LoraExpand : public LoraKernel {
public:
  LoraExpand(DType dtype, const std::string &target, CompileOptions options, LoraConfig config);
  /// y [tokens, hidden_out] += scale * t B^T per token.
  void operator()(const Buffer &t, const LoraWeights &weights, const LoraMapping &mapping, Buffer &y,
                  int64_t tokens, int64_t hidden_out, LoraChecks checks = LoraChecks::Validate,
                  const LaunchOptions &launch = {}) const;
};

/// y [tokens, N] = x [tokens, K] W [K, N] + the adapters' update; segmented form.
/// `t` is the shrink's f32 [tokens, max_rank] workspace.
class LoraLinear : public LoraKernel {
public:
  LoraLinear(DType dtype, const std::string &target, CompileOptions options, LoraConfig config);
  void operator()(const Buffer &x, const Buffer &w, const LoraWeights &weights, const LoraMapping &mapping,
                  Buffer &t, Buffer &y, int64_t tokens, int64_t K, int64_t N, LoraChecks checks = LoraChecks::Validate,
                  const LaunchOptions &launch = {}) const;

private:
  LoraShrink shrink_;
};

/// The adapter of every token (-1: none), from either form, after the checks.
std::vector<int32_t> lora_token_adapters(const LoraMapping &mapping, int64_t tokens, int64_t slots);

/// fp64 references with the policy's bounds (c = 2, f32 accumulation):
/// shrink: |t - t_ref| <= c (H + 1) u_f32 (|x| |A|^T), expand and linear likewise with
/// the rank (and K) as the length, plus the rounding of scale * t to the input type
/// before the update's product, plus one rounding of y to its type.
struct LoraReference {
  std::vector<double> value, bound;
};
LoraReference reference_lora_shrink(const Buffer &x, const LoraWeights &weights,
                                    const std::vector<int32_t> &token_adapters, int64_t hidden);
LoraReference reference_lora_expand(const Buffer &t, const LoraWeights &weights,
                                    const std::vector<int32_t> &token_adapters, const Buffer &y_before,
                                    int64_t hidden_out);
LoraReference reference_lora_linear(const Buffer &x, const Buffer &w, const LoraWeights &weights,
                                    const std::vector<int32_t> &token_adapters, int64_t K, int64_t N);

} // namespace tegula::kernels

#endif
