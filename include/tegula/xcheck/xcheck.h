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
  std::string backend; ///< a target that executes in this build (xcheck::backends())
  DType dtype = DType::F32;
  std::vector<int64_t> shape; ///< the kernel's own sizes (see kernel_shape_help)
};

/// Assembled: compiled for a target that does not run here, down to the loadable object
/// its vendor's tools accept, with no spills; nothing was run or compared.
enum class Status { Pass, Fail, Unsupported, Error, Assembled };
const char *status_name(Status status);

struct Record {
  Case what;
  uint64_t seed = 0;
  Status status = Status::Error;
  uint64_t elements = 0, failures = 0, unwritten = 0;
  double max_abs_error = 0, max_rel_error = 0, worst_ratio = 0; ///< worst error / bound
  double ms = 0;      ///< one launch: host wall time, or the simulated machine's time
  uint64_t input_hash = 0, output_hash = 0;
  std::string message; ///< why it failed or is unsupported
  /// The outputs as they were compared with the reference, and each element's bound
  /// (in memory only: save_outputs writes them to a file the JSON names).
  std::vector<double> values, bounds;
  /// Where save_outputs wrote values and bounds ("" when not saved); in a JSON file,
  /// relative to that file's folder.
  std::string outputs_file;
  std::string shape_text() const;
};

/// The library kernels xcheck knows, and the backends that execute here.
std::vector<std::string> kernel_names();
std::vector<std::string> backends();
/// Throws Error(InvalidArgument) unless `backend` is a target, with its options
/// ("gpu-emu:gfx942"), that runs kernels here.
void require_backend(const std::string &backend);
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

/// Writes each record's values and bounds to `dir/<case>.f64` (dir is created) and sets
/// its outputs_file to that path. Throws Error(InvalidArgument) when it cannot write.
void save_outputs(std::vector<Record> &records, const std::string &dir);
/// Reads what save_outputs wrote for `record` into its values and bounds; false when it
/// has no outputs file. Throws Error(LoadError) naming a file that is missing or malformed.
bool load_outputs(Record &record);

/// Two runs, usually from different machines, record by record (same kernel, backend,
/// dtype, shape and seed): the inputs must hash the same (same generator), both must
/// pass, and outputs are reported as identical or as different within the bound.
/// Records in one run only (a backend the other machine lacks) are listed; runs with
/// no record in common do not agree.
///
/// Then vendor against vendor: every pair of passing records of the same kernel, dtype,
/// shape and seed on two different backends (from either run) is reported identical
/// or not and, when both have outputs (in memory or saved), with the largest
/// difference between them relative to the policy's bound of each element.
struct Comparison {
  std::vector<std::string> lines;
  int matched = 0, identical = 0, mismatched = 0, only_one = 0;
  int backend_pairs = 0, backend_identical = 0;
  int cross_run_pairs = 0;     ///< backend pairs with one record from each run
  double worst_pair_ratio = 0; ///< largest |a - b| / bound over the pairs measured
  bool two_runs = false;
  /// Nothing disagrees, and something was compared: for two runs, a record of one run
  /// against one of the other (same backend, or two backends).
  bool ok() const {
    return mismatched == 0 && (two_runs ? matched + cross_run_pairs > 0 : backend_pairs > 0);
  }
};
Comparison compare(const std::vector<Record> &a, const std::vector<Record> &b);
/// Vendor against vendor within one run.
Comparison compare_backends(const std::vector<Record> &records);

} // namespace tegula::xcheck

#endif
