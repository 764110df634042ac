#include "tegula/kernels/gemm_epilogue.h"
#include "tegula/kernels/reference.h"

#include <cmath>

namespace tegula::kernels {

namespace {
double apply(double x, Activation activation) {
  switch (activation) {
  case Activation::None: return x;
  case Activation::Relu: return x > 0 ? x : 0.0;
  case Activation::Gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case Activation::Silu: return x / (1.0 + std::exp(-x));
  }
  return x;
}
} // namespace

std::vector<double> reference_epilogue(const std::vector<double> &gemm, const Buffer *bias, int64_t M, int64_t N,
                                       Activation activation) {
  std::vector<double> out(gemm.size());
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j)
      out[i * N + j] = apply(gemm[i * N + j] + (bias ? read_element(*bias, j) : 0.0), activation);
  return out;
}

std::vector<double> epilogue_bound(const std::vector<double> &gemm, const std::vector<double> &gemm_bound,
                                   const Buffer *bias, int64_t M, int64_t N, Activation activation) {
  const double u = unit_roundoff(DType::F32);
  const double slope = activation == Activation::None ? 1.0 : 1.13;
  std::vector<double> bound(gemm.size());
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double pre = gemm[i * N + j] + (bias ? read_element(*bias, j) : 0.0);
      double in = gemm_bound[i * N + j] + (bias ? u * std::fabs(pre) : 0.0);
      double eval = activation == Activation::None ? 0.0 : 8 * u * (std::fabs(pre) + std::fabs(apply(pre, activation)));
      bound[i * N + j] = slope * in + eval + std::ldexp(1.0, -140);
    }
  return bound;
}

} // namespace tegula::kernels
