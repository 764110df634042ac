#include "difftest_command.h"
#include "xcheck_command.h"

#include "tegula/difftest/difftest.h"

#include <cstdio>
#include <vector>

namespace tegula::cli {

int run_difftest_command(int programs, uint64_t seed, const std::string &backends_csv) {
  std::vector<std::string> backends;
  for (const std::string &b : backends_csv.empty() ? xcheck::backends() : split_commas(backends_csv))
    if (!b.empty())
      backends.push_back(b);
  std::string joined;
  for (const std::string &b : backends)
    joined += (joined.empty() ? "" : ",") + b;
  if (programs < 1 || backends.empty()) {
    std::fprintf(stderr, "xcheck --programs needs a positive count and at least one backend\n");
    return 2;
  }
  std::printf("difftest: %d random programs from seed %llu on %s\n", programs, static_cast<unsigned long long>(seed),
              joined.c_str());
  std::fflush(stdout);
  difftest::Report report = difftest::run_programs(programs, seed, backends, stdout);
  // Program i is generate(seed + i), so one program replays alone with its own seed.
  std::printf("replay program i alone: tegula xcheck --programs 1 --seed %llu+i [--backend B]\n",
              static_cast<unsigned long long>(seed));
  return report.ok() ? 0 : 1;
}

} // namespace tegula::cli
