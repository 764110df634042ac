// `tegula xcheck --programs N --seed S [--backend B,...]`: differential testing of
// the kernel language with random programs against their fp64 evaluation.
#ifndef TEGULA_TOOLS_TEGULA_DIFFTEST_COMMAND_H
#define TEGULA_TOOLS_TEGULA_DIFFTEST_COMMAND_H

#include <cstdint>
#include <string>

namespace tegula::cli {

/// Runs programs seed, seed + 1, ..., seed + programs - 1 on every backend in the
/// comma-separated list (empty: every target that executes here) and prints failures (minimized, as DSL)
/// and one summary line per backend. Returns 0 when nothing failed or errored
/// (refusals are not failures), 1 otherwise, 2 for bad arguments.
int run_difftest_command(int programs, uint64_t seed, const std::string &backends_csv);

} // namespace tegula::cli

#endif
