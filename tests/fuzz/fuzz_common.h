// What every fuzz target shares: the contract that bad input is refused with a
// tegula::Error and nothing else. Any other exception escaping a parser (a
// std::out_of_range from a stoi, say) is a bug the fuzzer must report, so it aborts.
#ifndef TEGULA_TESTS_FUZZ_COMMON_H
#define TEGULA_TESTS_FUZZ_COMMON_H

#include "tegula/runtime/error.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace tegula::fuzz {

template <typename F> void expect_clean_refusal(F &&body) {
  try {
    body();
  } catch (const tegula::Error &) {
    // A clear refusal: what every malformed input must get.
  } catch (const std::exception &e) {
    std::fprintf(stderr, "a non-tegula exception escaped: %s\n", e.what());
    std::abort();
  }
}

/// Aborts with `what` when a property the input did not break fails.
inline void require(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "property failed: %s\n", what);
    std::abort();
  }
}

} // namespace tegula::fuzz

#endif
