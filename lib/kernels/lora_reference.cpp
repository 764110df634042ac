// fp64 references for the multi-LoRA kernels and their bounds (lora.h).
#include "tegula/kernels/lora.h"
#include "tegula/kernels/reference.h"

#include <cmath>

namespace tegula::kernels {

namespace {
constexpr double kC = 2.0;

int32_t rank_of(const LoraWeights &wt, int32_t adapter) {
  return adapter < 0 ? 0 : wt.ranks->as<int32_t>()[adapter];
}

/// t[tok] = x[tok] A^T with |x| |A|^T alongside (f32 accumulation over `length`).
void shrink_into(const std::vector<double> &X, const std::vector<double> &A, const LoraWeights &wt, int32_t adapter,
                 int64_t tok, int64_t hidden, double *t, double *tAbs) {
  const int32_t rank = rank_of(wt, adapter);
  for (int64_t r = 0; r < wt.max_rank; ++r) {
    double value = 0, magnitude = 0;
    if (r < rank)
      for (int64_t h = 0; h < hidden; ++h) {
        double p = X[tok * hidden + h] * A[(adapter * wt.max_rank + r) * hidden + h];
        value += p;
        magnitude += std::abs(p);
      }
    t[r] = value;
    tAbs[r] = magnitude;
  }
}
} // namespace

LoraReference reference_lora_shrink(const Buffer &x, const LoraWeights &wt, const std::vector<int32_t> &adapters,
                                    int64_t hidden) {
  const std::vector<double> X = to_doubles(x), A = to_doubles(*wt.a);
  const double u = unit_roundoff(DType::F32);
  const int64_t tokens = static_cast<int64_t>(adapters.size());
  LoraReference r;
  r.value.assign(tokens * wt.max_rank, 0.0);
  r.bound.assign(r.value.size(), 0.0);
  std::vector<double> magnitude(wt.max_rank);
  for (int64_t tok = 0; tok < tokens; ++tok) {
    shrink_into(X, A, wt, adapters[tok], tok, hidden, &r.value[tok * wt.max_rank], magnitude.data());
    for (int64_t k = 0; k < wt.max_rank; ++k)
      r.bound[tok * wt.max_rank + k] = kC * (hidden + 1) * u * magnitude[k];
  }
  return r;
}

LoraReference reference_lora_expand(const Buffer &t, const LoraWeights &wt, const std::vector<int32_t> &adapters,
                                    const Buffer &y_before, int64_t hidden_out) {
  const std::vector<double> T = to_doubles(t), B = to_doubles(*wt.b), Y = to_doubles(y_before);
  const double u = unit_roundoff(DType::F32), uOut = unit_roundoff(y_before.dtype());
  const double tiny = half_subnormal_spacing(y_before.dtype());
  const int64_t tokens = static_cast<int64_t>(adapters.size());
  auto scales = wt.scales->as<float>();
  LoraReference r;
  r.value.assign(tokens * hidden_out, 0.0);
  r.bound.assign(r.value.size(), 0.0);
  for (int64_t tok = 0; tok < tokens; ++tok) {
    const int32_t adapter = adapters[tok], rank = rank_of(wt, adapter);
    for (int64_t o = 0; o < hidden_out; ++o) {
      const double before = Y[tok * hidden_out + o];
      double delta = 0, magnitude = 0;
      for (int64_t k = 0; k < rank; ++k) {
        double p = T[tok * wt.max_rank + k] * B[(adapter * hidden_out + o) * wt.max_rank + k];
        delta += p;
        magnitude += std::abs(p);
      }
      const double scale = adapter < 0 ? 0.0 : scales[adapter];
      const double value = before + scale * delta;
      r.value[tok * hidden_out + o] = value;
      // Unchanged rows are compared exactly (the kernel does not write them).
      // The segmented form rounds scale * t to the adapters' type before the product.
      r.bound[tok * hidden_out + o] =
          adapter < 0 ? 0.0
                      : kC * ((rank + 2) * u + uOut) * (std::abs(scale) * magnitude + std::abs(before)) +
                            uOut * std::abs(value) + tiny;
    }
  }
  return r;
}

LoraReference reference_lora_linear(const Buffer &x, const Buffer &w, const LoraWeights &wt,
                                    const std::vector<int32_t> &adapters, int64_t K, int64_t N) {
  const std::vector<double> X = to_doubles(x), W = to_doubles(w), A = to_doubles(*wt.a), B = to_doubles(*wt.b);
  const double u = unit_roundoff(DType::F32), uOut = unit_roundoff(x.dtype());
  const double tiny = half_subnormal_spacing(x.dtype());
  const int64_t tokens = static_cast<int64_t>(adapters.size());
  auto scales = wt.scales->as<float>();
  LoraReference r;
  r.value.assign(tokens * N, 0.0);
  r.bound.assign(r.value.size(), 0.0);
  std::vector<double> t(wt.max_rank), tAbs(wt.max_rank);
  for (int64_t tok = 0; tok < tokens; ++tok) {
    const int32_t adapter = adapters[tok], rank = rank_of(wt, adapter);
    shrink_into(X, A, wt, adapter, tok, K, t.data(), tAbs.data());
    const double scale = adapter < 0 ? 0.0 : scales[adapter];
    for (int64_t n = 0; n < N; ++n) {
      double value = 0, magnitude = 0;
      for (int64_t k = 0; k < K; ++k) {
        double p = X[tok * K + k] * W[k * N + n];
        value += p;
        magnitude += std::abs(p);
      }
      // The update goes through t (f32, off by up to (K + 1) u |x||A|^T).
      double update = 0, updateMagnitude = 0;
      for (int64_t k = 0; k < rank; ++k) {
        double b = B[(adapter * N + n) * wt.max_rank + k];
        update += t[k] * b;
        updateMagnitude += (std::abs(t[k]) + (K + 1) * u * tAbs[k]) * std::abs(b);
      }
      value += scale * update;
      r.value[tok * N + n] = value;
      // scale * t is rounded to the input type before the update's product.
      r.bound[tok * N + n] = kC * (K + rank + 2) * u * (magnitude + std::abs(scale) * updateMagnitude) +
                             kC * uOut * std::abs(scale) * updateMagnitude + uOut * std::abs(value) + tiny;
    }
  }
  return r;
}

} // namespace tegula::kernels
