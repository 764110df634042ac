// Multi-LoRA kernels (lora.h). Segmented form: an instance owns BT tokens of one
// segment, so all its tokens use one adapter and the products are tile dots. Gathered
// form: an instance owns one token (a batched matrix-vector product, as Punica's BGMV),
// reading its adapter's rows directly.
#include "tegula/kernels/lora.h"

#include "checks.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {

/// The adapter slot an instance uses and its rank; an index outside [0, slots) reads
/// as "no adapter" (rank 0, every adapter access masked off).
struct Slot {
  Int index; ///< clamped into range, for address arithmetic only
  Bool used;
  Int rank;
};
Slot slot_of(Int adapter, Ptr<i32> ranks, Int slots) {
  Bool used = adapter >= 0 && adapter < slots;
  Int index = where(used, adapter, 0);
  Int rank = load(ranks + index, used, 0.0);
  return {index, used, rank};
}

/// The kernel meta-parameters and promises of cfg (num_warps, num_stages,
/// hidden_multiple): `sizes` are the hidden sizes, `buffers` the row-major 16-bit ones.
template <FloatDType T>
void apply_meta_parameters(const LoraConfig &cfg, std::initializer_list<Int> sizes,
                           std::initializer_list<Ptr<T>> buffers) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  if (cfg.num_stages > 1)
    num_stages(cfg.num_stages);
  if (cfg.hidden_multiple <= 1)
    return;
  for (const Int &size : sizes)
    assume_multiple_of(size, cfg.hidden_multiple);
  for (const Ptr<T> &buffer : buffers)
    assume_multiple_of(buffer, 16);
}

/// Segment `seg`'s first token and length.
std::pair<Int, Int> segment(Ptr<i32> starts, Int seg) {
  Int first = load(starts + seg);
  return {first, load(starts + seg + 1) - first};
}

template <FloatDType T>
void shrink_segmented(Ptr<T> x, Ptr<T> lora_a, Ptr<f32> t, Ptr<i32> starts, Ptr<i32> adapters, Ptr<i32> ranks,
                      Int slots, Int hidden, Int max_rank, LoraConfig cfg) {
  apply_meta_parameters<T>(cfg, {hidden}, {x, lora_a});
  auto [first, length] = segment(starts, program_id(2));
  Slot s = slot_of(load(adapters + program_id(2)), ranks, slots);
  auto toks = program_id(0) * cfg.BT + arange(cfg.BT);
  auto rr = arange(cfg.rank_tile);
  auto hh = arange(cfg.BH);
  auto tok_ok = toks.col() < length;
  auto a_rows = lora_a + cast<i64>(s.index) * cast<i64>(max_rank * hidden) + rr.col() * hidden;
  auto acc = zeros<f32>({cfg.BT, cfg.rank_tile});
  for (auto h : range(0, hidden, cfg.BH).carry(acc)) {
    auto cols = (h + hh).row();
    auto xt = load(x + (first + toks).col() * hidden + cols, tok_ok && cols < hidden, 0.0);
    auto at = load(a_rows + cols, rr.col() < s.rank && cols < hidden, 0.0);
    acc = dot(xt, trans(at), acc);
  }
  store(t + (first + toks).col() * max_rank + rr.row(), acc, tok_ok && rr.row() < max_rank);
}

template <FloatDType T>
void expand_segmented(Ptr<f32> t, Ptr<T> lora_b, Ptr<T> y, Ptr<i32> starts, Ptr<i32> adapters, Ptr<i32> ranks,
                      Ptr<f32> scales, Int slots, Int hidden_out, Int max_rank, LoraConfig cfg) {
  apply_meta_parameters<T>(cfg, {hidden_out}, {y});
  auto [first, length] = segment(starts, program_id(2));
  Slot s = slot_of(load(adapters + program_id(2)), ranks, slots);
  auto toks = program_id(0) * cfg.BT + arange(cfg.BT);
  auto cols = program_id(1) * cfg.BN + arange(cfg.BN);
  auto rr = arange(cfg.rank_tile);
  auto tok_ok = toks.col() < length;
  auto tt = load(t + (first + toks).col() * max_rank + rr.row(), tok_ok && rr.row() < s.rank, 0.0);
  auto b_rows = lora_b + cast<i64>(s.index) * cast<i64>(hidden_out * max_rank) + cols.col() * max_rank;
  auto bt = load(b_rows + rr.row(), cols.col() < hidden_out && rr.row() < s.rank, 0.0);
  Float scale = cfg.mutation == Mutation::DroppedScale ? where(s.used, scalar<f32>(1.0), 0.0)
                                                       : load(scales + s.index, s.used, 0.0);
  // The scaled t is rounded to the adapters' type, so that both factors of the product
  // are that type (as a tensor unit multiplies); the products accumulate in f32.
  auto delta = dot(cast<T>(tt * scale), trans(bt), zeros<f32>({cfg.BT, cfg.BN}));
  auto out = y + (first + toks).col() * hidden_out + cols.row();
  auto keep = tok_ok && cols.row() < hidden_out && s.used;
  store(out, cast<T>(cast<f32>(load(out, keep, 0.0)) + delta), keep);
}

template <FloatDType T>
void shrink_gathered(Ptr<T> x, Ptr<T> lora_a, Ptr<f32> t, Ptr<i32> adapters, Ptr<i32> ranks, Int slots, Int hidden,
                     Int max_rank, LoraConfig cfg) {
  apply_meta_parameters<T>(cfg, {hidden}, {x, lora_a});
  Int tok = program_id(0);
  Slot s = slot_of(load(adapters + tok), ranks, slots);
  auto rr = arange(cfg.rank_tile);
  auto hh = arange(cfg.BH);
  auto a_rows = lora_a + cast<i64>(s.index) * cast<i64>(max_rank * hidden) + rr.col() * hidden;
  auto acc = zeros<f32>({cfg.rank_tile});
  for (auto h : range(0, hidden, cfg.BH).carry(acc)) {
    auto cols = h + hh;
    auto xv = cast<f32>(load(x + tok * hidden + cols, cols < hidden, 0.0));
    auto at = cast<f32>(load(a_rows + cols.row(), rr.col() < s.rank && cols.row() < hidden, 0.0));
    acc = acc + sum(at * xv.row(), 1);
  }
  store(t + tok * max_rank + rr, acc, rr < max_rank);
}

template <FloatDType T>
void expand_gathered(Ptr<f32> t, Ptr<T> lora_b, Ptr<T> y, Ptr<i32> adapters, Ptr<i32> ranks, Ptr<f32> scales,
                     Int slots, Int hidden_out, Int max_rank, LoraConfig cfg) {
  apply_meta_parameters<T>(cfg, {hidden_out}, {y});
  Int tok = program_id(0);
  Slot s = slot_of(load(adapters + tok), ranks, slots);
  auto cols = program_id(1) * cfg.BN + arange(cfg.BN);
  auto rr = arange(cfg.rank_tile);
  auto tv = load(t + tok * max_rank + rr, rr < s.rank, 0.0);
  auto b_rows = lora_b + cast<i64>(s.index) * cast<i64>(hidden_out * max_rank) + cols.col() * max_rank;
  auto bt = cast<f32>(load(b_rows + rr.row(), cols.col() < hidden_out && rr.row() < s.rank, 0.0));
  Float scale = cfg.mutation == Mutation::DroppedScale ? where(s.used, scalar<f32>(1.0), 0.0)
                                                       : load(scales + s.index, s.used, 0.0);
  auto delta = sum(bt * tv.row(), 1) * scale;
  auto out = y + tok * hidden_out + cols;
  auto keep = cols < hidden_out && s.used;
  store(out, cast<T>(cast<f32>(load(out, keep, 0.0)) + delta), keep);
}

/// The linear layer's GEMM, segmented like the expand: each block of y is x W over K,
/// plus its tokens' adapter update, stored once.
template <FloatDType T>
void linear_segmented(Ptr<T> x, Ptr<T> w, Ptr<f32> t, Ptr<T> lora_b, Ptr<T> y, Ptr<i32> starts, Ptr<i32> adapters,
                      Ptr<i32> ranks, Ptr<f32> scales, Int slots, Int K, Int N, Int max_rank, LoraConfig cfg) {
  apply_meta_parameters<T>(cfg, {K, N}, {x, w, y});
  auto [first, length] = segment(starts, program_id(2));
  Slot s = slot_of(load(adapters + program_id(2)), ranks, slots);
  auto toks = program_id(0) * cfg.BT + arange(cfg.BT);
  auto cols = program_id(1) * cfg.linear_BN + arange(cfg.linear_BN);
  auto kk = arange(cfg.linear_BK);
  auto rr = arange(cfg.rank_tile);
  auto tok_ok = toks.col() < length;
  auto acc = zeros<f32>({cfg.BT, cfg.linear_BN});
  for (auto k : range(0, K, cfg.linear_BK).carry(acc)) {
    auto ks = k + kk;
    auto xt = load(x + (first + toks).col() * K + ks.row(), tok_ok && ks.row() < K, 0.0);
    auto wt = load(w + ks.col() * N + cols.row(), ks.col() < K && cols.row() < N, 0.0);
    acc = dot(xt, wt, acc);
  }
  auto tt = load(t + (first + toks).col() * max_rank + rr.row(), tok_ok && rr.row() < s.rank, 0.0);
  auto b_rows = lora_b + cast<i64>(s.index) * cast<i64>(N * max_rank) + cols.col() * max_rank;
  auto bt = load(b_rows + rr.row(), cols.col() < N && rr.row() < s.rank, 0.0);
  Float scale = cfg.mutation == Mutation::DroppedScale ? where(s.used, scalar<f32>(1.0), 0.0)
                                                       : load(scales + s.index, s.used, 0.0);
  acc = dot(cast<T>(tt * scale), trans(bt), acc); // as in the expand
  store(y + (first + toks).col() * N + cols.row(), cast<T>(acc), tok_ok && cols.row() < N);
}

template <FloatDType T> dsl::TracedKernel shrink_for(const std::string &name, const LoraConfig &c) {
  if (c.form == LoraForm::Segmented)
    return dsl::trace(name, &shrink_segmented<T>,
                      {"x", "lora_a", "t", "segment_starts", "adapters", "ranks", "slots", "hidden", "max_rank"}, c);
  return dsl::trace(name, &shrink_gathered<T>, {"x", "lora_a", "t", "adapters", "ranks", "slots", "hidden", "max_rank"},
                    c);
}
template <FloatDType T> dsl::TracedKernel expand_for(const std::string &name, const LoraConfig &c) {
  if (c.form == LoraForm::Segmented)
    return dsl::trace(name, &expand_segmented<T>,
                      {"t", "lora_b", "y", "segment_starts", "adapters", "ranks", "scales", "slots", "hidden_out",
                       "max_rank"},
                      c);
  return dsl::trace(name, &expand_gathered<T>,
                    {"t", "lora_b", "y", "adapters", "ranks", "scales", "slots", "hidden_out", "max_rank"}, c);
}
template <FloatDType T> dsl::TracedKernel linear_for(const std::string &name, const LoraConfig &c) {
  return dsl::trace(name, &linear_segmented<T>,
                    {"x", "w", "t", "lora_b", "y", "segment_starts", "adapters", "ranks", "scales", "slots", "K", "N",
                     "max_rank"},
                    c);
}

template <template <typename> class Fn>
dsl::TracedKernel trace_typed(const char *what, DType dtype, const LoraConfig &config) {
  detail::require_block(what, "BT", config.BT);
  detail::require_block(what, "BH", config.BH);
  detail::require_block(what, "BN", config.BN);
  detail::require_block(what, "linear_BK", config.linear_BK);
  detail::require_block(what, "linear_BN", config.linear_BN);
  if (config.rank_tile != 16 && config.rank_tile != 32 && config.rank_tile != 64)
    throw Error(ErrorCode::InvalidArgument,
                std::string(what) + ": rank_tile " + std::to_string(config.rank_tile) + " (must be 16, 32 or 64)");
  std::string name = std::string(what) + (config.form == LoraForm::Segmented ? "_sgmv_" : "_bgmv_") +
                     std::string(dtype_name(dtype)) + "_r" + std::to_string(config.rank_tile);
  switch (dtype) {
  case DType::F32: return Fn<f32>::trace(name, config);
  case DType::F16: return Fn<f16>::trace(name, config);
  case DType::BF16: return Fn<bf16>::trace(name, config);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, std::string(what) + " has no " + std::string(dtype_name(dtype)) + " variant");
}
template <typename T> struct ShrinkFn {
  static dsl::TracedKernel trace(const std::string &n, const LoraConfig &c) { return shrink_for<T>(n, c); }
};
template <typename T> struct ExpandFn {
  static dsl::TracedKernel trace(const std::string &n, const LoraConfig &c) { return expand_for<T>(n, c); }
};
template <typename T> struct LinearFn {
  static dsl::TracedKernel trace(const std::string &n, const LoraConfig &c) { return linear_for<T>(n, c); }
};

/// Checks the adapter buffers against the shapes (0: a factor the kernel does not read).
void check_weights(const char *kernel, DType dtype, const LoraWeights &wt, int64_t rows_per_slot_a,
                   int64_t rows_per_slot_b, const LoraConfig &config) {
  if (!wt.a || !wt.b || !wt.ranks || !wt.scales)
    throw Error(ErrorCode::NullBuffer, std::string(kernel) + ": the adapter buffers (a, b, ranks, scales) must be set");
  if (wt.slots < 1 || wt.max_rank < 1 || wt.max_rank > config.rank_tile)
    throw Error(ErrorCode::InvalidArgument, std::string(kernel) + ": " + std::to_string(wt.slots) + " slots of rank " +
                                                std::to_string(wt.max_rank) + " (rank must be 1 .. " +
                                                std::to_string(config.rank_tile) + " for this kernel)");
  if (rows_per_slot_a > 0)
    require_buffer(*wt.a, dtype, detail::element_count(kernel, {wt.slots, wt.max_rank, rows_per_slot_a}), kernel,
                   "lora_a");
  if (rows_per_slot_b > 0)
    require_buffer(*wt.b, dtype, detail::element_count(kernel, {wt.slots, rows_per_slot_b, wt.max_rank}), kernel,
                   "lora_b");
  require_buffer(*wt.ranks, DType::I32, wt.slots, kernel, "ranks");
  require_buffer(*wt.scales, DType::F32, wt.slots, kernel, "scales");
}

void check_ranks(const char *kernel, const LoraWeights &wt) {
  auto ranks = wt.ranks->as<int32_t>();
  for (int64_t i = 0; i < wt.slots; ++i)
    if (ranks[i] < 1 || ranks[i] > wt.max_rank)
      throw Error(ErrorCode::InvalidArgument, std::string(kernel) + ": slot " + std::to_string(i) + " has rank " +
                                                  std::to_string(ranks[i]) + " (must be 1 .. " +
                                                  std::to_string(wt.max_rank) + ")");
}

/// The mapping's buffers as launch arguments, checked unless told not to; also gives
/// the longest segment (segmented form).
int64_t mapping_args(const char *kernel, const LoraMapping &m, const LoraWeights &wt, int64_t tokens, LoraChecks checks,
                     std::vector<Arg> &args) {
  if (!m.adapters || (m.form == LoraForm::Segmented && !m.segment_starts))
    throw Error(ErrorCode::NullBuffer, std::string(kernel) + ": the token-to-adapter mapping is not set");
  int64_t longest = 0;
  if (m.form == LoraForm::Segmented) {
    detail::require_not_negative(kernel, "the mapping's segment count", m.segments);
    require_buffer(*m.segment_starts, DType::I32, m.segments + 1, kernel, "segment_starts");
    require_buffer(*m.adapters, DType::I32, m.segments, kernel, "adapters");
    auto starts = m.segment_starts->as<int32_t>();
    for (int64_t s = 0; s < m.segments; ++s)
      longest = std::max<int64_t>(longest, starts[s + 1] - starts[s]);
    args.push_back(*m.segment_starts);
  } else {
    require_buffer(*m.adapters, DType::I32, tokens, kernel, "adapters");
  }
  args.push_back(*m.adapters);
  if (checks == LoraChecks::Validate) {
    lora_token_adapters(m, tokens, wt.slots);
    check_ranks(kernel, wt);
  }
  return longest;
}

} // namespace

std::vector<int32_t> lora_token_adapters(const LoraMapping &m, int64_t tokens, int64_t slots) {
  auto check_index = [&](int64_t where, int32_t index, const char *what) {
    if (index < -1 || index >= slots)
      throw Error(ErrorCode::InvalidArgument, std::string("lora: adapter index ") + std::to_string(index) + " of " +
                                                  what + " " + std::to_string(where) + " is out of range (slots 0 .. " +
                                                  std::to_string(slots - 1) + ", or -1 for none)");
  };
  std::vector<int32_t> perToken(static_cast<size_t>(tokens), -1);
  auto adapters = m.adapters->as<int32_t>();
  if (m.form == LoraForm::Gathered) {
    for (int64_t i = 0; i < tokens; ++i) {
      check_index(i, adapters[i], "token");
      perToken[i] = adapters[i];
    }
    return perToken;
  }
  auto starts = m.segment_starts->as<int32_t>();
  if (starts[0] != 0 || starts[m.segments] != tokens)
    throw Error(ErrorCode::InvalidArgument, "lora: segment_starts must run from 0 to the " + std::to_string(tokens) +
                                                " tokens; it runs from " + std::to_string(starts[0]) + " to " +
                                                std::to_string(starts[m.segments]));
  for (int64_t s = 0; s < m.segments; ++s) {
    if (starts[s + 1] < starts[s])
      throw Error(ErrorCode::InvalidArgument,
                  "lora: segment_starts decreases at segment " + std::to_string(s) + " (" +
                      std::to_string(starts[s]) + " then " + std::to_string(starts[s + 1]) + ")");
    check_index(s, adapters[s], "segment");
    std::fill(perToken.begin() + starts[s], perToken.begin() + starts[s + 1], adapters[s]);
  }
  return perToken;
}

LoraConfig default_lora_config(const std::string &target, LoraForm form, int64_t max_rank) {
  LoraConfig config;
  config.form = form;
  config.rank_tile = max_rank <= 16 ? 16 : max_rank <= 32 ? 32 : 64;
  if (describe_target(target).memory_latency_cycles >= 200) {
    // A target whose transfers expose their latency (Maia: every DMA command pays the HBM
    // latency, 400 cycles, on its tile's in-order queue);
    // a step must move enough to hide it. 2048 columns make the A and B blocks of a
    // step 64 KiB at rank 16 (bf16; 256 KiB at rank 64, double-buffered within the
    // 4 MiB TSRAM). Measured on BGMV (bench_maia_lora): 64 columns reach 5.9% of the
    // HBM bound, 1024 columns 43.8%, 2048 columns 54%.
    config.BH = 2048;
    config.BN = 2048;
    // The linear layer's GEMM takes the GEMM's rule (a 2048 x 2048 weight block would
    // not fit TSRAM).
    config.linear_BK = 128;
    config.linear_BN = 128;
  }
  if (describe_target(target).warp_size > 1) // GPU: warps by the linear layer's output block
    config.num_warps = detail::default_num_warps(target, int64_t{config.BT} * config.linear_BN);
  return config;
}

LoraConfig default_lora_config(const std::string &target, LoraForm form, int64_t max_rank, int64_t hidden,
                               int64_t hidden_out) {
  LoraConfig config = default_lora_config(target, form, max_rank);
  if (describe_target(target).warp_size > 1) {
    // Rows of a multiple of 16 elements start 16-byte aligned for every dtype (as
    // GemmConfig::kn_multiple); two stages of the shrink's x and A (16 x 64 and 64 x 64)
    // and of the linear layer's x and W (16 x 64 and 64 x 64) take 20 KiB in 16-bit types.
    while (config.hidden_multiple < 16 && hidden % (2 * config.hidden_multiple) == 0 &&
           hidden_out % (2 * config.hidden_multiple) == 0)
      config.hidden_multiple *= 2;
    config.num_stages = 2;
  }
  return config;
}

dsl::TracedKernel trace_lora_shrink(DType dtype, const LoraConfig &config) {
  return trace_typed<ShrinkFn>("lora_shrink", dtype, config);
}
dsl::TracedKernel trace_lora_expand(DType dtype, const LoraConfig &config) {
  return trace_typed<ExpandFn>("lora_expand", dtype, config);
}
dsl::TracedKernel trace_lora_linear(DType dtype, const LoraConfig &config) {
  if (config.form != LoraForm::Segmented)
    throw Error(ErrorCode::Unsupported, "lora_linear: only the segmented form is fused with the GEMM");
  return trace_typed<LinearFn>("lora_linear", dtype, config);
}

LoraShrink::LoraShrink(DType dtype, const std::string &target, CompileOptions options, LoraConfig config)
    : LoraKernel(dtype, config, compile_traced(trace_lora_shrink(dtype, config), target, options)) {}

void LoraShrink::operator()(const Buffer &x, const LoraWeights &wt, const LoraMapping &mapping, Buffer &t,
                            int64_t tokens, int64_t hidden, LoraChecks checks, const LaunchOptions &launch) const {
  if (mapping.form != config_.form)
    throw Error(ErrorCode::InvalidArgument, "lora_shrink: the mapping's form is not the kernel's");
  detail::require_not_negative("lora_shrink", "tokens", tokens);
  if (tokens > 0)
    detail::require_positive("lora_shrink", "hidden (the reduction length, with t not empty)", hidden);
  else
    detail::require_not_negative("lora_shrink", "hidden", hidden);
  check_weights("lora_shrink", dtype_, wt, hidden, 0, config_);
  require_buffer(x, dtype_, detail::element_count("lora_shrink", {tokens, hidden}), "lora_shrink", "x");
  require_buffer(t, DType::F32, detail::element_count("lora_shrink", {tokens, wt.max_rank}), "lora_shrink", "t");
  std::vector<Arg> args{x, *wt.a, t};
  int64_t longest = mapping_args("lora_shrink", mapping, wt, tokens, checks, args);
  for (Arg a : {Arg(*wt.ranks), Arg(wt.slots), Arg(hidden), Arg(wt.max_rank)})
    args.push_back(a);
  if (tokens == 0 || (config_.form == LoraForm::Segmented && (longest == 0 || mapping.segments == 0)))
    return;
  Grid grid = config_.form == LoraForm::Segmented ? Grid(dsl::cdiv(longest, config_.BT), 1, mapping.segments)
                                                  : Grid(tokens);
  kernel_->launch(grid, std::span<const Arg>(args), launch);
}

LoraExpand::LoraExpand(DType dtype, const std::string &target, CompileOptions options, LoraConfig config)
    : LoraKernel(dtype, config, compile_traced(trace_lora_expand(dtype, config), target, options)) {}

void LoraExpand::operator()(const Buffer &t, const LoraWeights &wt, const LoraMapping &mapping, Buffer &y,
                            int64_t tokens, int64_t hidden_out, LoraChecks checks, const LaunchOptions &launch) const {
  if (mapping.form != config_.form)
    throw Error(ErrorCode::InvalidArgument, "lora_expand: the mapping's form is not the kernel's");
  detail::require_not_negative("lora_expand", "tokens", tokens);
  detail::require_not_negative("lora_expand", "hidden_out", hidden_out);
  check_weights("lora_expand", dtype_, wt, 0, hidden_out, config_);
  require_buffer(t, DType::F32, detail::element_count("lora_expand", {tokens, wt.max_rank}), "lora_expand", "t");
  require_buffer(y, dtype_, detail::element_count("lora_expand", {tokens, hidden_out}), "lora_expand", "y");
  std::vector<Arg> args{t, *wt.b, y};
  int64_t longest = mapping_args("lora_expand", mapping, wt, tokens, checks, args);
  for (Arg a : {Arg(*wt.ranks), Arg(*wt.scales), Arg(wt.slots), Arg(hidden_out), Arg(wt.max_rank)})
    args.push_back(a);
  const bool noSegments = config_.form == LoraForm::Segmented && (longest == 0 || mapping.segments == 0);
  if (tokens == 0 || hidden_out == 0 || noSegments)
    return; // y is empty, or no token has a segment: nothing to do
  int64_t columns = dsl::cdiv(hidden_out, config_.BN);
  Grid grid = config_.form == LoraForm::Segmented ? Grid(dsl::cdiv(longest, config_.BT), columns, mapping.segments)
                                                  : Grid(tokens, columns);
  kernel_->launch(grid, std::span<const Arg>(args), launch);
}

LoraLinear::LoraLinear(DType dtype, const std::string &target, CompileOptions options, LoraConfig config)
    : LoraKernel(dtype, config, compile_traced(trace_lora_linear(dtype, config), target, options)),
      shrink_(dtype, target, options, config) {}

void LoraLinear::operator()(const Buffer &x, const Buffer &w, const LoraWeights &wt, const LoraMapping &mapping,
                            Buffer &t, Buffer &y, int64_t tokens, int64_t K, int64_t N, LoraChecks checks,
                            const LaunchOptions &launch) const {
  if (mapping.form != LoraForm::Segmented)
    throw Error(ErrorCode::InvalidArgument, "lora_linear: the mapping must be segmented");
  detail::require_not_negative("lora_linear", "tokens", tokens);
  detail::require_not_negative("lora_linear", "N", N);
  const bool empty = tokens == 0 || N == 0; // y is empty: a no-op
  if (empty)
    detail::require_not_negative("lora_linear", "K", K);
  else
    detail::require_positive("lora_linear", "K (the reduction length, with y not empty)", K);
  check_weights("lora_linear", dtype_, wt, K, N, config_);
  require_buffer(w, dtype_, detail::element_count("lora_linear", {K, N}), "lora_linear", "w");
  require_buffer(y, dtype_, detail::element_count("lora_linear", {tokens, N}), "lora_linear", "y");
  if (empty)
    return;
  shrink_(x, wt, mapping, t, tokens, K, checks, launch);
  std::vector<Arg> args{x, w, t, *wt.b, y};
  int64_t longest = mapping_args("lora_linear", mapping, wt, tokens, LoraChecks::Skip, args);
  for (Arg a : {Arg(*wt.ranks), Arg(*wt.scales), Arg(wt.slots), Arg(K), Arg(N), Arg(wt.max_rank)})
    args.push_back(a);
  if (tokens == 0 || longest == 0)
    return;
  kernel_->launch(Grid(dsl::cdiv(longest, config_.BT), dsl::cdiv(N, config_.linear_BN), mapping.segments),
                  std::span<const Arg>(args), launch);
}

} // namespace tegula::kernels
