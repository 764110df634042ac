// Shared by the e2e tests: fresh, printed seeds and the run-and-check helpers.
#ifndef TEGULA_TESTS_E2E_TESTING_H
#define TEGULA_TESTS_E2E_TESTING_H

#include "tegula/kernels/reference.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace tegula::testing {

/// One base seed per test run: TEGULA_TEST_SEED if set, else the clock. Printed once,
/// so any failure can be replayed with the same inputs.
inline uint64_t base_seed() {
  static const uint64_t seed = [] {
    const char *env = std::getenv("TEGULA_TEST_SEED");
    uint64_t s = env ? std::strtoull(env, nullptr, 10)
                     : static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
    std::printf("TEGULA_TEST_SEED=%llu (set it to replay this run)\n", static_cast<unsigned long long>(s));
    return s;
  }();
  return seed;
}

/// A seed for one case: fresh per run and per case, reproducible from the base seed.
inline uint64_t case_seed(const std::string &tag) {
  return base_seed() ^ std::hash<std::string>{}(tag);
}

/// `count` elements uniform in [-2, 2) from the case seed of `tag` (printed where a
/// check fails).
inline Buffer random_buffer(DType dtype, int64_t count, const std::string &tag) {
  Buffer b(dtype, static_cast<size_t>(count));
  const uint64_t seed = case_seed(tag);
  INFO(tag << ": seed " << seed);
  kernels::fill_uniform(b, seed, -2.0, 2.0);
  return b;
}

} // namespace tegula::testing

#endif
