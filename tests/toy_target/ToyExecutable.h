// The toy target's executable: a host kernel, run by the toy driver, which counts its
// launches. Shared by the toy's compile target (which makes it) and its driver.
#ifndef TEGULA_TESTS_TOY_TARGET_TOY_EXECUTABLE_H
#define TEGULA_TESTS_TOY_TARGET_TOY_EXECUTABLE_H

#include "tegula/runtime/driver.h"

#include <cstdint>

namespace tegula::toy {

struct ToyExecutable final : Executable {
  static constexpr const char *kDriver = "toy";
  ToyExecutable(Kernel host, int k) : host(std::move(host)), k(k) {}
  std::string driver() const override { return kDriver; }
  Kernel host; ///< the same code for the host's driver
  int k;       ///< the target option it was compiled with
};

/// Launches the toy driver has run in this process.
int64_t launch_count();

} // namespace tegula::toy

#endif
