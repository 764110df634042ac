// The library kernels, each a function of tegula._tegula that takes buffers and sizes
// (tegula/kernels.py checks shapes and makes outputs). Compiled kernels are kept per
// target, dtype and configuration; launches run without the GIL.
#include "kernels.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/norms.h"
#include "tegula/runtime/error.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace tegula::python {

namespace {

using kernels::Activation;

/// One compiled kernel object per key, made once (compiling happens in the factory,
/// without the GIL: the caller has released it).
template <typename K> std::shared_ptr<const K> cached(const std::string &key, const std::function<K()> &make) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const void>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end())
      return std::static_pointer_cast<const K>(it->second);
  }
  auto made = std::make_shared<const K>(make());
  std::lock_guard<std::mutex> lock(mutex);
  return std::static_pointer_cast<const K>(cache.emplace(key, made).first->second);
}

std::string key_of(std::initializer_list<std::string> parts) {
  std::string key;
  for (const std::string &p : parts)
    key += p + "|";
  return key;
}
std::string str(int64_t v) { return std::to_string(v); }
std::string str(DType d) { return std::string(dtype_name(d)); }
/// Every digit: eps is compiled into the norms, so 1e-7 and 1e-8 are different kernels.
std::string exact(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

Activation activation_arg(const std::string &name) {
  for (Activation a : {Activation::None, Activation::Relu, Activation::Gelu, Activation::Silu})
    if (name == kernels::activation_name(a))
      return a;
  throw Error(ErrorCode::InvalidArgument, "gemm: unknown activation '" + name + "' (none, relu, gelu, silu)");
}

void vector_add(const std::string &target, PyBuffer &x, PyBuffer &y, PyBuffer &out, int64_t n) {
  auto k = cached<kernels::VectorAdd>(key_of({"vector_add", target, str(x.dtype())}),
                                      [&] { return kernels::VectorAdd(x.dtype(), target); });
  (*k)(*x.buffer, *y.buffer, *out.buffer, n);
}

void softmax(const std::string &target, PyBuffer &x, PyBuffer &y, int64_t M, int64_t N) {
  const kernels::SoftmaxConfig config = kernels::default_softmax_config(target, N);
  auto k = cached<kernels::Softmax>(key_of({"softmax", target, str(x.dtype()), str(config.n_multiple), str(config.block)}),
                                    [&] { return kernels::Softmax(x.dtype(), target, {}, config); });
  (*k)(*x.buffer, *y.buffer, M, N);
}

void gemm(const std::string &target, PyBuffer &a, PyBuffer &b, PyBuffer * bias, PyBuffer &c, int64_t M,
          int64_t N, int64_t K, const std::string &activation, bool allow_tf32) {
  kernels::GemmConfig config = allow_tf32 ? kernels::default_tf32_gemm_config(target, M, N, K)
                                          : kernels::default_gemm_config(target, M, N, K);
  config.bias = bias != nullptr;
  config.activation = activation_arg(activation);
  const std::string key =
      key_of({"gemm", target, str(a.dtype()), str(config.BM), str(config.BN), str(config.BK), str(config.num_warps),
              str(config.num_stages), str(config.kn_multiple), str(config.bias), activation, str(allow_tf32)});
  auto k = cached<kernels::Gemm>(key, [&] { return kernels::Gemm(a.dtype(), target, {}, config); });
  if (config.bias)
    (*k)(*a.buffer, *b.buffer, *bias->buffer, *c.buffer, M, N, K);
  else
    (*k)(*a.buffer, *b.buffer, *c.buffer, M, N, K);
}

void rms_norm(const std::string &target, PyBuffer &x, PyBuffer &w, PyBuffer &y, int64_t M, int64_t N, double eps) {
  const kernels::NormConfig config = kernels::default_norm_config(target, N, eps);
  auto k = cached<kernels::RmsNorm>(
      key_of({"rms_norm", target, str(x.dtype()), str(config.block), str(config.n_multiple), exact(eps)}),
      [&] { return kernels::RmsNorm(x.dtype(), target, {}, config); });
  (*k)(*x.buffer, *w.buffer, *y.buffer, M, N);
}

void layer_norm(const std::string &target, PyBuffer &x, PyBuffer &w, PyBuffer &b, PyBuffer &y, int64_t M, int64_t N,
                double eps) {
  const kernels::NormConfig config = kernels::default_norm_config(target, N, eps);
  auto k = cached<kernels::LayerNorm>(
      key_of({"layer_norm", target, str(x.dtype()), str(config.block), str(config.n_multiple), exact(eps)}),
      [&] { return kernels::LayerNorm(x.dtype(), target, {}, config); });
  (*k)(*x.buffer, *w.buffer, *b.buffer, *y.buffer, M, N);
}

std::shared_ptr<const kernels::Attention> attention_kernel(const std::string &target, DType dtype, int64_t head_dim,
                                                           bool causal, bool lse) {
  if (head_dim <= 0 || head_dim > 1024)
    throw Error(ErrorCode::InvalidArgument, "attention: head dimension " + str(head_dim) + " is out of range");
  const kernels::AttentionConfig config =
      kernels::default_attention_config(target, static_cast<int>(head_dim), causal, lse);
  return cached<kernels::Attention>(key_of({"attention", target, str(dtype), str(head_dim), str(causal), str(lse)}),
                                    [&] { return kernels::Attention(dtype, target, {}, config); });
}

void attention(const std::string &target, PyBuffer &q, PyBuffer &k, PyBuffer &v, PyBuffer &out,
               PyBuffer * lse, int64_t batch, int64_t seqlen_q, int64_t seqlen_k, int64_t heads_q,
               int64_t heads_kv, int64_t head_dim, double scale, bool causal) {
  const bool with_lse = lse != nullptr;
  auto kernel = attention_kernel(target, q.dtype(), head_dim, causal, with_lse);
  (*kernel)(*q.buffer, *k.buffer, *v.buffer, *out.buffer, with_lse ? lse->buffer.get() : nullptr, batch, seqlen_q,
            seqlen_k, heads_q, heads_kv, scale);
}

void attention_varlen(const std::string &target, PyBuffer &q, PyBuffer &k, PyBuffer &v, PyBuffer &cu_q,
                      PyBuffer &cu_k, PyBuffer &out, PyBuffer * lse, int64_t batch, int64_t heads_q,
                      int64_t heads_kv, int64_t total_q, int64_t total_k, int64_t head_dim, double scale,
                      bool causal) {
  const bool with_lse = lse != nullptr;
  auto kernel = attention_kernel(target, q.dtype(), head_dim, causal, with_lse);
  kernels::AttentionShape shape;
  shape.batch = batch;
  shape.heads_q = heads_q;
  shape.heads_kv = heads_kv;
  shape.total_q = total_q;
  shape.total_k = total_k;
  shape.scale = scale;
  kernel->varlen(*q.buffer, *k.buffer, *v.buffer, *cu_q.buffer, *cu_k.buffer, *out.buffer,
                 with_lse ? lse->buffer.get() : nullptr, shape);
}

/// The adapters and the mapping as the LoRA kernels take them.
struct Lora {
  kernels::LoraWeights weights;
  kernels::LoraMapping mapping;
  kernels::LoraForm form;
};
Lora lora_args(PyBuffer &a, PyBuffer &b, PyBuffer &ranks, PyBuffer &scales, int64_t slots, int64_t max_rank,
               PyBuffer * segment_starts, PyBuffer &adapters, int64_t segments) {
  Lora l;
  l.weights = {a.buffer.get(), b.buffer.get(), ranks.buffer.get(), scales.buffer.get(), slots, max_rank};
  const bool segmented = segment_starts != nullptr;
  l.form = segmented ? kernels::LoraForm::Segmented : kernels::LoraForm::Gathered;
  l.mapping = segmented ? kernels::LoraMapping::segmented(*segment_starts->buffer, *adapters.buffer, segments)
                        : kernels::LoraMapping::gathered(*adapters.buffer);
  return l;
}
const char *form_name(kernels::LoraForm f) { return f == kernels::LoraForm::Segmented ? "segmented" : "gathered"; }

void lora_shrink(const std::string &target, PyBuffer &x, PyBuffer &a, PyBuffer &b, PyBuffer &ranks, PyBuffer &scales,
                 int64_t slots, int64_t max_rank, PyBuffer * segment_starts, PyBuffer &adapters,
                 int64_t segments, PyBuffer &t, int64_t tokens, int64_t hidden, int64_t hidden_out) {
  Lora l = lora_args(a, b, ranks, scales, slots, max_rank, segment_starts, adapters, segments);
  const kernels::LoraConfig config = kernels::default_lora_config(target, l.form, max_rank, hidden, hidden_out);
  auto k = cached<kernels::LoraShrink>(
      key_of({"lora_shrink", target, str(x.dtype()), form_name(l.form), str(config.rank_tile),
              str(config.hidden_multiple), str(config.num_stages)}),
      [&] { return kernels::LoraShrink(x.dtype(), target, {}, config); });
  (*k)(*x.buffer, l.weights, l.mapping, *t.buffer, tokens, hidden);
}

void lora_expand(const std::string &target, PyBuffer &t, PyBuffer &a, PyBuffer &b, PyBuffer &ranks, PyBuffer &scales,
                 int64_t slots, int64_t max_rank, PyBuffer * segment_starts, PyBuffer &adapters,
                 int64_t segments, PyBuffer &y, int64_t tokens, int64_t hidden, int64_t hidden_out) {
  Lora l = lora_args(a, b, ranks, scales, slots, max_rank, segment_starts, adapters, segments);
  const kernels::LoraConfig config = kernels::default_lora_config(target, l.form, max_rank, hidden, hidden_out);
  auto k = cached<kernels::LoraExpand>(
      key_of({"lora_expand", target, str(y.dtype()), form_name(l.form), str(config.rank_tile),
              str(config.hidden_multiple), str(config.num_stages)}),
      [&] { return kernels::LoraExpand(y.dtype(), target, {}, config); });
  (*k)(*t.buffer, l.weights, l.mapping, *y.buffer, tokens, hidden_out);
}

void lora_linear(const std::string &target, PyBuffer &x, PyBuffer &w, PyBuffer &a, PyBuffer &b, PyBuffer &ranks,
                 PyBuffer &scales, int64_t slots, int64_t max_rank, PyBuffer * segment_starts,
                 PyBuffer &adapters, int64_t segments, PyBuffer &t, PyBuffer &y, int64_t tokens, int64_t K, int64_t N) {
  Lora l = lora_args(a, b, ranks, scales, slots, max_rank, segment_starts, adapters, segments);
  const kernels::LoraConfig config = kernels::default_lora_config(target, l.form, max_rank, K, N);
  auto k = cached<kernels::LoraLinear>(
      key_of({"lora_linear", target, str(x.dtype()), form_name(l.form), str(config.rank_tile),
              str(config.hidden_multiple), str(config.num_stages)}),
      [&] { return kernels::LoraLinear(x.dtype(), target, {}, config); });
  (*k)(*x.buffer, *w.buffer, l.weights, l.mapping, *t.buffer, *y.buffer, tokens, K, N);
}

} // namespace

void bind_kernels(nb::module_ &m) {
  using nb::arg;
  const auto release = nb::call_guard<nb::gil_scoped_release>();
  m.def("vector_add", &vector_add, arg("target"), arg("x"), arg("y"), arg("out"), arg("n"), release);
  m.def("softmax", &softmax, arg("target"), arg("x"), arg("y"), arg("M"), arg("N"), release);
  m.def("gemm", &gemm, arg("target"), arg("a"), arg("b"), arg("bias").none(), arg("c"), arg("M"), arg("N"), arg("K"),
        arg("activation"), arg("allow_tf32"), release);
  m.def("rms_norm", &rms_norm, arg("target"), arg("x"), arg("w"), arg("y"), arg("M"), arg("N"), arg("eps"), release);
  m.def("layer_norm", &layer_norm, arg("target"), arg("x"), arg("w"), arg("b"), arg("y"), arg("M"), arg("N"),
        arg("eps"), release);
  m.def("attention", &attention, arg("target"), arg("q"), arg("k"), arg("v"), arg("out"), arg("lse").none(),
        arg("batch"), arg("seqlen_q"), arg("seqlen_k"), arg("heads_q"), arg("heads_kv"), arg("head_dim"),
        arg("scale"), arg("causal"), release);
  m.def("attention_varlen", &attention_varlen, arg("target"), arg("q"), arg("k"), arg("v"), arg("cu_seqlens_q"),
        arg("cu_seqlens_k"), arg("out"), arg("lse").none(), arg("batch"), arg("heads_q"), arg("heads_kv"),
        arg("total_q"), arg("total_k"), arg("head_dim"), arg("scale"), arg("causal"), release);
  m.def("lora_shrink", &lora_shrink, arg("target"), arg("x"), arg("a"), arg("b"), arg("ranks"), arg("scales"),
        arg("slots"), arg("max_rank"), arg("segment_starts").none(), arg("adapters"), arg("segments"), arg("t"),
        arg("tokens"), arg("hidden"), arg("hidden_out"), release);
  m.def("lora_expand", &lora_expand, arg("target"), arg("t"), arg("a"), arg("b"), arg("ranks"), arg("scales"),
        arg("slots"), arg("max_rank"), arg("segment_starts").none(), arg("adapters"), arg("segments"), arg("y"),
        arg("tokens"), arg("hidden"), arg("hidden_out"), release);
  m.def("lora_linear", &lora_linear, arg("target"), arg("x"), arg("w"), arg("a"), arg("b"), arg("ranks"),
        arg("scales"), arg("slots"), arg("max_rank"), arg("segment_starts").none(), arg("adapters"),
        arg("segments"), arg("t"), arg("y"), arg("tokens"), arg("K"), arg("N"), release);
}

} // namespace tegula::python
