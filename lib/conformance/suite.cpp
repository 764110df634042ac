// The suite's registry, its runner and the refusal lists.
#include "tegula/conformance/suite.h"

#include "harness.h"

#include <algorithm>
#include <sstream>

namespace tegula::conformance {

namespace {

const std::vector<SuiteCase> &registry() {
  static const std::vector<SuiteCase> cases = [] {
    std::vector<SuiteCase> all;
    add_arithmetic_cases(all);
    add_math_cases(all);
    add_shape_cases(all);
    add_reduction_cases(all);
    add_memory_cases(all);
    add_control_cases(all);
    add_dot_cases(all);
    add_random_cases(all);
    add_tutorial_cases(all);
    return all;
  }();
  return cases;
}

const SuiteCase &entry(const std::string &name) {
  for (const SuiteCase &c : registry())
    if (c.name == name)
      return c;
  throw Error(ErrorCode::InvalidArgument, "unknown conformance case '" + name + "'");
}

/// The same derivation as the library kernels' cases: every backend sees the same inputs.
uint64_t case_seed(const xcheck::Case &c, uint64_t base) {
  uint64_t h = 1469598103934665603ull ^ base;
  for (unsigned char ch : refusal_key(c)) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h & 0x7fffffffffffffffull;
}

std::string first_line(const std::string &text) { return text.substr(0, text.find('\n')); }

} // namespace

std::vector<xcheck::Case> suite_cases(const std::string &filter, const std::vector<std::string> &backends) {
  std::vector<xcheck::Case> out;
  for (const SuiteCase &c : registry()) {
    if (!filter.empty() && c.name.find(filter) == std::string::npos)
      continue;
    for (const std::string &backend : backends)
      for (DType d : c.dtypes)
        for (const auto &shape : c.shapes)
          out.push_back({c.name, backend, d, shape});
  }
  if (out.empty() && !filter.empty())
    throw Error(ErrorCode::InvalidArgument, "no conformance case matches '" + filter + "'");
  return out;
}

std::string construct_of(const std::string &case_name) { return entry(case_name).construct; }

std::string refusal_key(const xcheck::Case &c) {
  std::string shape;
  for (int64_t d : c.shape)
    shape += (shape.empty() ? "" : "x") + std::to_string(d);
  return c.kernel + " " + std::string(dtype_name(c.dtype)) + " " + shape;
}

xcheck::Record run_case(const xcheck::Case &c, uint64_t base_seed) {
  xcheck::Record r;
  r.what = c;
  r.seed = case_seed(c, base_seed);
  try {
    const SuiteCase &sc = entry(c.kernel);
    Run run(c.backend, c.dtype, c.shape, r.seed);
    sc.run(run);
    if (run.assembling()) {
      r.status = run.spills == 0 ? xcheck::Status::Assembled : xcheck::Status::Fail;
      r.message = "registers " + std::to_string(run.registers) + ", spills " + std::to_string(run.spills) +
                  ", scratch bytes " + std::to_string(run.scratch_bytes) +
                  (run.sgpr_spills ? ", scalar registers spilled to vector lanes " + std::to_string(run.sgpr_spills)
                                   : std::string());
      return r;
    }
    r.status = run.check.ok() ? xcheck::Status::Pass : xcheck::Status::Fail;
    r.elements = run.check.count;
    r.failures = run.check.failures;
    r.unwritten = run.check.unwritten;
    r.max_abs_error = run.check.max_abs_error;
    r.max_rel_error = run.check.max_rel_error;
    r.worst_ratio = run.check.worst_ratio;
    r.ms = run.ms;
    r.input_hash = run.input_hash;
    r.output_hash = run.output_hash;
    r.values = std::move(run.values);
    r.bounds = std::move(run.bounds);
    if (!run.check.ok())
      r.message = run.note.empty() ? run.check.summary() : run.note;
  } catch (const Refused &refused) {
    r.status = xcheck::Status::Unsupported;
    r.message = first_line(refused.message);
  } catch (const Error &e) {
    r.status = xcheck::Status::Error;
    r.message = first_line(e.what());
  } catch (const std::exception &e) {
    r.status = xcheck::Status::Error;
    r.message = first_line(e.what());
  }
  return r;
}

void compile_case(const xcheck::Case &c, uint64_t base_seed) {
  try {
    Run run(c.backend, c.dtype, c.shape, case_seed(c, base_seed));
    run.compile_only = true;
    entry(c.kernel).run(run);
  } catch (...) {
    // run_case meets the same failure and reports it.
  }
}

std::set<std::string> parse_refusal_list(const std::string &text, const std::string &file) {
  std::set<std::string> keys;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const size_t hash = line.find('#');
    std::string key = line.substr(0, hash);
    key.erase(key.find_last_not_of(" \t\r") + 1);
    key.erase(0, std::min(key.size(), key.find_first_not_of(" \t")));
    if (key.empty())
      continue;
    std::istringstream words(key);
    std::string name, dtype, shape, extra;
    words >> name >> dtype >> shape >> extra;
    if (shape.empty() || !extra.empty())
      throw Error(ErrorCode::LoadError, file + ":" + std::to_string(number) +
                                            ": expected 'case dtype shape' (e.g. 'arith.add f32 1000'), got '" + key +
                                            "'");
    if (!keys.insert(name + " " + dtype + " " + shape).second)
      throw Error(ErrorCode::LoadError, file + ":" + std::to_string(number) + ": '" + key + "' is listed twice");
  }
  return keys;
}

std::string format_refusal_list(const std::vector<xcheck::Record> &records) {
  std::ostringstream out;
  for (const xcheck::Record &r : records)
    if (r.status == xcheck::Status::Unsupported)
      out << refusal_key(r.what) << "  # " << r.message << "\n";
  return out.str();
}

} // namespace tegula::conformance
