// Running a library kernel on fresh, seeded inputs of one shape, with its output
// poisoned, and checking it against the fp64 reference: shared by the tests of every
// target, so each target is held to the same policy by the same code. With a device,
// the buffers are allocated on it (maia-sim: resident in its simulated HBM).
#ifndef TEGULA_TESTS_E2E_KERNEL_CHECKS_H
#define TEGULA_TESTS_E2E_KERNEL_CHECKS_H

#include "testing.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/device.h"

#include <string>

namespace tegula::testing {

inline Buffer make_buffer(const Device *device, DType dtype, size_t count) {
  return device ? device->allocate(dtype, count) : Buffer(dtype, count);
}

inline void check_gemm(const kernels::Gemm &gemm, DType dtype, int64_t M, int64_t N, int64_t K,
                       const std::string &tag, const Device *device = nullptr) {
  uint64_t seed = case_seed(tag);
  INFO(tag << " seed " << seed);
  Buffer a = make_buffer(device, dtype, M * K), b = make_buffer(device, dtype, K * N),
         c = make_buffer(device, DType::F32, M * N);
  kernels::fill_uniform(a, seed);
  kernels::fill_uniform(b, seed + 1);
  c.fill_bytes(0xFF);
  gemm(a, b, c, M, N, K);
  std::vector<double> absProduct;
  auto ref = kernels::reference_gemm(a, b, M, N, K, &absProduct);
  auto result = kernels::check(c, ref, kernels::gemm_bound(absProduct, K));
  INFO(result.summary());
  CHECK(result.ok());
}

inline void check_softmax(const std::string &target, DType dtype, int64_t M, int64_t N) {
  std::string tag = target + " softmax " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + "x" +
                    std::to_string(N);
  uint64_t seed = case_seed(tag);
  INFO(tag << " seed " << seed);
  kernels::Softmax softmax(dtype, target, {}, kernels::default_softmax_config(target, N));
  Buffer x(dtype, M * N), y(dtype, M * N);
  kernels::fill_uniform(x, seed, -6.0, 6.0);
  y.fill_bytes(0xFF);
  softmax(x, y, M, N);
  auto ref = kernels::reference_softmax(x, M, N);
  auto result = kernels::check(y, ref, kernels::softmax_bound(ref, N, dtype));
  INFO(result.summary());
  CHECK(result.ok());
}

inline void check_vector_add(const kernels::VectorAdd &add, DType dtype, int64_t n, const std::string &tag,
                             const Device *device = nullptr) {
  uint64_t seed = case_seed(tag);
  INFO(tag << " seed " << seed);
  Buffer x = make_buffer(device, dtype, n), y = make_buffer(device, dtype, n), out = make_buffer(device, dtype, n);
  kernels::fill_uniform(x, seed);
  kernels::fill_uniform(y, seed + 1);
  out.fill_bytes(0xFF);
  add(x, y, out, n);
  auto ref = kernels::reference_vector_add(x, y, n);
  auto result = kernels::check(out, ref, kernels::vector_add_bound(ref, dtype));
  INFO(result.summary());
  CHECK(result.ok());
}

} // namespace tegula::testing

#endif
