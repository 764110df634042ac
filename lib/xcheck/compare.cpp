// Comparing xcheck records: one backend across two runs (two machines), and vendor
// against vendor (two backends on the same inputs), by hash and, from saved outputs, by
// how far apart the results are relative to the policy's bound.
#include "tegula/xcheck/xcheck.h"

#include "format.h"

#include "tegula/runtime/error.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace tegula::xcheck {

namespace {

using detail::hex;
using detail::number;

std::string key_of(const Record &r) {
  return r.what.kernel + " " + r.what.backend + " " + std::string(dtype_name(r.what.dtype)) + " " + r.shape_text() +
         " seed " + std::to_string(r.seed);
}

/// The case without its backend: records that must have seen the same inputs.
std::string case_of(const Record &r) {
  return r.what.kernel + " " + std::string(dtype_name(r.what.dtype)) + " " + r.shape_text() + " seed " +
         std::to_string(r.seed);
}

constexpr char kOutputsMagic[8] = {'T', 'G', 'X', 'O', 'U', 'T', '0', '1'};

/// Every pair of passing records of one case on two backends; `run` says which run each
/// record comes from (pairs across runs are what make two runs comparable).
void compare_pairs(const std::vector<Record> &records, const std::vector<int> &run, Comparison &c) {
  std::map<std::string, std::vector<std::pair<Record, int>>> cases;
  for (size_t i = 0; i < records.size(); ++i)
    if (records[i].status == Status::Pass)
      cases[case_of(records[i])].push_back({records[i], run[i]});
  for (auto &[key, group] : cases)
    for (size_t i = 0; i < group.size(); ++i)
      for (size_t j = i + 1; j < group.size(); ++j) {
        Record &x = group[i].first, &y = group[j].first;
        if (x.what.backend == y.what.backend)
          continue; // the same backend twice: the run-against-run comparison covers it
        ++c.backend_pairs;
        c.cross_run_pairs += group[i].second != group[j].second;
        const std::string pair = x.what.backend + " vs " + y.what.backend + ": " + key;
        if (x.input_hash != y.input_hash) {
          ++c.mismatched;
          c.lines.push_back("DIFFERENT INPUTS: " + pair + ": the generators disagree");
          continue;
        }
        if (x.output_hash == y.output_hash) {
          ++c.backend_identical;
          c.lines.push_back("identical: " + pair);
          continue;
        }
        if ((x.values.empty() && !load_outputs(x)) || (y.values.empty() && !load_outputs(y)) ||
            x.values.size() != y.values.size() || x.bounds.size() != x.values.size()) {
          c.lines.push_back("within bound, not identical: " + pair + " (no saved outputs to measure the difference)");
          continue;
        }
        double largest = 0, ratio = 0;
        for (size_t e = 0; e < x.values.size(); ++e) {
          double d = std::abs(x.values[e] - y.values[e]);
          if (std::isnan(d))
            d = 0; // both NaN where the reference is: already judged by each record's check
          largest = std::max(largest, d);
          if (d > 0)
            ratio = std::max(ratio, x.bounds[e] > 0 ? d / x.bounds[e] : INFINITY);
        }
        c.worst_pair_ratio = std::max(c.worst_pair_ratio, ratio);
        c.lines.push_back("within bound, not identical: " + pair + " (largest difference " + number(largest) +
                          ", " + number(ratio) + " of its bound)");
      }
}

} // namespace

void save_outputs(std::vector<Record> &records, const std::string &dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (Record &r : records) {
    if (r.values.empty())
      continue;
    std::string name = r.what.kernel + "_" + r.what.backend + "_" + std::string(dtype_name(r.what.dtype)) + "_" +
                       r.shape_text() + "_" + std::to_string(r.seed) + ".f64";
    std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream file(path, std::ios::binary);
    uint64_t count = r.values.size();
    file.write(kOutputsMagic, sizeof kOutputsMagic);
    file.write(reinterpret_cast<const char *>(&count), sizeof count);
    file.write(reinterpret_cast<const char *>(r.values.data()), static_cast<std::streamsize>(count * sizeof(double)));
    file.write(reinterpret_cast<const char *>(r.bounds.data()), static_cast<std::streamsize>(count * sizeof(double)));
    if (!file)
      throw Error(ErrorCode::InvalidArgument, "cannot write '" + path + "'");
    r.outputs_file = path;
  }
}

bool load_outputs(Record &r) {
  if (r.outputs_file.empty())
    return false;
  std::ifstream file(r.outputs_file, std::ios::binary);
  if (!file)
    throw Error(ErrorCode::LoadError, "xcheck outputs: cannot read '" + r.outputs_file + "'");
  char magic[sizeof kOutputsMagic];
  uint64_t count = 0;
  file.read(magic, sizeof magic);
  file.read(reinterpret_cast<char *>(&count), sizeof count);
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(r.outputs_file, ec);
  if (!file || std::memcmp(magic, kOutputsMagic, sizeof magic) != 0 || ec ||
      count != (size - sizeof magic - sizeof count) / (2 * sizeof(double)) ||
      size != sizeof magic + sizeof count + count * 2 * sizeof(double))
    throw Error(ErrorCode::LoadError, "xcheck outputs: '" + r.outputs_file + "' is not an outputs file of " +
                                          key_of(r));
  r.values.resize(count);
  r.bounds.resize(count);
  file.read(reinterpret_cast<char *>(r.values.data()), static_cast<std::streamsize>(count * sizeof(double)));
  file.read(reinterpret_cast<char *>(r.bounds.data()), static_cast<std::streamsize>(count * sizeof(double)));
  if (!file)
    throw Error(ErrorCode::LoadError, "xcheck outputs: '" + r.outputs_file + "' ends early");
  return true;
}

Comparison compare(const std::vector<Record> &a, const std::vector<Record> &b) {
  Comparison c;
  std::map<std::string, const Record *> second;
  for (const Record &r : b)
    second[key_of(r)] = &r;
  std::map<std::string, bool> seen;
  for (const Record &r : a) {
    const std::string key = key_of(r);
    auto it = second.find(key);
    if (it == second.end()) {
      ++c.only_one;
      c.lines.push_back("only in the first: " + key);
      continue;
    }
    seen[key] = true;
    const Record &other = *it->second;
    if (r.status == Status::Unsupported && other.status == Status::Unsupported)
      continue;
    ++c.matched;
    if (r.input_hash != other.input_hash) {
      ++c.mismatched;
      c.lines.push_back("DIFFERENT INPUTS: " + key + " (" + hex(r.input_hash) + " vs " + hex(other.input_hash) +
                        "): the generators disagree");
    } else if (r.status != Status::Pass || other.status != Status::Pass) {
      ++c.mismatched;
      c.lines.push_back("NOT BOTH PASSING: " + key + " (" + status_name(r.status) + " vs " +
                        status_name(other.status) + ")");
    } else if (r.output_hash == other.output_hash) {
      ++c.identical;
      c.lines.push_back("identical: " + key);
    } else {
      c.lines.push_back("within bound, not identical: " + key + " (err/bound " + number(r.worst_ratio) + " vs " +
                        number(other.worst_ratio) + ")");
    }
  }
  for (const Record &r : b)
    if (!seen.count(key_of(r))) {
      ++c.only_one;
      c.lines.push_back("only in the second: " + key_of(r));
    }
  // Backend against backend over both runs; a case and backend in both runs was
  // compared above and takes part once, as the first run has it.
  std::vector<Record> pooled = a;
  std::vector<int> run(a.size(), 0);
  for (const Record &r : b)
    if (!seen.count(key_of(r))) {
      pooled.push_back(r);
      run.push_back(1);
    }
  c.two_runs = true;
  compare_pairs(pooled, run, c);
  return c;
}

Comparison compare_backends(const std::vector<Record> &records) {
  Comparison c;
  compare_pairs(records, std::vector<int>(records.size(), 0), c);
  return c;
}

} // namespace tegula::xcheck
