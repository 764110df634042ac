// RMSNorm and LayerNorm against the fp64 reference: f32, f16 and bf16, rows and
// columns not multiples of the block, outputs poisoned, inputs with a non-zero mean.
#include "testing.h"

#include "tegula/kernels/norms.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <array>

using namespace tegula;
using namespace tegula::kernels;

namespace {

void check_norm(bool layer, DType dtype, int64_t M, int64_t N, double eps, const std::string &target = "cpu") {
  std::string tag = target + " " + std::string(layer ? "layer_norm " : "rms_norm ") + std::string(dtype_name(dtype)) + " " +
                    std::to_string(M) + "x" + std::to_string(N);
  uint64_t seed = testing::case_seed(tag);
  INFO(tag << " seed " << seed);
  NormConfig config = default_norm_config(target, N, eps);
  Buffer x(dtype, M * N), w(dtype, N), b(dtype, N), y(dtype, M * N);
  fill_uniform(x, seed, -2.0, 3.0);
  fill_uniform(w, seed + 1, 0.5, 1.5);
  fill_uniform(b, seed + 2, -1.0, 1.0);
  y.fill_bytes(0xFF);
  std::vector<double> ref, bound;
  if (layer) {
    LayerNorm(dtype, target, {}, config)(x, w, b, y, M, N);
    ref = reference_layer_norm(x, w, b, M, N, eps);
    bound = layer_norm_bound(x, w, b, ref, M, N, eps, dtype);
  } else {
    RmsNorm(dtype, target, {}, config)(x, w, y, M, N);
    ref = reference_rms_norm(x, w, M, N, eps);
    bound = rms_norm_bound(ref, N, dtype);
  }
  auto result = check(y, ref, bound);
  INFO(result.summary());
  CHECK(result.ok());
}

} // namespace

TEST_CASE("rms_norm and layer_norm match the fp64 reference on the CPU", "[e2e][norms]") {
  for (DType dtype : {DType::F32, DType::F16, DType::BF16})
    for (auto [M, N] : std::vector<std::array<int64_t, 2>>{{1, 1}, {5, 7}, {9, 1031}, {6, 4096}, {3, 2500}}) {
      check_norm(false, dtype, M, N, 1e-6);
      check_norm(true, dtype, M, N, 1e-5);
    }
}

TEST_CASE("norm bounds reject a kernel that drops the scale or the shift", "[e2e][norms]") {
  // Mutations applied to the reference stand in for a wrong kernel: the policy's
  // bound must not accept them.
  const int64_t M = 4, N = 300;
  uint64_t seed = testing::case_seed("norm mutation");
  INFO("seed " << seed);
  Buffer x(DType::F32, M * N), w(DType::F32, N), b(DType::F32, N), y(DType::F32, M * N);
  fill_uniform(x, seed, -2.0, 3.0);
  fill_uniform(w, seed + 1, 0.5, 1.5);
  fill_uniform(b, seed + 2, -1.0, 1.0);
  auto ref = reference_layer_norm(x, w, b, M, N, 1e-5);
  auto bound = layer_norm_bound(x, w, b, ref, M, N, 1e-5, DType::F32);
  // No shift.
  for (int64_t i = 0; i < M * N; ++i)
    write_element(y, i, ref[i] - read_element(b, i % N));
  CHECK(!check(y, ref, bound).ok());
  // Unscaled.
  for (int64_t i = 0; i < M * N; ++i)
    write_element(y, i, (ref[i] - read_element(b, i % N)) / read_element(w, i % N) + read_element(b, i % N));
  CHECK(!check(y, ref, bound).ok());
  // The variance with N - 1 (unbiased) instead of N.
  auto rms = reference_rms_norm(x, w, M, N, 1e-6);
  auto rmsBound = rms_norm_bound(rms, N, DType::F32);
  for (int64_t i = 0; i < M * N; ++i)
    write_element(y, i, rms[i] * std::sqrt(static_cast<double>(N - 1) / N));
  CHECK(!check(y, rms, rmsBound).ok());
}

TEST_CASE("the norms run on maia-sim within the same bounds", "[e2e][norms][maia]") {
  // The count N reaches the vector unit through cvtf, the row statistics through row
  // broadcasts, the weights and shifts through column broadcasts, and LayerNorm's
  // masked centring through tail fills; f16 loads and stores through the typed unit's
  // conversions.
  for (DType dtype : {DType::F32, DType::BF16, DType::F16})
    for (auto [M, N] : std::vector<std::array<int64_t, 2>>{{1, 1}, {5, 7}, {9, 1031}}) {
      check_norm(false, dtype, M, N, 1e-6, "maia");
      check_norm(true, dtype, M, N, 1e-5, "maia");
    }
}
