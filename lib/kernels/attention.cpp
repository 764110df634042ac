// Attention forward: each program instance owns BM queries of one head of one sequence
// and walks that sequence's keys in steps of BN, carrying the running row maximum m,
// the running sum l of exp(s - m) and the unnormalized output (see attention.h).
#include "tegula/kernels/attention.h"

#include "checks.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {

template <FloatDType T>
void attention_body(Ptr<T> q, Ptr<T> k, Ptr<T> v, Ptr<T> out, const Ptr<f32> *lse, Ptr<i32> cu_q, Ptr<i32> cu_k,
                    Int heads_q, Int group, Int total_q, Float scale, const AttentionConfig &cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  if (cfg.num_stages > 1)
    num_stages(cfg.num_stages);
  if (cfg.aligned)
    for (const Ptr<T> *p : {&q, &k, &v, &out})
      assume_multiple_of(*p, 16);
  const double neg_inf = -std::numeric_limits<double>::infinity();
  const double lowest = std::numeric_limits<float>::lowest(), least = std::numeric_limits<float>::min();
  const int D = cfg.head_dim, DB = cfg.head_block > 0 ? cfg.head_block : D;
  Int block = program_id(0), head = program_id(1), seq = program_id(2);
  Int q_start = load(cu_q + seq), q_len = load(cu_q + seq + 1) - q_start;
  Int k_start = load(cu_k + seq), k_len = load(cu_k + seq + 1) - k_start;
  Int kv_head = head / group;
  Int q_stride = heads_q * D, kv_stride = (heads_q / group) * D;

  auto rows = block * cfg.BM + arange(cfg.BM); // query positions in the sequence
  auto dims = arange(DB);
  auto row_ok = rows.col() < q_len && dims.row() < D;
  auto q_rows = q + (q_start + rows).col() * q_stride + head * D + dims.row();
  auto tq = load(q_rows, row_ok, 0.0);

  // Causal: query i sees keys j <= i + shift, so this block needs no key past its last
  // query's limit.
  Int shift = k_len - q_len;
  const int extra = cfg.mutation == Mutation::MaskOffByOne ? 1 : 0;
  Int kv_end = cfg.causal ? minimum(k_len, block * cfg.BM + cfg.BM + shift + extra) : k_len;
  auto keys0 = arange(cfg.BN);
  auto m_i = full<f32>({cfg.BM}, neg_inf);
  auto l_i = zeros<f32>({cfg.BM});
  auto acc = zeros<f32>({cfg.BM, DB});
  for (auto n : range(0, kv_end, cfg.BN).carry(m_i, l_i, acc)) {
    auto keys = n + keys0;
    auto key_ok = keys.col() < k_len && dims.row() < D;
    auto kv_rows = (k_start + keys).col() * kv_stride + kv_head * D + dims.row();
    auto tk = load(k + kv_rows, key_ok, 0.0);
    auto s = dot(tq, trans(tk), zeros<f32>({cfg.BM, cfg.BN}));
    if (cfg.mutation != Mutation::DroppedScale)
      s = s * scale;
    auto visible = keys.row() < k_len && rows.col() < q_len;
    if (cfg.causal)
      visible = visible && keys.row() <= rows.col() + shift + extra;
    s = where(visible, s, neg_inf);
    auto m_new = maximum(m_i, max(s, 1));
    // A row that has seen no key yet keeps m = -inf; subtracting the lowest finite
    // float instead keeps exp(-inf - m) at 0 rather than NaN, and changes nothing for a
    // row with a finite maximum.
    auto m_safe = maximum(m_new, full<f32>({cfg.BM}, lowest));
    auto p = exp(s - m_safe.col());
    auto alpha = exp(m_i - m_safe);
    l_i = l_i * alpha + sum(p, 1);
    auto tv = load(v + kv_rows, key_ok, 0.0);
    acc = dot(cast<T>(p), tv, acc * alpha.col());
    m_i = m_new;
  }
  // A fully masked row has l = 0 and acc = 0: dividing by the least normal float gives
  // 0. Any other row has l >= 1 (its maximum's own term), which the floor leaves alone.
  auto o = acc / maximum(l_i, full<f32>({cfg.BM}, least)).col();
  store(out + (q_start + rows).col() * q_stride + head * D + dims.row(), cast<T>(o), row_ok);
  if (lse)
    store(*lse + head * total_q + q_start + rows, m_i + log(l_i), rows < q_len);
}

template <FloatDType T>
void attention_kernel(Ptr<T> q, Ptr<T> k, Ptr<T> v, Ptr<T> out, Ptr<i32> cu_q, Ptr<i32> cu_k, Int heads_q,
                      Int group, Int total_q, Float scale, AttentionConfig cfg) {
  attention_body<T>(q, k, v, out, nullptr, cu_q, cu_k, heads_q, group, total_q, scale, cfg);
}

template <FloatDType T>
void attention_lse_kernel(Ptr<T> q, Ptr<T> k, Ptr<T> v, Ptr<T> out, Ptr<f32> lse, Ptr<i32> cu_q, Ptr<i32> cu_k,
                          Int heads_q, Int group, Int total_q, Float scale, AttentionConfig cfg) {
  attention_body<T>(q, k, v, out, &lse, cu_q, cu_k, heads_q, group, total_q, scale, cfg);
}

template <FloatDType T> dsl::TracedKernel trace_for(const std::string &name, const AttentionConfig &config) {
  if (config.lse)
    return dsl::trace(name + "_lse", &attention_lse_kernel<T>,
                      {"q", "k", "v", "out", "lse", "cu_seqlens_q", "cu_seqlens_k", "heads_q", "group", "total_q",
                       "scale"},
                      config);
  return dsl::trace(name, &attention_kernel<T>,
                    {"q", "k", "v", "out", "cu_seqlens_q", "cu_seqlens_k", "heads_q", "group", "total_q", "scale"},
                    config);
}

std::vector<int32_t> read_offsets(const Buffer &offsets, int64_t batch, int64_t total, const char *name) {
  require_buffer(offsets, DType::I32, batch + 1, "attention", name);
  auto view = offsets.as<int32_t>();
  std::vector<int32_t> values(view.begin(), view.begin() + batch + 1);
  if (values[0] != 0)
    throw Error(ErrorCode::InvalidArgument,
                std::string("attention: ") + name + "[0] is " + std::to_string(values[0]) + ", must be 0");
  for (int64_t b = 0; b < batch; ++b)
    if (values[b + 1] < values[b])
      throw Error(ErrorCode::InvalidArgument, std::string("attention: ") + name + " decreases at " +
                                                  std::to_string(b + 1) + " (" + std::to_string(values[b]) +
                                                  " then " + std::to_string(values[b + 1]) + ")");
  if (values[batch] != total)
    throw Error(ErrorCode::InvalidArgument, std::string("attention: ") + name + "[" + std::to_string(batch) +
                                                "] is " + std::to_string(values[batch]) + ", the tensor has " +
                                                std::to_string(total) + " rows");
  return values;
}

} // namespace

AttentionConfig default_attention_config(const std::string &target, int head_dim, bool causal, bool lse) {
  AttentionConfig config;
  config.head_dim = head_dim;
  config.causal = causal;
  config.lse = lse;
  config.BM = 64;
  if (describe_target(target).memory_latency_cycles >= 200) {
    // A target that moves each block by one exposed transfer (Maia: the DMA queue is in
    // order). Each K and V step is one DMA that pays the 400-cycle HBM latency on the tile's
    // in-order queue: 128 keys (16 KiB at D = 64) hide it better than 64. 64 queries
    // per instance keep B H S / 64 instances for the 64 tiles; 128 halves the K/V
    // traffic but leaves tiles idle below 8192 query rows. Measured (bench_maia_attention,
    // cycles): S=512 D=64 17,430 -> 14,848; D=128 31,583 -> 22,192; BM=128 was slower on
    // three of the four shapes.
    config.BN = 128;
    return config;
  }
  // CPU: one K and one V block of f32 within 16 KiB each.
  config.BN = head_dim <= 64 ? 64 : 32;
  if (describe_target(target).warp_size > 1) {
    // GPU rule (dots on the vector units): 8 warps share the score and output blocks
    // (64 x 64 f32 each: 16 registers a thread), and above D = 64, 32 queries keep Q's
    // and K's blocks in shared memory within the 48 KiB a kernel may declare (f32 at
    // D = 128: 16.5 + 16 KiB).
    config.num_warps = detail::default_num_warps(target, int64_t{64} * 64);
    if (head_dim > 64)
      config.BM = 32;
    // A GPU layout's extents are powers of two: D = 80 and 96 run as 128, masked.
    config.head_block = static_cast<int>(std::bit_ceil(static_cast<unsigned>(head_dim)));
    // Buffers from the runtime start 64-byte aligned; D is a multiple of 16, so every
    // row does too. Two stages of K and V in 16-bit types beside Q's and P's blocks
    // stay inside the 48 KiB a block declares statically (D = 64: 2 x 2 x 8 KiB of K
    // and V, 8 KiB of Q or P; D = 128 with 32 queries and keys: 2 x 2 x 8 + 8).
    config.num_stages = 2;
    config.aligned = true;
  }
  return config;
}

dsl::TracedKernel trace_attention(DType dtype, const AttentionConfig &config) {
  if (config.head_dim != 64 && config.head_dim != 80 && config.head_dim != 96 && config.head_dim != 128)
    throw Error(ErrorCode::Unsupported,
                "attention: head dimension " + std::to_string(config.head_dim) + " (supported: 64, 80, 96, 128)");
  if (config.head_block != 0 && config.head_block < config.head_dim)
    throw Error(ErrorCode::InvalidArgument, "attention: head_block " + std::to_string(config.head_block) +
                                                " is smaller than the head dimension " +
                                                std::to_string(config.head_dim));
  detail::require_block("attention", "BM", config.BM);
  detail::require_block("attention", "BN", config.BN);
  std::string name = "attention_d" + std::to_string(config.head_dim) + (config.causal ? "_causal" : "");
  switch (dtype) {
  case DType::F32: return trace_for<f32>(name + "_f32", config);
  case DType::F16: return trace_for<f16>(name + "_f16", config);
  case DType::BF16: return trace_for<bf16>(name + "_bf16", config);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, "attention has no " + std::string(dtype_name(dtype)) + " variant");
}

Attention::Attention(DType dtype, const std::string &target, CompileOptions options, AttentionConfig config)
    : dtype_(dtype), config_(config), kernel_(compile_traced(trace_attention(dtype, config), target, options)) {}

void Attention::varlen(const Buffer &q, const Buffer &k, const Buffer &v, const Buffer &cu_seqlens_q,
                       const Buffer &cu_seqlens_k, Buffer &out, Buffer *lse, const AttentionShape &shape,
                       const LaunchOptions &launch) const {
  const int64_t D = config_.head_dim;
  detail::require_not_negative("attention", "batch", shape.batch);
  detail::require_not_negative("attention", "heads_q", shape.heads_q);
  detail::require_not_negative("attention", "total_q", shape.total_q);
  detail::require_not_negative("attention", "total_k", shape.total_k);
  if (!std::isfinite(shape.scale))
    throw Error(ErrorCode::InvalidArgument, "attention: scale must be finite, got " + std::to_string(shape.scale));
  // No query heads: the output is empty whatever the rest says.
  if (shape.heads_q > 0)
    detail::require_positive("attention", "heads_kv (with query heads)", shape.heads_kv);
  else
    detail::require_not_negative("attention", "heads_kv", shape.heads_kv);
  if (shape.heads_q > 0 && shape.heads_q % shape.heads_kv)
    throw Error(ErrorCode::InvalidArgument, "attention: " + std::to_string(shape.heads_q) +
                                                " query heads are not a multiple of " +
                                                std::to_string(shape.heads_kv) + " key/value heads");
  std::vector<int32_t> cu_q = read_offsets(cu_seqlens_q, shape.batch, shape.total_q, "cu_seqlens_q");
  read_offsets(cu_seqlens_k, shape.batch, shape.total_k, "cu_seqlens_k");
  const int64_t qCount = detail::element_count("attention", {shape.total_q, shape.heads_q, D});
  // No queries or no query heads: the output is empty, a no-op that needs no k or v.
  const int64_t work = shape.total_q > 0 && shape.heads_q > 0 ? 1 : 0;
  const int64_t kvCount = work * detail::element_count("attention", {shape.total_k, shape.heads_kv, D});
  require_buffer(q, dtype_, qCount, "attention", "q");
  require_buffer(k, dtype_, kvCount, "attention", "k");
  require_buffer(v, dtype_, kvCount, "attention", "v");
  require_buffer(out, dtype_, qCount, "attention", "out");
  if (config_.lse && !lse)
    throw Error(ErrorCode::NullBuffer, "attention: the kernel writes the log-sum-exp; buffer 'lse' is null");
  if (config_.lse)
    require_buffer(*lse, DType::F32, detail::element_count("attention", {shape.heads_q, shape.total_q}), "attention",
                   "lse");
  int64_t longest = 0;
  for (int64_t b = 0; b < shape.batch; ++b)
    longest = std::max<int64_t>(longest, cu_q[b + 1] - cu_q[b]);
  if (longest == 0 || !work)
    return;
  std::vector<Arg> args{q, k, v, out};
  if (config_.lse)
    args.push_back(*lse);
  for (Arg a : {Arg(cu_seqlens_q), Arg(cu_seqlens_k), Arg(shape.heads_q), Arg(shape.heads_q / shape.heads_kv),
                Arg(shape.total_q), Arg(static_cast<float>(shape.scale))})
    args.push_back(a);
  kernel_->launch(Grid(dsl::cdiv(longest, config_.BM), shape.heads_q, shape.batch), std::span<const Arg>(args),
                  launch);
}

void Attention::operator()(const Buffer &q, const Buffer &k, const Buffer &v, Buffer &out, Buffer *lse,
                           int64_t batch, int64_t seqlen_q, int64_t seqlen_k, int64_t heads_q, int64_t heads_kv,
                           double scale, const LaunchOptions &launch) const {
  detail::require_not_negative("attention", "batch", batch);
  detail::require_not_negative("attention", "seqlen_q", seqlen_q);
  detail::require_not_negative("attention", "seqlen_k", seqlen_k);
  for (int64_t rows : {detail::element_count("attention", {batch, seqlen_q}),
                       detail::element_count("attention", {batch, seqlen_k})})
    if (rows > INT32_MAX)
      throw Error(ErrorCode::InvalidArgument, "attention: " + std::to_string(rows) +
                                                  " rows in all do not fit the kernel's i32 sequence offsets");
  Buffer cu_q(DType::I32, batch + 1), cu_k(DType::I32, batch + 1);
  for (int64_t b = 0; b <= batch; ++b) {
    cu_q.as<int32_t>()[b] = static_cast<int32_t>(b * seqlen_q);
    cu_k.as<int32_t>()[b] = static_cast<int32_t>(b * seqlen_k);
  }
  AttentionShape shape{batch, heads_q, heads_kv, batch * seqlen_q, batch * seqlen_k, scale};
  varlen(q, k, v, cu_q, cu_k, out, lse, shape, launch);
}

} // namespace tegula::kernels
