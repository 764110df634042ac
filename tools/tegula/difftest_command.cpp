#include "difftest_command.h"

#include "tegula/difftest/difftest.h"

#include <cstdio>
#include <sstream>
#include <vector>

namespace tegula::cli {

int run_difftest_command(int programs, uint64_t seed, const std::string &backends_csv) {
  std::vector<std::string> backends;
  std::stringstream csv(backends_csv.empty() ? std::string("cpu,maia") : backends_csv);
  for (std::string b; std::getline(csv, b, ',');)
    if (!b.empty())
      backends.push_back(b);
  if (programs < 1 || backends.empty()) {
    std::fprintf(stderr, "xcheck --programs needs a positive count and at least one backend\n");
    return 2;
  }
  std::printf("difftest: %d random programs from seed %llu on %s\n", programs, static_cast<unsigned long long>(seed),
              backends_csv.empty() ? "cpu,maia" : backends_csv.c_str());
  std::fflush(stdout);
  difftest::Report report = difftest::run_programs(programs, seed, backends, stdout);
  // Program i is generate(seed + i), so one program replays alone with its own seed.
  std::printf("replay program i alone: tegula xcheck --programs 1 --seed %llu+i [--backend B]\n",
              static_cast<unsigned long long>(seed));
  return report.ok() ? 0 : 1;
}

} // namespace tegula::cli
