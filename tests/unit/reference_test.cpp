// The checking machinery itself: reproducible inputs, and a tolerance policy that
// catches the mutations docs/correctness.md names (transposed operand, off-by-one, dropped scale).
#include "tegula/kernels/reference.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("Philox draws are a pure function of seed and index", "[reference]") {
  CHECK(philox_uniform(7, 12345) == philox_uniform(7, 12345));
  CHECK(philox_uniform(7, 12345) != philox_uniform(8, 12345));
  std::set<double> seen;
  double lo = 1, hi = -1;
  for (uint64_t i = 0; i < 10000; ++i) {
    double v = philox_uniform(3, i);
    seen.insert(v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  CHECK(seen.size() == 10000);
  CHECK(lo >= -1.0);
  CHECK(hi < 1.0);
  CHECK(lo < -0.99);
  CHECK(hi > 0.99);
}

namespace {
/// A GEMM result computed honestly in f32, then optionally mutated.
Buffer f32_gemm(const Buffer &a, const Buffer &b, int64_t M, int64_t N, int64_t K, bool transpose_b, float scale,
                int64_t skip_last_k) {
  Buffer c(DType::F32, M * N);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      float acc = 0;
      for (int64_t k = 0; k < K - skip_last_k; ++k) {
        float bv = transpose_b ? b.as<float>()[j * K + k] : b.as<float>()[k * N + j];
        acc += a.as<float>()[i * K + k] * bv;
      }
      c.as<float>()[i * N + j] = acc * scale;
    }
  return c;
}
} // namespace

TEST_CASE("the GEMM policy passes f32 results and fails each mutation", "[reference]") {
  const int64_t M = 37, N = 37, K = 53; // square in M,N so a transposed B has the same size
  Buffer a(DType::F32, M * K), b(DType::F32, K * N);
  fill_uniform(a, 11);
  fill_uniform(b, 12);
  std::vector<double> absProduct;
  auto ref = reference_gemm(a, b, M, N, K, &absProduct);
  auto bound = gemm_bound(absProduct, K);
  CHECK(check(f32_gemm(a, b, M, N, K, false, 1.0f, 0), ref, bound).ok());
  CHECK_FALSE(check(f32_gemm(a, b, M, N, K, false, 1.0f, 1), ref, bound).ok()); // off-by-one in K
  CHECK_FALSE(check(f32_gemm(a, b, M, N, K, false, 0.5f, 0), ref, bound).ok()); // dropped scale
  // Transposed operand: read B as if it were stored N x K.
  Buffer bSquare(DType::F32, K * K);
  fill_uniform(bSquare, 13);
  auto refSquare = reference_gemm(a, bSquare, M, K, K, &absProduct);
  auto boundSquare = gemm_bound(absProduct, K);
  CHECK(check(f32_gemm(a, bSquare, M, K, K, false, 1.0f, 0), refSquare, boundSquare).ok());
  CHECK_FALSE(check(f32_gemm(a, bSquare, M, K, K, true, 1.0f, 0), refSquare, boundSquare).ok());
}

TEST_CASE("poisoned (unwritten) outputs fail the check", "[reference]") {
  Buffer out(DType::F32, 8);
  std::vector<double> ref(8, 1.0), bound(8, 1e-6);
  for (int i = 0; i < 8; ++i)
    out.as<float>()[i] = 1.0f;
  CHECK(check(out, ref, bound).ok());
  out.as<uint32_t>()[5] = 0xFFFFFFFFu;
  auto r = check(out, ref, bound);
  CHECK_FALSE(r.ok());
  CHECK(r.unwritten == 1);
  CHECK(r.first_failure == 5);
}
