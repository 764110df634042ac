// The cross-backend checker: every library kernel on every backend that executes in
// this build, on inputs from the counter-based generator (so every machine draws the
// same numbers for a seed), against the fp64 reference under the correctness policy.
// Records carry hashes of the inputs and outputs, so that runs on different machines
// can be compared (`tegula xcheck --json`, `--compare`).
#ifndef TEGULA_XCHECK_XCHECK_H
#define TEGULA_XCHECK_XCHECK_H

#include "tegula/kernels/mutation.h"
#include "tegula/runtime/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tegula::xcheck {

/// One kernel on one backend for one dtype and shape.
struct Case {
  std::string kernel;  ///< e.g. "gemm", "attention_causal", "lora_sgmv"
  std::string backend; ///< "cpu" or "maia"
  DType dtype = DType::F32;
  std::vector<int64_t> shape; ///< the kernel's own sizes (see kernel_shape_help)
};

enum class Status { Pass, Fail, Unsupported, Error };
const char *status_name(Status status);

struct Record {
  Case what;
  uint64_t seed = 0;
  Status status = Status::Error;
  uint64_t elements = 0, failures = 0, unwritten = 0;
  double max_abs_error = 0, max_rel_error = 0, worst_ratio = 0; ///< worst error / bound
  double ms = 0;      ///< one launch: host wall time (cpu) or simulated time (maia)
  uint64_t input_hash = 0, output_hash = 0;
  std::string message; ///< why it failed or is unsupported
  std::string shape_text() const;
};

/// The library kernels xcheck knows, and the backends that execute here.
std::vector<std::string> kernel_names();
std::vector<std::string> backends();
/// What the sizes of a kernel's shape mean.
std::string kernel_shape_help(const std::string &kernel);

/// The default sweep: for each kernel (all when `kernel` is empty) and backend, its
/// dtypes and shapes (sizes that are not multiples of the blocks).
std::vector<Case> default_cases(const std::string &kernel, const std::vector<std::string> &backends);

/// Runs one case with inputs drawn from `base_seed` and the case (the same on every
/// machine), the kernel traced with `mutation`. Never throws for the kernel's own
/// failures: they become the record's status and message.
Record run(const Case &c, uint64_t base_seed, kernels::Mutation mutation = kernels::Mutation::None);

/// The table, one row per record.
std::string table(const std::vector<Record> &records);
std::string to_json(const std::vector<Record> &records);
/// Throws Error(LoadError) naming what is malformed.
std::vector<Record> from_json(const std::string &text);

/// Two runs, usually from different machines, record by record (same kernel, backend,
/// dtype, shape and seed): the inputs must hash the same (same generator), both must
/// pass, and outputs are reported as identical or as different within the bound.
/// Records in one run only (a backend the other machine lacks) are listed; runs with
/// no record in common do not agree.
struct Comparison {
  std::vector<std::string> lines;
  int matched = 0, identical = 0, mismatched = 0, only_one = 0;
  bool ok() const { return mismatched == 0 && matched > 0; }
};
Comparison compare(const std::vector<Record> &a, const std::vector<Record> &b);

} // namespace tegula::xcheck

#endif
