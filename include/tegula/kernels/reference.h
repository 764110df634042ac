// What every check of a kernel shares: reproducible inputs (Philox, so any machine
// draws the same numbers for a seed), fp64 references, and the tolerance policy.
#ifndef TEGULA_KERNELS_REFERENCE_H
#define TEGULA_KERNELS_REFERENCE_H

#include "tegula/runtime/buffer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tegula::kernels {

/// Philox4x32-10: four 32-bit words from (seed, counter).
void philox4x32(uint64_t seed, uint64_t counter, uint32_t out[4]);
/// Uniform values in [lo, hi) for element i of stream `seed`.
double philox_uniform(uint64_t seed, uint64_t index, double lo = -1.0, double hi = 1.0);

/// Fills `buffer` with uniform values in [lo, hi), rounded to its dtype.
void fill_uniform(Buffer &buffer, uint64_t seed, double lo = -1.0, double hi = 1.0);
/// Reads element i as a double (f16/bf16 decoded).
double read_element(const Buffer &buffer, size_t i);
/// Writes element i from a double (rounded to the buffer's dtype).
void write_element(Buffer &buffer, size_t i, double value);
std::vector<double> to_doubles(const Buffer &buffer);
/// Unit roundoff of a dtype: 2^-24 for f32, 2^-8 for bf16, 2^-11 for f16.
double unit_roundoff(DType dtype);
/// Half the spacing of a dtype's subnormals: the absolute error of rounding a tiny
/// value, where a relative bound says nothing.
double half_subnormal_spacing(DType dtype);
/// 64-bit FNV-1a hash of the buffer's bytes (records compare runs with it).
uint64_t content_hash(const Buffer &buffer);

/// Element-wise comparison against a reference with per-element bounds.
struct CheckResult {
  size_t count = 0;
  size_t failures = 0;
  size_t first_failure = 0;
  size_t unwritten = 0; ///< elements still holding the poison pattern (NaN)
  double max_abs_error = 0;
  double max_rel_error = 0;
  double worst_ratio = 0; ///< max over elements of error / bound
  bool ok() const { return failures == 0 && unwritten == 0; }
  std::string summary() const;
  /// Folds in the comparison of a further output (one case may check several).
  void add(const CheckResult &other);
};
CheckResult check(const Buffer &out, const std::vector<double> &reference, const std::vector<double> &bound);

// fp64 references, from inputs exactly as the kernel sees them.
/// C[M,N] = A[M,K] B[K,N]; also |A||B| into `abs_product` for the error bound.
std::vector<double> reference_gemm(const Buffer &a, const Buffer &b, int64_t M, int64_t N, int64_t K,
                                   std::vector<double> *abs_product = nullptr);
std::vector<double> reference_softmax(const Buffer &x, int64_t M, int64_t N);
std::vector<double> reference_vector_add(const Buffer &x, const Buffer &y, int64_t n);

// The tolerance policy (docs/correctness.md).
/// GEMM: c * (K + 1) * u_acc * (|A||B|)_ij with c = 2 and u_acc the f32 unit roundoff.
std::vector<double> gemm_bound(const std::vector<double> &abs_product, int64_t K);
/// Softmax: c * (N + 8) * u * y_ij + a few ulps of the output, with c = 2.
std::vector<double> softmax_bound(const std::vector<double> &reference, int64_t N, DType out);
/// Vector add: one rounding to the output type.
std::vector<double> vector_add_bound(const std::vector<double> &reference, DType out);

} // namespace tegula::kernels

#endif
