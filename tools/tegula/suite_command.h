// `tegula xcheck --suite language`: the language conformance suite on every target,
// with the checked-in lists of what each target refuses.
#ifndef TEGULA_TOOLS_TEGULA_SUITE_COMMAND_H
#define TEGULA_TOOLS_TEGULA_SUITE_COMMAND_H

#include <cstdint>
#include <string>

namespace tegula::cli {

struct SuiteRequest {
  std::string suite;    ///< "language" (the only suite)
  std::string filter;   ///< run the cases whose name contains this ("" for all)
  std::string backends; ///< comma-separated; empty: every backend that executes here
  uint64_t seed = 1;
  std::string json;           ///< where to write the records
  std::string expect_refused; ///< a folder of <backend>.txt refusal lists to hold the run to
  std::string write_refused;  ///< a folder to write each backend's refusal list into
  int jobs = 1;               ///< cases assembled at once; on executing targets, compiled
                              ///< at once ahead of their serial runs
  /// Comma-separated backends on which each case runs in its first dtype only: a pass
  /// over every construct for a target whose code another target's full run covers.
  std::string first_dtype_on;
};

/// Prints the table, the refusals grouped by reason and the failures; 0 when nothing
/// failed and every refusal list (when given) matches.
int run_suite_command(const SuiteRequest &request);

} // namespace tegula::cli

#endif
