// `tegula xcheck`: the cross-backend checker's command line.
#include "xcheck_command.h"

#include "tegula/runtime/error.h"
#include "tegula/xcheck/xcheck.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tegula::cli {

namespace {

std::string read_text(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw Error(ErrorCode::InvalidArgument, "cannot read '" + path + "'");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> split(const std::string &text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');)
    parts.push_back(part);
  return parts;
}

} // namespace

int run_xcheck_command(const XcheckRequest &request) {
  if (!request.compare.empty()) {
    if (request.compare.size() != 2)
      throw Error(ErrorCode::InvalidArgument, "--compare takes two record files");
    auto a = xcheck::from_json(read_text(request.compare[0]));
    auto b = xcheck::from_json(read_text(request.compare[1]));
    xcheck::Comparison c = xcheck::compare(a, b);
    for (const std::string &line : c.lines)
      std::printf("%s\n", line.c_str());
    std::printf("\n%d matched, %d identical, %d mismatched, %d in one file only: %s\n", c.matched, c.identical,
                c.mismatched, c.only_one, c.ok() ? "the runs agree" : "THE RUNS DISAGREE");
    return c.ok() ? 0 : 1;
  }
  std::vector<std::string> backends = request.backends.empty() ? xcheck::backends() : split(request.backends);
  std::vector<xcheck::Case> cases = xcheck::default_cases(request.kernel, backends);
  if (request.dtype)
    std::erase_if(cases, [&](const xcheck::Case &c) { return c.dtype != *request.dtype; });
  if (!request.shape.empty()) {
    if (request.kernel.empty())
      throw Error(ErrorCode::InvalidArgument, "--shape needs a kernel name");
    for (xcheck::Case &c : cases)
      c.shape = request.shape;
  }
  std::printf("xcheck: seed %llu, mutation %s; fp64 reference, bounds of docs/correctness.md\n",
              static_cast<unsigned long long>(request.seed), kernels::mutation_name(request.mutation));
  std::vector<xcheck::Record> records;
  for (const xcheck::Case &c : cases)
    records.push_back(xcheck::run(c, request.seed, request.mutation));
  std::fputs(xcheck::table(records).c_str(), stdout);
  int failed = 0, unsupported = 0;
  for (const xcheck::Record &r : records) {
    failed += r.status == xcheck::Status::Fail || r.status == xcheck::Status::Error;
    unsupported += r.status == xcheck::Status::Unsupported;
  }
  std::printf("\n%zu cases: %zu passed, %d failed, %d not supported by their backend yet\n", records.size(),
              records.size() - failed - unsupported, failed, unsupported);
  if (!request.json.empty()) {
    std::ofstream file(request.json);
    if (!file)
      throw Error(ErrorCode::InvalidArgument, "cannot write '" + request.json + "'");
    file << xcheck::to_json(records);
    std::printf("records written to %s\n", request.json.c_str());
  }
  return failed == 0 ? 0 : 1;
}

} // namespace tegula::cli
