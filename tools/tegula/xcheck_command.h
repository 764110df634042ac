// `tegula xcheck`: run kernels on every backend against the fp64 reference, or compare
// two runs' records.
#ifndef TEGULA_TOOLS_TEGULA_XCHECK_COMMAND_H
#define TEGULA_TOOLS_TEGULA_XCHECK_COMMAND_H

#include "tegula/kernels/mutation.h"
#include "tegula/runtime/dtype.h"
#include "tegula/xcheck/xcheck.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tegula::cli {

struct XcheckRequest {
  std::string kernel;   ///< empty: every kernel
  std::string backends; ///< comma-separated; empty: every backend that executes here
  std::optional<DType> dtype;
  std::vector<int64_t> shape;
  uint64_t seed = 1;
  kernels::Mutation mutation = kernels::Mutation::None;
  /// A compiler bug the backends plant (their plant-bug=NAME option), where the
  /// mutation named is none of the kernel's own; backends without it are left out.
  std::string planted_bug;
  std::string json;                 ///< where to write the records
  std::string save_outputs;         ///< a folder for each case's outputs and bounds
  std::vector<std::string> compare; ///< one or two record files: compare instead of running
};

/// "a,b,c" -> {"a", "b", "c"} (backend lists).
std::vector<std::string> split_commas(const std::string &text);

/// Writes the records as JSON to `path` (Error(InvalidArgument) when it cannot) and says so.
void write_records(const std::vector<xcheck::Record> &records, const std::string &path);

/// Prints the table (or the comparison); 0 when everything passed (or agreed).
int run_xcheck_command(const XcheckRequest &request);

} // namespace tegula::cli

#endif
