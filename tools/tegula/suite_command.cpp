// `tegula xcheck --suite language`: runs the conformance suite, prints one row per
// (case, dtype, shape) with a column per backend, groups refusals by reason, and holds
// each backend's refusals to its checked-in list.
#include "suite_command.h"
#include "xcheck_command.h"

#include "tegula/compiler/compile.h"
#include "tegula/conformance/suite.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace tegula::cli {

namespace {

const char *word(xcheck::Status s) {
  switch (s) {
  case xcheck::Status::Pass: return "PASS";
  case xcheck::Status::Fail: return "FAIL";
  case xcheck::Status::Unsupported: return "REFUSED";
  case xcheck::Status::Error: return "ERROR";
  case xcheck::Status::Assembled: return "ASM";
  }
  return "?";
}

/// A refusal's reason without the error-code prefix and the kernel's file and line, so
/// that refusals of one construct from different cases group together.
std::string reason_of(const std::string &message) {
  static const std::regex prefix(
      R"re(^(compile error|unsupported): (stage '[^']*' failed: )?(loc\("[^"]*":\d+:\d+\): |loc\(unknown\): |\S+:\d+(:\d+)?: )?)re");
  return std::regex_replace(message, prefix, "");
}

std::string read_text(const std::filesystem::path &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw Error(ErrorCode::InvalidArgument, "cannot read the refusal list '" + path.string() + "'");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Compares a backend's refusals with its list; prints each difference. Only keys of
/// cases that ran count, so a filtered run checks its part of the list.
bool matches_list(const std::string &backend, const std::vector<xcheck::Record> &records,
                  const std::filesystem::path &file) {
  const std::set<std::string> listed = conformance::parse_refusal_list(read_text(file), file.string());
  std::set<std::string> ran, refused;
  for (const xcheck::Record &r : records) {
    ran.insert(conformance::refusal_key(r.what));
    if (r.status == xcheck::Status::Unsupported)
      refused.insert(conformance::refusal_key(r.what));
  }
  bool ok = true;
  for (const std::string &key : refused)
    if (!listed.count(key)) {
      std::printf("NEWLY REFUSED on %s (not in %s): %s\n", backend.c_str(), file.string().c_str(), key.c_str());
      ok = false;
    }
  for (const std::string &key : listed)
    if (ran.count(key) && !refused.count(key)) {
      std::printf("NO LONGER REFUSED on %s (still in %s): %s\n", backend.c_str(), file.string().c_str(), key.c_str());
      ok = false;
    }
  std::printf("%s: %zu refusals, %s %s\n", backend.c_str(), refused.size(),
              ok ? "as listed in" : "DIFFERENT FROM", file.string().c_str());
  return ok;
}

/// A backend the suite can take: one that runs kernels here, or one whose kernels it can
/// assemble (the `resources` emit kind).
void require_suite_backend(const std::string &backend) {
  try {
    xcheck::require_backend(backend);
  } catch (const Error &) {
    const TargetDescription d = describe_target(backend);
    if (!d.emit_kind(kResourcesEmitKind))
      throw Error(ErrorCode::InvalidArgument, "backend '" + backend +
                                                  "' neither runs kernels here nor assembles them (it has no '" +
                                                  kResourcesEmitKind + "' emit kind)");
  }
}

} // namespace

int run_suite_command(const SuiteRequest &request) {
  if (request.suite != "language")
    throw Error(ErrorCode::InvalidArgument, "unknown suite '" + request.suite + "' (the suite is 'language')");
  std::vector<std::string> backends = request.backends.empty() ? xcheck::backends() : split_commas(request.backends);
  for (const std::string &b : backends)
    require_suite_backend(b);
  std::vector<xcheck::Case> cases = conformance::suite_cases(request.filter, backends);
  if (!request.first_dtype_on.empty()) {
    const std::vector<std::string> quick = split_commas(request.first_dtype_on);
    for (const std::string &b : quick)
      if (std::find(backends.begin(), backends.end(), b) == backends.end())
        throw Error(ErrorCode::InvalidArgument, "--first-dtype-on names '" + b + "', which this run does not include");
    std::map<std::pair<std::string, std::string>, DType> first; // (case, backend) -> its first dtype
    std::erase_if(cases, [&](const xcheck::Case &c) {
      if (std::find(quick.begin(), quick.end(), c.backend) == quick.end())
        return false;
      return first.try_emplace({c.kernel, c.backend}, c.dtype).first->second != c.dtype;
    });
  }
  std::string joined;
  for (const std::string &b : backends)
    joined += (joined.empty() ? "" : ",") + b;
  std::printf("conformance suite 'language': seed %llu, %zu runs on %s; fp64 references\n",
              static_cast<unsigned long long>(request.seed), cases.size(), joined.c_str());

  // Rows: (case, dtype, shape) in suite order; one column per backend.
  std::map<std::string, std::vector<xcheck::Record>> by_backend;
  std::vector<std::string> row_keys;
  std::map<std::string, std::map<std::string, const xcheck::Record *>> rows;
  std::vector<xcheck::Record> records(cases.size());
  // Cases on targets that run kernels here go one at a time (launches use the host's
  // threads, and device_print's check takes over standard output); cases that are only
  // assembled touch nothing shared but the compile cache, and go `jobs` at a time.
  std::map<std::string, bool> assembles;
  for (const std::string &b : backends)
    assembles[b] = !describe_target(b).executes;
  // With several jobs, the executing targets' kernels are compiled ahead on the same
  // threads (into the compile cache), so that their serial runs only launch and compare.
  std::atomic<size_t> next{0};
  auto assemble_some = [&] {
    for (size_t i; (i = next++) < cases.size();)
      if (assembles.at(cases[i].backend))
        records[i] = conformance::run_case(cases[i], request.seed);
      else if (request.jobs > 1)
        conformance::compile_case(cases[i], request.seed);
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < request.jobs; ++j)
    pool.emplace_back(assemble_some);
  assemble_some();
  for (std::thread &t : pool)
    t.join();
  for (size_t i = 0; i < cases.size(); ++i)
    if (!assembles.at(cases[i].backend))
      records[i] = conformance::run_case(cases[i], request.seed);
  for (const xcheck::Record &r : records) {
    const std::string key = conformance::refusal_key(r.what);
    if (!rows.count(key))
      row_keys.push_back(key);
    rows[key][r.what.backend] = &r;
    by_backend[r.what.backend].push_back(r);
  }
  std::printf("\n%-44s %-5s %-9s", "case", "dtype", "shape");
  for (const std::string &b : backends)
    std::printf(" %-8s %9s", b.c_str(), "err/bound");
  std::printf("\n");
  for (const std::string &key : row_keys) {
    std::istringstream words(key);
    std::string name, dtype, shape;
    words >> name >> dtype >> shape;
    std::printf("%-44s %-5s %-9s", name.c_str(), dtype.c_str(), shape.c_str());
    for (const std::string &b : backends) {
      const xcheck::Record *r = rows[key].count(b) ? rows[key][b] : nullptr;
      if (!r)
        std::printf(" %-8s %9s", "-", "");
      else if (r->status == xcheck::Status::Assembled) // the registers it takes
        std::printf(" %-8s %9s", word(r->status), r->message.substr(r->message.find(' ') + 1, r->message.find(',') - r->message.find(' ') - 1).c_str());
      else if (r->status == xcheck::Status::Pass || (r->status == xcheck::Status::Fail && r->elements))
        std::printf(" %-8s %9.3g", word(r->status), r->worst_ratio);
      else
        std::printf(" %-8s %9s", word(r->status), "");
    }
    std::printf("\n");
  }

  int failed = 0;
  for (const std::string &b : backends) {
    const auto &list = by_backend[b];
    int pass = 0, fail = 0, refused = 0, assembled = 0;
    int64_t most_registers = 0;
    std::map<std::string, std::pair<int, std::string>> reasons; // reason -> (count, first case)
    for (const xcheck::Record &r : list) {
      if (r.status == xcheck::Status::Pass)
        ++pass;
      else if (r.status == xcheck::Status::Assembled) {
        ++assembled;
        most_registers = std::max<int64_t>(most_registers, std::stoll(r.message.substr(r.message.find(' ') + 1)));
      }
      else if (r.status == xcheck::Status::Unsupported) {
        ++refused;
        auto &slot = reasons[reason_of(r.message)];
        if (slot.first++ == 0)
          slot.second = r.what.kernel;
      } else
        ++fail;
    }
    failed += fail;
    if (assembled)
      std::printf("\n%s: %zu runs, %d ASSEMBLED (not run: the vendor's tools accept each, no spills, at most %lld "
                  "registers), %d FAIL, %d REFUSED\n",
                  b.c_str(), list.size(), assembled, static_cast<long long>(most_registers), fail, refused);
    else
      std::printf("\n%s: %zu runs, %d PASS, %d FAIL, %d REFUSED\n", b.c_str(), list.size(), pass, fail, refused);
    if (!reasons.empty()) {
      std::printf("  refusals by reason (count, first case, reason):\n");
      for (const auto &[reason, slot] : reasons)
        std::printf("  %5d  %-36s %s\n", slot.first, slot.second.c_str(), reason.c_str());
    }
    for (const xcheck::Record &r : list)
      if (r.status == xcheck::Status::Fail || r.status == xcheck::Status::Error)
        std::printf("  %s %s on %s (seed %llu): %s\n", word(r.status), conformance::refusal_key(r.what).c_str(),
                    b.c_str(), static_cast<unsigned long long>(r.seed), r.message.c_str());
  }

  bool lists_ok = true;
  if (!request.write_refused.empty()) {
    std::filesystem::create_directories(request.write_refused);
    for (const std::string &b : backends) {
      const std::filesystem::path file = std::filesystem::path(request.write_refused) / (b + ".txt");
      std::ofstream out(file);
      if (!out)
        throw Error(ErrorCode::InvalidArgument, "cannot write '" + file.string() + "'");
      out << "# What the '" << b << "' target refuses of the language conformance suite: one\n"
          << "# 'case dtype shape' per line, the reason after '#'. Written by\n"
          << "# `tegula xcheck --suite language --backend " << b << " --write-refused <dir>`; the\n"
          << "# conformance test fails when a run refuses more or less than this list.\n";
      std::vector<xcheck::Record> sorted = by_backend[b];
      for (xcheck::Record &r : sorted)
        r.message = reason_of(r.message);
      out << conformance::format_refusal_list(sorted);
      std::printf("refusal list written to %s\n", file.string().c_str());
    }
  }
  if (!request.expect_refused.empty())
    for (const std::string &b : backends)
      lists_ok = matches_list(b, by_backend[b], std::filesystem::path(request.expect_refused) / (b + ".txt")) && lists_ok;

  if (!request.json.empty())
    write_records(records, request.json);
  if (failed)
    std::printf("\nCONFORMANCE FAILURES\n");
  else if (!lists_ok)
    std::printf("\nREFUSALS DIFFER FROM THE LIST\n");
  else
    std::printf("\nconformance: no failures%s\n", request.expect_refused.empty() ? "" : ", refusals as listed");
  return failed == 0 && lists_ok ? 0 : 1;
}

} // namespace tegula::cli
