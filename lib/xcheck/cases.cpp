// Each kernel xcheck knows: its inputs (drawn from the case's seed), its launch, and
// its reference and bound from the kernel library.
#include "tegula/xcheck/xcheck.h"

#include "tegula/compiler/compile.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/gemm_epilogue.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/norms.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>

namespace tegula::xcheck {

using namespace tegula::kernels;

namespace {

/// What a case produced.
struct Outcome {
  CheckResult check;
  uint64_t input_hash = 1469598103934665603ull, output_hash = 1469598103934665603ull;
  double ms = 0;
  void inputs(std::initializer_list<const Buffer *> buffers) { mix(input_hash, buffers); }
  void outputs(std::initializer_list<const Buffer *> buffers) { mix(output_hash, buffers); }
  /// The compared outputs and their bounds, in order (for vendor-against-vendor
  /// comparisons of saved outputs).
  std::vector<double> values, bounds;
  /// Checks one output against its reference and keeps it with its bounds.
  void add(const Buffer &out, const std::vector<double> &reference, const std::vector<double> &bound,
           uint64_t extra_failures = 0) {
    CheckResult r = kernels::check(out, reference, bound);
    r.failures += extra_failures;
    add(r);
    std::vector<double> got = to_doubles(out);
    values.insert(values.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(reference.size()));
    bounds.insert(bounds.end(), bound.begin(), bound.end());
  }
  /// Adds one output's comparison to the case's.
  void add(const CheckResult &r) { check.add(r); }
  /// Runs one launch and adds its time: the host's on the CPU, the machine's on maia.
  void time(const std::string &backend, const std::function<void()> &launch) {
    auto start = std::chrono::steady_clock::now();
    launch();
    ms += describe_target(backend).simulated_time ? last_simulated_launch().seconds * 1e3
                            : std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                                  .count();
  }

private:
  static void mix(uint64_t &h, std::initializer_list<const Buffer *> buffers) {
    for (const Buffer *b : buffers) {
      uint64_t c = content_hash(*b);
      for (int i = 0; i < 8; ++i) {
        h ^= (c >> (8 * i)) & 0xFF;
        h *= 1099511628211ull;
      }
    }
  }
};

/// A seed per case that every machine derives the same way (FNV-1a of the case's key;
/// the backend is not part of it, so every backend sees the same inputs).
uint64_t case_seed(const Case &c, uint64_t base) {
  std::string key = c.kernel + "/" + std::string(dtype_name(c.dtype));
  for (int64_t d : c.shape)
    key += "/" + std::to_string(d);
  uint64_t h = 1469598103934665603ull ^ base;
  for (unsigned char ch : key) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h & 0x7fffffffffffffffull;
}

void need_rank(const Case &c, size_t rank, const char *meaning) {
  if (c.shape.size() != rank)
    throw Error(ErrorCode::InvalidArgument, c.kernel + " takes " + std::to_string(rank) + " sizes (" + meaning +
                                                "), got " + std::to_string(c.shape.size()));
}

Buffer poisoned(DType dtype, int64_t count) {
  Buffer b(dtype, static_cast<size_t>(std::max<int64_t>(1, count)));
  b.fill_bytes(0xFF);
  return b;
}

Outcome vector_add_case(const Case &c, uint64_t seed, Mutation) {
  need_rank(c, 1, "n");
  const int64_t n = c.shape[0];
  VectorAdd op(c.dtype, c.backend, {}, default_vector_add_config(c.backend));
  Buffer x(c.dtype, n), y(c.dtype, n), out = poisoned(c.dtype, n);
  fill_uniform(x, seed);
  fill_uniform(y, seed + 1);
  Outcome o;
  o.inputs({&x, &y});
  o.time(c.backend, [&] { op(x, y, out, n); });
  auto ref = reference_vector_add(x, y, n);
  o.add(out, ref, vector_add_bound(ref, c.dtype));
  o.outputs({&out});
  return o;
}

Outcome softmax_case(const Case &c, uint64_t seed, Mutation mutation) {
  need_rank(c, 2, "M, N");
  const int64_t M = c.shape[0], N = c.shape[1];
  SoftmaxConfig config = default_softmax_config(c.backend, N);
  config.mutation = mutation;
  Softmax op(c.dtype, c.backend, {}, config);
  Buffer x(c.dtype, M * N), y = poisoned(c.dtype, M * N);
  fill_uniform(x, seed, -4.0, 4.0);
  Outcome o;
  o.inputs({&x});
  o.time(c.backend, [&] { op(x, y, M, N); });
  auto ref = reference_softmax(x, M, N);
  o.add(y, ref, softmax_bound(ref, N, c.dtype));
  o.outputs({&y});
  return o;
}

Outcome gemm_case(const Case &c, uint64_t seed, Mutation mutation, bool bias, Activation activation) {
  need_rank(c, 3, "M, N, K");
  const int64_t M = c.shape[0], N = c.shape[1], K = c.shape[2];
  GemmConfig config = default_gemm_config(c.backend, M, N, K);
  config.bias = bias;
  config.activation = activation;
  config.mutation = mutation;
  Gemm op(c.dtype, c.backend, {}, config);
  Buffer a(c.dtype, M * K), b(c.dtype, K * N), biasBuffer(DType::F32, N), out = poisoned(DType::F32, M * N);
  fill_uniform(a, seed);
  fill_uniform(b, seed + 1);
  fill_uniform(biasBuffer, seed + 2);
  Outcome o;
  o.inputs({&a, &b});
  if (bias) {
    o.inputs({&biasBuffer});
    o.time(c.backend, [&] { op(a, b, biasBuffer, out, M, N, K); });
  } else {
    o.time(c.backend, [&] { op(a, b, out, M, N, K); });
  }
  std::vector<double> absProduct;
  auto gemm = reference_gemm(a, b, M, N, K, &absProduct);
  auto bound = gemm_bound(absProduct, K);
  const Buffer *biasUsed = bias ? &biasBuffer : nullptr;
  o.add(out, reference_epilogue(gemm, biasUsed, M, N, activation),
        epilogue_bound(gemm, bound, biasUsed, M, N, activation));
  o.outputs({&out});
  return o;
}

Outcome norm_case(const Case &c, uint64_t seed, Mutation, bool layer) {
  need_rank(c, 2, "M, N");
  const int64_t M = c.shape[0], N = c.shape[1];
  const double eps = layer ? 1e-5 : 1e-6;
  NormConfig config = default_norm_config(c.backend, N, eps);
  Buffer x(c.dtype, M * N), w(c.dtype, N), b(c.dtype, N), y = poisoned(c.dtype, M * N);
  fill_uniform(x, seed, -2.0, 3.0);
  fill_uniform(w, seed + 1, 0.5, 1.5);
  fill_uniform(b, seed + 2, -1.0, 1.0);
  Outcome o;
  if (layer) {
    LayerNorm op(c.dtype, c.backend, {}, config);
    o.inputs({&x, &w, &b});
    o.time(c.backend, [&] { op(x, w, b, y, M, N); });
    auto ref = reference_layer_norm(x, w, b, M, N, eps);
    o.add(y, ref, layer_norm_bound(x, w, b, ref, M, N, eps, c.dtype));
  } else {
    RmsNorm op(c.dtype, c.backend, {}, config);
    o.inputs({&x, &w});
    o.time(c.backend, [&] { op(x, w, y, M, N); });
    auto ref = reference_rms_norm(x, w, M, N, eps);
    o.add(y, ref, rms_norm_bound(ref, N, c.dtype));
  }
  o.outputs({&y});
  return o;
}

/// Attention over a batch whose sequences get shorter one after another (the shape's
/// lengths are the first's), so the launch covers unequal lengths.
Outcome attention_case(const Case &c, uint64_t seed, Mutation mutation, bool causal) {
  need_rank(c, 6, "batch, Sq, Skv, Hq, Hkv, D");
  const int64_t batch = c.shape[0], Hq = c.shape[3], Hkv = c.shape[4];
  const int D = static_cast<int>(c.shape[5]);
  std::vector<int32_t> cuQ{0}, cuK{0};
  for (int64_t b = 0; b < batch; ++b) {
    cuQ.push_back(cuQ.back() + static_cast<int32_t>(std::max<int64_t>(0, c.shape[1] - 13 * b)));
    cuK.push_back(cuK.back() + static_cast<int32_t>(std::max<int64_t>(0, c.shape[2] - 29 * b)));
  }
  const int64_t totalQ = cuQ.back(), totalK = cuK.back();
  AttentionConfig config = default_attention_config(c.backend, D, causal, true);
  config.mutation = mutation;
  Attention op(c.dtype, c.backend, {}, config);
  Buffer q(c.dtype, std::max<int64_t>(1, totalQ * Hq * D)), k(c.dtype, std::max<int64_t>(1, totalK * Hkv * D));
  Buffer v(c.dtype, k.count()), out = poisoned(c.dtype, totalQ * Hq * D), lse = poisoned(DType::F32, Hq * totalQ);
  Buffer cuQBuffer(DType::I32, cuQ.size()), cuKBuffer(DType::I32, cuK.size());
  std::copy(cuQ.begin(), cuQ.end(), cuQBuffer.as<int32_t>().begin());
  std::copy(cuK.begin(), cuK.end(), cuKBuffer.as<int32_t>().begin());
  fill_uniform(q, seed);
  fill_uniform(k, seed + 1);
  fill_uniform(v, seed + 2, -1.0, 2.0);
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  Outcome o;
  o.inputs({&q, &k, &v, &cuQBuffer, &cuKBuffer});
  AttentionShape shape{batch, Hq, Hkv, totalQ, totalK, scale};
  o.time(c.backend, [&] { op.varlen(q, k, v, cuQBuffer, cuKBuffer, out, &lse, shape); });
  o.outputs({&out, &lse});
  AttentionReference ref = reference_attention(q, k, v, cuQ, cuK, Hq, Hkv, D, scale, causal);
  o.add(out, ref.out, ref.out_bound);
  // A row without keys must give exactly -inf; the rest is compared with the bound.
  auto got = lse.as<float>();
  std::vector<double> expected = ref.lse;
  uint64_t wrongInfinities = 0;
  for (size_t i = 0; i < expected.size(); ++i)
    if (std::isinf(expected[i])) {
      if (!(std::isinf(got[i]) && got[i] < 0))
        ++wrongInfinities;
      expected[i] = got[i] = 0;
    }
  o.add(lse, expected, ref.lse_bound, wrongInfinities);
  return o;
}

/// Mixed ranks 8..64, adapter -1 and empty segments; `shape` = tokens, H, H_out, slots.
struct LoraSetup {
  Buffer a, b, ranks, scales, starts, segmentAdapters, tokenAdapters;
  LoraWeights weights;
  int64_t segments = 0;
  std::vector<int32_t> perToken;
  LoraSetup(const Case &c, uint64_t seed, int64_t hidden, int64_t hiddenOut) {
    const int64_t tokens = c.shape[0], slots = c.shape[3];
    const int32_t rankCycle[] = {8, 16, 32, 64};
    std::vector<int32_t> rankList;
    for (int64_t s = 0; s < slots; ++s)
      rankList.push_back(rankCycle[s % 4]);
    const int64_t maxRank = *std::max_element(rankList.begin(), rankList.end());
    a = Buffer(c.dtype, slots * maxRank * hidden);
    b = Buffer(c.dtype, slots * hiddenOut * maxRank);
    ranks = Buffer(DType::I32, slots);
    scales = Buffer(DType::F32, slots);
    fill_uniform(a, seed + 10);
    fill_uniform(b, seed + 11);
    fill_uniform(scales, seed + 12, 0.25, 2.0);
    std::copy(rankList.begin(), rankList.end(), ranks.as<int32_t>().begin());
    weights = {&a, &b, &ranks, &scales, slots, maxRank};
    // Segments of 1, 0, 2, 3, ... tokens cycling through the adapters and -1.
    std::vector<int32_t> offsets{0}, ids;
    for (int64_t len = 1, s = 0; offsets.back() < tokens; ++s, len = (len + 1) % 7) {
      offsets.push_back(static_cast<int32_t>(std::min<int64_t>(tokens, offsets.back() + len)));
      ids.push_back(s % (slots + 1) == slots ? -1 : static_cast<int32_t>(s % (slots + 1)));
    }
    segments = static_cast<int64_t>(ids.size());
    starts = Buffer(DType::I32, offsets.size());
    segmentAdapters = Buffer(DType::I32, std::max<size_t>(1, ids.size()));
    std::copy(offsets.begin(), offsets.end(), starts.as<int32_t>().begin());
    std::copy(ids.begin(), ids.end(), segmentAdapters.as<int32_t>().begin());
    perToken = lora_token_adapters(segmented(), tokens, slots);
    tokenAdapters = Buffer(DType::I32, std::max<int64_t>(1, tokens));
    std::copy(perToken.begin(), perToken.end(), tokenAdapters.as<int32_t>().begin());
  }
  LoraMapping segmented() const { return LoraMapping::segmented(starts, segmentAdapters, segments); }
};

Outcome lora_case(const Case &c, uint64_t seed, Mutation mutation, LoraForm form) {
  need_rank(c, 4, "tokens, H, H_out, slots");
  const int64_t tokens = c.shape[0], H = c.shape[1], Hout = c.shape[2];
  LoraSetup setup(c, seed, H, Hout);
  LoraConfig config = default_lora_config(c.backend, form, setup.weights.max_rank, H, Hout);
  config.mutation = mutation;
  LoraShrink shrink(c.dtype, c.backend, {}, config);
  LoraExpand expand(c.dtype, c.backend, {}, config);
  LoraMapping mapping =
      form == LoraForm::Segmented ? setup.segmented() : LoraMapping::gathered(setup.tokenAdapters);
  Buffer x(c.dtype, tokens * H), t = poisoned(DType::F32, tokens * setup.weights.max_rank);
  Buffer y(c.dtype, tokens * Hout), before(c.dtype, tokens * Hout);
  fill_uniform(x, seed);
  fill_uniform(y, seed + 1, -2.0, 2.0);
  std::memcpy(before.data(), y.data(), y.bytes());
  Outcome o;
  o.inputs({&x, &y, setup.weights.a, setup.weights.b, setup.weights.ranks, setup.weights.scales, mapping.adapters});
  if (mapping.segment_starts)
    o.inputs({mapping.segment_starts});
  o.time(c.backend, [&] { shrink(x, setup.weights, mapping, t, tokens, H); });
  o.time(c.backend, [&] { expand(t, setup.weights, mapping, y, tokens, Hout); });
  LoraReference shrunk = reference_lora_shrink(x, setup.weights, setup.perToken, H);
  o.add(t, shrunk.value, shrunk.bound);
  LoraReference expanded = reference_lora_expand(t, setup.weights, setup.perToken, before, Hout);
  o.add(y, expanded.value, expanded.bound);
  o.outputs({&t, &y});
  return o;
}

Outcome lora_linear_case(const Case &c, uint64_t seed, Mutation mutation) {
  need_rank(c, 4, "tokens, K, N, slots");
  const int64_t tokens = c.shape[0], K = c.shape[1], N = c.shape[2];
  LoraSetup setup(c, seed, K, N);
  LoraConfig config = default_lora_config(c.backend, LoraForm::Segmented, setup.weights.max_rank, K, N);
  config.mutation = mutation;
  LoraLinear linear(c.dtype, c.backend, {}, config);
  Buffer x(c.dtype, tokens * K), w(c.dtype, K * N), t(DType::F32, tokens * setup.weights.max_rank);
  Buffer y = poisoned(c.dtype, tokens * N);
  fill_uniform(x, seed);
  fill_uniform(w, seed + 1);
  Outcome o;
  o.inputs({&x, &w, setup.weights.a, setup.weights.b, setup.weights.ranks, setup.weights.scales, &setup.starts,
            &setup.segmentAdapters});
  o.time(c.backend, [&] { linear(x, w, setup.weights, setup.segmented(), t, y, tokens, K, N); });
  LoraReference ref = reference_lora_linear(x, w, setup.weights, setup.perToken, K, N);
  o.add(y, ref.value, ref.bound);
  o.outputs({&y});
  return o;
}

struct KernelEntry {
  const char *name;
  const char *shape_help;
  std::vector<int64_t> shape;
  std::vector<DType> dtypes;
  std::function<Outcome(const Case &, uint64_t, Mutation)> run;
};

const std::vector<KernelEntry> &registry() {
  using D = DType;
  static const std::vector<KernelEntry> entries = {
      {"vector_add", "n", {4099}, {D::F32, D::F16, D::BF16}, vector_add_case},
      {"softmax", "M, N", {37, 1031}, {D::F32, D::F16, D::BF16}, softmax_case},
      {"gemm", "M, N, K", {130, 97, 200}, {D::F32, D::F16, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return gemm_case(c, s, m, false, Activation::None); }},
      {"gemm_relu", "M, N, K", {70, 90, 65}, {D::F32, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return gemm_case(c, s, m, false, Activation::Relu); }},
      {"gemm_bias_gelu", "M, N, K", {70, 90, 65}, {D::F32, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return gemm_case(c, s, m, true, Activation::Gelu); }},
      {"gemm_bias_silu", "M, N, K", {33, 129, 40}, {D::F32, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return gemm_case(c, s, m, true, Activation::Silu); }},
      {"rms_norm", "M, N", {9, 1031}, {D::F32, D::F16, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return norm_case(c, s, m, false); }},
      {"layer_norm", "M, N", {9, 1031}, {D::F32, D::F16, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return norm_case(c, s, m, true); }},
      {"attention", "batch, Sq, Skv, Hq, Hkv, D (later sequences shorter)", {2, 70, 131, 4, 2, 64},
       {D::F32, D::F16, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return attention_case(c, s, m, false); }},
      {"attention_causal", "batch, Sq, Skv, Hq, Hkv, D (later sequences shorter)", {3, 90, 60, 2, 1, 128},
       {D::F32, D::BF16}, [](const Case &c, uint64_t s, Mutation m) { return attention_case(c, s, m, true); }},
      {"lora_sgmv", "tokens, H, H_out, slots", {45, 200, 130, 6}, {D::F32, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return lora_case(c, s, m, LoraForm::Segmented); }},
      {"lora_bgmv", "tokens, H, H_out, slots", {45, 200, 130, 6}, {D::F32, D::BF16},
       [](const Case &c, uint64_t s, Mutation m) { return lora_case(c, s, m, LoraForm::Gathered); }},
      {"lora_linear", "tokens, K, N, slots", {40, 130, 70, 5}, {D::F32, D::BF16}, lora_linear_case},
  };
  return entries;
}

const KernelEntry &entry(const std::string &kernel) {
  for (const KernelEntry &e : registry())
    if (kernel == e.name)
      return e;
  std::string known;
  for (const KernelEntry &e : registry())
    known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw Error(ErrorCode::InvalidArgument, "unknown kernel '" + kernel + "' (known: " + known + ")");
}

} // namespace

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (const KernelEntry &e : registry())
    names.push_back(e.name);
  return names;
}

std::vector<std::string> backends() {
  std::vector<std::string> names;
  for (const TargetDescription &d : available_targets())
    if (d.executes)
      names.push_back(d.name);
  return names;
}

void require_backend(const std::string &backend) {
  TargetDescription described;
  try {
    described = describe_target(backend);
  } catch (const Error &unknown) {
    throw Error(ErrorCode::InvalidArgument, "unknown backend '" + backend + "': " + unknown.what());
  }
  if (!described.executes)
    throw Error(ErrorCode::InvalidArgument, "backend '" + backend + "' does not run kernels here");
}

std::string kernel_shape_help(const std::string &kernel) { return entry(kernel).shape_help; }

std::vector<Case> default_cases(const std::string &kernel, const std::vector<std::string> &backendList) {
  std::vector<Case> cases;
  for (const KernelEntry &e : registry()) {
    if (!kernel.empty() && kernel != e.name)
      continue;
    for (const std::string &backend : backendList)
      for (DType dtype : e.dtypes)
        cases.push_back({e.name, backend, dtype, e.shape});
  }
  if (cases.empty() && !kernel.empty())
    entry(kernel); // throws the unknown-kernel error
  return cases;
}

Record run(const Case &c, uint64_t base_seed, Mutation mutation) {
  Record r;
  r.what = c;
  r.seed = case_seed(c, base_seed);
  try {
    const KernelEntry &e = entry(c.kernel);
    require_backend(c.backend);
    Outcome o = e.run(c, r.seed, mutation);
    r.status = o.check.ok() ? Status::Pass : Status::Fail;
    r.elements = o.check.count;
    r.failures = o.check.failures;
    r.unwritten = o.check.unwritten;
    r.max_abs_error = o.check.max_abs_error;
    r.max_rel_error = o.check.max_rel_error;
    r.worst_ratio = o.check.worst_ratio;
    r.ms = o.ms;
    r.input_hash = o.input_hash;
    r.output_hash = o.output_hash;
    r.values = std::move(o.values);
    r.bounds = std::move(o.bounds);
    if (!o.check.ok())
      r.message = o.check.summary();
  } catch (const Error &e) {
    // A kernel the backend cannot compile yet is reported as such, with the reason.
    bool unsupported = e.code() == ErrorCode::CompileError || e.code() == ErrorCode::Unsupported;
    r.status = unsupported ? Status::Unsupported : Status::Error;
    r.message = e.what();
  }
  return r;
}

} // namespace tegula::xcheck
