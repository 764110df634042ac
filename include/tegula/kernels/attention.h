// Attention forward, FlashAttention-style: one pass over K and V per block of queries,
// with the softmax's running maximum and sum carried across key blocks.
//
//   out[i, h] = sum_j softmax_j(scale * q[i, h] . k[j, g(h)]) v[j, g(h)]
//
// Layouts are those of FlashAttention's variable-length API: q and out are
// [total_q, Hq, D], k and v [total_k, Hkv, D], row-major; sequence b owns query rows
// cu_seqlens_q[b] .. cu_seqlens_q[b+1] and key rows cu_seqlens_k[b] ..
// cu_seqlens_k[b+1] (i32 offsets, batch + 1 of them). Query head h reads key/value
// head g(h) = h / (Hq / Hkv): grouped-query attention, multi-query when Hkv = 1. The
// optional log-sum-exp, lse[h, i] = log sum_j exp(scale * q . k), is f32 [Hq, total_q].
//
// Causal masking aligns the ends of the two sequences (as FlashAttention 2.1 and
// later): query i of a sequence with Sq queries and Skv keys sees keys
// j <= i + Skv - Sq. When Sq > Skv the first Sq - Skv queries see no key at all; such
// a fully masked row gives out = 0 and lse = -inf (so does a query of a sequence
// without keys).
//
// Inputs are f32, f16 or bf16; scores, softmax statistics and the output accumulator
// are f32. The probabilities are rounded to the input type before they multiply V (as
// FlashAttention does, so that both products run on the same tensor-unit type).
#ifndef TEGULA_KERNELS_ATTENTION_H
#define TEGULA_KERNELS_ATTENTION_H

#include "tegula/compiler/compile.h"
#include "tegula/kernels/mutation.h"
#include "tegula/runtime/buffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tegula::kernels {

struct AttentionConfig {
  int head_dim = 64; ///< D: 64, 80, 96 or 128 (a compile-time constant of the kernel)
  /// The extent of the tiles along D: 0 for D itself, or more (the columns past D are
  /// masked off), for targets whose tiles are powers of two (the GPU targets at D = 80
  /// and 96 take 128).
  int head_block = 0;
  bool causal = false;
  bool lse = false; ///< also write the log-sum-exp
  int BM = 64;      ///< queries per program instance
  int BN = 64;      ///< keys per step
  Mutation mutation = Mutation::None; ///< DroppedScale and (causal) MaskOffByOne apply
  int num_warps = 0;                  ///< as VectorAddConfig::num_warps
  /// K and V steps kept in flight (GemmConfig::num_stages): the targets with
  /// asynchronous copies pipeline the matrix-unit dots' K and V loads over them.
  int num_stages = 1;
  /// A promise, checked at every launch: q, k, v and out start 16-byte aligned. With D
  /// a multiple of 16, every row then starts aligned too, and rows move as 16-byte
  /// vectors (and 16-byte asynchronous copies) on the GPU targets.
  bool aligned = false;
};

/// The rule per target (docs/kernels.md): on the CPU, 64 queries per instance and key
/// steps that keep one K and one V block of f32 within 16 KiB each (64 keys up to
/// D = 64, 32 beyond); on the GPU targets the same blocks, 2 stages and aligned
/// buffers.
AttentionConfig default_attention_config(const std::string &target, int head_dim, bool causal, bool lse);

dsl::TracedKernel trace_attention(DType dtype, const AttentionConfig &config);

/// One launch's shape; the sequence lengths are in the offsets.
struct AttentionShape {
  int64_t batch = 1;
  int64_t heads_q = 1, heads_kv = 1;
  int64_t total_q = 0, total_k = 0; ///< rows of q (and out) and of k (and v)
  double scale = 0;                 ///< commonly 1 / sqrt(D)
};

class Attention {
public:
  Attention(DType dtype, const std::string &target, CompileOptions options, AttentionConfig config);
  /// Variable-length batch. `cu_seqlens_q`/`cu_seqlens_k` are i32 [batch + 1],
  /// non-decreasing from 0 to total_q/total_k (checked on the host). `lse` is used
  /// only when the configuration asks for it (else it may be null).
  void varlen(const Buffer &q, const Buffer &k, const Buffer &v, const Buffer &cu_seqlens_q,
              const Buffer &cu_seqlens_k, Buffer &out, Buffer *lse, const AttentionShape &shape,
              const LaunchOptions &launch = {}) const;
  /// Equal lengths: q and out [batch, Sq, Hq, D], k and v [batch, Skv, Hkv, D] (the
  /// same memory as the variable-length layout with uniform offsets); lse [Hq,
  /// batch * Sq].
  void operator()(const Buffer &q, const Buffer &k, const Buffer &v, Buffer &out, Buffer *lse, int64_t batch,
                  int64_t seqlen_q, int64_t seqlen_k, int64_t heads_q, int64_t heads_kv, double scale,
                  const LaunchOptions &launch = {}) const;
  const CompiledKernel &compiled() const { return *kernel_; }
  const AttentionConfig &config() const { return config_; }

private:
  DType dtype_;
  AttentionConfig config_;
  std::shared_ptr<const CompiledKernel> kernel_;
};

/// fp64 reference from the inputs as stored, and the bound of the correctness policy.
struct AttentionReference {
  std::vector<double> out, lse;
  std::vector<double> out_bound, lse_bound;
};
/// The bound, per output element, with c = 2: the probabilities' rounding to the
/// input type (u_in * sum_j P_ij |v_j|), the f32 sums and products over Skv keys and D
/// dimensions ((Skv + D + 8) u_f32 (sum_j P_ij |v_j| + |out|)), the scores' error
/// moving the probabilities (2 E_i (sum_j P_ij |v_j| + |out|), E_i = scale * D *
/// u_f32 * max_j sum_d |q_id| |k_jd|), and one rounding of the output.
AttentionReference reference_attention(const Buffer &q, const Buffer &k, const Buffer &v,
                                       const std::vector<int32_t> &cu_seqlens_q,
                                       const std::vector<int32_t> &cu_seqlens_k, int64_t heads_q, int64_t heads_kv,
                                       int head_dim, double scale, bool causal);

} // namespace tegula::kernels

#endif
