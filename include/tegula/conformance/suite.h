// The language conformance suite (`tegula xcheck --suite language`): one small kernel
// per construct and idiom of docs/language.md, each for the dtypes it accepts and at
// several shapes (one not a multiple of its block, one of a single element), run on a
// target and checked against an fp64 reference. A case is PASS, FAIL or REFUSED on a
// target; a refusal is the target's compile error, naming the construct.
#ifndef TEGULA_CONFORMANCE_SUITE_H
#define TEGULA_CONFORMANCE_SUITE_H

#include "tegula/xcheck/xcheck.h"

#include <set>
#include <string>
#include <vector>

namespace tegula::conformance {

/// Every (case, dtype, shape) of the suite on `backends`, in suite order; `filter`
/// keeps the cases whose name contains it ("" keeps all).
std::vector<xcheck::Case> suite_cases(const std::string &filter, const std::vector<std::string> &backends);

/// The construct of docs/language.md a case exercises ("arithmetic", "dot", ...).
std::string construct_of(const std::string &case_name);

/// Runs one case (its kernel name is the suite case's name). Status Pass or Fail from
/// the comparison, Unsupported when the target refused to compile the kernel (the
/// message is the refusal), Error for anything else that went wrong.
xcheck::Record run_case(const xcheck::Case &c, uint64_t base_seed);

/// Compiles one case's kernels into the compile cache, launching nothing and ignoring
/// what fails (run_case reports it): several threads compile ahead this way, so that the
/// cases then run one at a time with their kernels ready.
void compile_case(const xcheck::Case &c, uint64_t base_seed);

/// The key a refusal is listed under: "case dtype shape" (shape as "37x45").
std::string refusal_key(const xcheck::Case &c);

/// A refusal list: one key per line ("case dtype shape"), then optionally "  # reason".
/// Blank lines and lines starting with '#' are ignored. Throws Error(LoadError) naming
/// the file and line of a malformed entry.
std::set<std::string> parse_refusal_list(const std::string &text, const std::string &file);
/// The list for `records` of one backend, with each refusal's reason as a comment.
std::string format_refusal_list(const std::vector<xcheck::Record> &records);

} // namespace tegula::conformance

#endif
