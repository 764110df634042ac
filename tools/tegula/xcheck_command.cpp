// `tegula xcheck`: the cross-backend checker's command line.
#include "xcheck_command.h"

#include "tegula/compiler/compile.h"
#include "tegula/runtime/error.h"
#include "tegula/xcheck/xcheck.h"

#include <cstdio>
#include <filesystem>
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

/// A record file, with each record's outputs file made relative to where we run.
std::vector<xcheck::Record> read_records(const std::string &path) {
  std::vector<xcheck::Record> records = xcheck::from_json(read_text(path));
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  for (xcheck::Record &r : records)
    if (!r.outputs_file.empty() && std::filesystem::path(r.outputs_file).is_relative())
      r.outputs_file = (folder / r.outputs_file).string();
  return records;
}

int compare_files(const std::vector<std::string> &files) {
  if (files.empty() || files.size() > 2)
    throw Error(ErrorCode::InvalidArgument, "--compare takes one record file (backend against backend) or two");
  auto a = read_records(files[0]);
  xcheck::Comparison c = files.size() == 2 ? xcheck::compare(a, read_records(files[1])) : xcheck::compare_backends(a);
  for (const std::string &line : c.lines)
    std::printf("%s\n", line.c_str());
  if (files.size() == 2)
    std::printf("\nrun against run: %d matched, %d identical, %d in one file only\n", c.matched, c.identical,
                c.only_one);
  std::printf("backend against backend: %d pairs, %d identical, largest difference %s of its bound\n",
              c.backend_pairs, c.backend_identical, c.worst_pair_ratio > 0 ? std::to_string(c.worst_pair_ratio).c_str() : "0");
  std::printf("%d mismatched: %s\n", c.mismatched, c.ok() ? "the records agree" : "THE RECORDS DISAGREE");
  return c.ok() ? 0 : 1;
}

} // namespace

std::vector<std::string> split_commas(const std::string &text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');)
    parts.push_back(part);
  return parts;
}

void write_records(const std::vector<xcheck::Record> &records, const std::string &path) {
  std::ofstream file(path);
  if (!file)
    throw Error(ErrorCode::InvalidArgument, "cannot write '" + path + "'");
  file << xcheck::to_json(records);
  std::printf("records written to %s\n", path.c_str());
}

int run_xcheck_command(const XcheckRequest &request) {
  if (!request.compare.empty())
    return compare_files(request.compare);
  std::vector<std::string> backends = request.backends.empty() ? xcheck::backends() : split_commas(request.backends);
  if (!request.planted_bug.empty()) {
    // Each backend that can plant the bug, with it planted; the others are left out.
    std::vector<std::string> planting;
    for (const std::string &b : backends) {
      const std::string with = b + (b.find(':') == std::string::npos ? ":" : ",") + "plant-bug=" + request.planted_bug;
      try {
        describe_target(with);
        planting.push_back(with);
      } catch (const Error &) {
        std::printf("xcheck: %s plants no '%s'; left out\n", b.c_str(), request.planted_bug.c_str());
      }
    }
    if (planting.empty())
      throw Error(ErrorCode::InvalidArgument,
                  "unknown mutation '" + request.planted_bug +
                      "': not a kernel mutation (transposed-operand, mask-off-by-one, dropped-scale) and no backend "
                      "plants it");
    backends = planting;
  }
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
              static_cast<unsigned long long>(request.seed),
              request.planted_bug.empty() ? kernels::mutation_name(request.mutation) : request.planted_bug.c_str());
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
  if (!request.save_outputs.empty()) {
    xcheck::save_outputs(records, request.save_outputs);
    // The records name their outputs relative to the JSON file's folder.
    const std::filesystem::path base = std::filesystem::absolute(request.json.empty() ? "." : request.json).parent_path();
    for (xcheck::Record &r : records)
      if (!r.outputs_file.empty())
        r.outputs_file = std::filesystem::relative(std::filesystem::absolute(r.outputs_file), base).string();
    std::printf("outputs written to %s\n", request.save_outputs.c_str());
  }
  if (!request.json.empty())
    write_records(records, request.json);
  return failed == 0 ? 0 : 1;
}

} // namespace tegula::cli
