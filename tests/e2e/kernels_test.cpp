// Library kernels on the CPU against the fp64 reference, over odd sizes (1, primes,
// non-multiples of every block) and every input dtype; outputs are poisoned first so an
// unwritten element fails.
#include "kernel_checks.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <array>
#include <optional>

using namespace tegula;
using namespace tegula::kernels;
using tegula::testing::case_seed;

using tegula::testing::check_gemm;
using tegula::testing::check_softmax;
using tegula::testing::check_vector_add;

TEST_CASE("gemm matches the reference for any M, N, K and dtype", "[e2e][gemm]") {
  const std::vector<std::array<int64_t, 3>> shapes{
      {1, 1, 1}, {1, 67, 13}, {67, 1, 13}, {13, 17, 1}, {64, 64, 32}, {65, 63, 33}, {127, 131, 97}, {200, 3, 257}};
  for (DType dtype : {DType::F32, DType::F16, DType::BF16}) {
    Gemm gemm(dtype);
    for (auto [M, N, K] : shapes)
      check_gemm(gemm, dtype, M, N, K,
                 "gemm " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + "x" + std::to_string(N) + "x" +
                     std::to_string(K));
  }
}

TEST_CASE("gemm with a small, odd configuration still covers every edge", "[e2e][gemm]") {
  check_gemm(Gemm(DType::F32, "cpu", {}, GemmConfig{16, 8, 4}), DType::F32, 37, 29, 11, "gemm small config");
  // A configuration whose blocks the microkernel takes (multiples of 8 x 32) on shapes
  // that leave partial blocks on every edge.
  check_gemm(Gemm(DType::BF16, "cpu", {}, GemmConfig{32, 64, 16}), DType::BF16, 100, 130, 47, "gemm 32x64x16");
}

TEST_CASE("softmax matches the reference across row lengths and dtypes", "[e2e][softmax]") {
  const std::vector<std::array<int64_t, 2>> shapes{{1, 1}, {1, 7}, {5, 1}, {3, 255}, {7, 257}, {33, 1031}, {2, 3001}};
  for (DType dtype : {DType::F32, DType::F16, DType::BF16})
    for (auto [M, N] : shapes)
      check_softmax("cpu", dtype, M, N);
}

TEST_CASE("softmax with a block shorter than the row takes the online path", "[e2e][softmax]") {
  Softmax softmax(DType::F32, "cpu", {}, SoftmaxConfig{3, 16});
  const int64_t M = 10, N = 101;
  uint64_t seed = case_seed("softmax online");
  INFO("seed " << seed);
  Buffer x(DType::F32, M * N), y(DType::F32, M * N);
  fill_uniform(x, seed, -20.0, 20.0);
  y.fill_bytes(0xFF);
  softmax(x, y, M, N);
  auto ref = reference_softmax(x, M, N);
  auto result = check(y, ref, softmax_bound(ref, N, DType::F32));
  INFO(result.summary());
  CHECK(result.ok());
}

TEST_CASE("vector add matches the reference", "[e2e][vector_add]") {
  for (DType dtype : {DType::F32, DType::F16, DType::BF16}) {
    VectorAdd add(dtype);
    for (int64_t n : {1, 2, 1023, 1024, 1025, 100003})
      check_vector_add(add, dtype, n, "vector_add " + std::string(dtype_name(dtype)) + " " + std::to_string(n));
  }
}

TEST_CASE("multi-threaded launches give the single-threaded answer bit for bit", "[e2e]") {
  Gemm gemm(DType::BF16);
  const int64_t M = 150, N = 70, K = 90;
  Buffer a(DType::BF16, M * K), b(DType::BF16, K * N), c1(DType::F32, M * N), c2(DType::F32, M * N);
  uint64_t seed = case_seed("threads");
  INFO("seed " << seed);
  fill_uniform(a, seed);
  fill_uniform(b, seed + 1);
  LaunchOptions one, two;
  one.threads = 1;
  two.threads = 2;
  gemm(a, b, c1, M, N, K, one);
  gemm(a, b, c2, M, N, K, two);
  CHECK(content_hash(c1) == content_hash(c2));
}

TEST_CASE("library kernels reject wrong buffers and shapes before launching", "[e2e]") {
  Gemm gemm(DType::F32);
  Buffer a(DType::F32, 100), b(DType::F32, 100), c(DType::F32, 100), half(DType::F16, 100);
  auto code = [](auto &&f) -> std::optional<ErrorCode> {
    try {
      f();
    } catch (const Error &e) {
      return e.code();
    }
    return std::nullopt;
  };
  CHECK(code([&] { gemm(a, b, c, 10, 10, 11); }) == ErrorCode::BufferTooSmall);
  CHECK(code([&] { gemm(half, b, c, 10, 10, 10); }) == ErrorCode::DTypeMismatch);
  CHECK(code([&] { gemm(a, b, c, -1, 10, 10); }) == ErrorCode::InvalidArgument);
  Buffer none;
  CHECK(code([&] { gemm(a, none, c, 10, 10, 10); }) == ErrorCode::NullBuffer);
}
