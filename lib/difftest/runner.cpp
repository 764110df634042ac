// Running programs on a backend and checking them against the fp64 reference; the
// batch driver with its tallies, grouped refusals and minimized failures.
#include "kernel.h"

#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <sstream>

namespace tegula::difftest {
namespace {

std::string first_line(const std::string &text) { return text.substr(0, text.find('\n')); }

Result error(Status status, const std::string &message) {
  Result r;
  r.status = status;
  r.message = first_line(message);
  return r;
}

/// Whether output element `i` still holds every byte of the 0xFF poison. For i32 that
/// is -1, a value a program can produce, so it only counts where -1 is not expected.
bool poisoned(const Buffer &out, size_t i, double expected) {
  size_t size = dtype_size(out.dtype());
  const auto *bytes = static_cast<const unsigned char *>(out.data()) + i * size;
  for (size_t b = 0; b < size; ++b)
    if (bytes[b] != 0xFF)
      return false;
  return dtype_is_float(out.dtype()) || expected != -1;
}

std::string where_is(const Program &p, int64_t i) {
  std::ostringstream os;
  switch (p.root->shape) {
  case Shape::Row: os << "out[" << i << "] (block row " << i / p.N << ", col " << i % p.N << ")"; break;
  case Shape::Col: os << "out[" << i << "] (block col " << i / p.M << ", row " << i % p.M << ")"; break;
  default: os << "out[" << i << "] (row " << i / p.N << ", col " << i % p.N << ")"; break;
  }
  return os.str();
}

void compare(const Program &p, const Buffer &out, const Reference &ref, Result &r) {
  double tiny = dtype_is_float(p.dtype) ? kernels::half_subnormal_spacing(p.dtype) : 0;
  r.elements = ref.value.size();
  for (size_t i = 0; i < ref.value.size(); ++i) {
    double got = kernels::read_element(out, i), want = ref.value[i];
    bool unwritten = poisoned(out, i, want);
    double limit = kBoundFactor * ref.bound[i] + tiny;
    double err = std::fabs(got - want);
    bool bad = unwritten || std::isnan(got) || (std::isfinite(limit) && err > limit);
    if (!unwritten && std::isfinite(limit) && !std::isnan(got))
      r.worst_ratio = std::max(r.worst_ratio, limit > 0 ? err / limit : (err > 0 ? INFINITY : 0.0));
    if (!bad)
      continue;
    (unwritten ? r.unwritten : r.failures)++;
    if (r.bad_index < 0) {
      r.bad_index = static_cast<int64_t>(i);
      r.got = got, r.expected = want, r.bound = limit;
    }
  }
  if (r.failures || r.unwritten) {
    r.status = Status::Fail;
    std::ostringstream os;
    os.precision(9);
    os << where_is(p, r.bad_index) << ": got " << r.got << ", expected " << r.expected << ", bound " << r.bound << " ("
       << r.failures << " of " << r.elements << " elements outside the bound, " << r.unwritten << " unwritten)";
    r.message = os.str();
  } else {
    r.status = Status::Pass;
  }
}
} // namespace

uint64_t input_seed_for(uint64_t program_seed) { return program_seed * 0x9e3779b97f4a7c15ull + 17; }

Result run_against(const Program &kernel_program, const Program &reference_program, const std::string &backend,
                   uint64_t input_seed) {
  std::string why;
  if (!validate(kernel_program, &why) || !validate(reference_program, &why))
    return error(Status::Error, "invalid program: " + why);
  const Program &rp = reference_program;
  if (kernel_program.M != rp.M || kernel_program.N != rp.N || kernel_program.BM != rp.BM ||
      kernel_program.BN != rp.BN || kernel_program.dtype != rp.dtype || kernel_program.root->shape != rp.root->shape)
    return error(Status::Error, "the kernel and reference programs differ in sizes or output");
  dsl::TracedKernel traced;
  try {
    traced = detail::trace_program(kernel_program);
  } catch (const std::exception &e) {
    // A generated program that does not trace is a bug here or in the DSL, not a refusal.
    return error(Status::Error, std::string("trace: ") + e.what());
  }
  std::shared_ptr<const CompiledKernel> kernel;
  try {
    kernel = compile_traced(traced, backend);
  } catch (const Error &e) {
    bool refused = e.code() == ErrorCode::CompileError || e.code() == ErrorCode::Unsupported;
    return error(refused ? Status::Refused : Status::Error, detail::name_sites(e.what()));
  } catch (const std::exception &e) {
    return error(Status::Error, std::string("compile: ") + e.what());
  }
  Inputs in = make_inputs(rp, input_seed);
  Buffer out(rp.dtype, output_count(rp));
  out.fill_bytes(0xFF);
  try {
    kernel->launch(Grid((rp.M + rp.BM - 1) / rp.BM, (rp.N + rp.BN - 1) / rp.BN), in.x0, in.x1, in.row, in.col, out,
                   rp.M, rp.N);
  } catch (const std::exception &e) {
    return error(Status::Error, std::string("launch: ") + e.what());
  }
  Result r;
  compare(rp, out, evaluate(rp, in), r);
  return r;
}

Result run(const Program &program, const std::string &backend, uint64_t input_seed) {
  return run_against(program, program, backend, input_seed);
}

namespace {
bool same_failure(const Result &a, const Result &b) {
  if (a.status != b.status)
    return false;
  // Errors must keep their first line; wrong values may move to another element.
  return a.status != Status::Error || a.message == b.message;
}
} // namespace

Report run_programs(int count, uint64_t seed, const std::vector<std::string> &backends, std::FILE *log) {
  Report rep;
  rep.programs = count;
  rep.seed = seed;
  rep.backends = backends;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    uint64_t ps = program_seed(seed, i);
    Program p = generate(ps);
    uint64_t is = input_seed_for(ps);
    bool failed = false;
    for (const std::string &backend : backends) {
      Result r = run(p, backend, is);
      BackendTally &t = rep.tally[backend];
      t.worst_ratio = std::max(t.worst_ratio, r.worst_ratio);
      switch (r.status) {
      case Status::Pass: ++t.pass; continue;
      case Status::Refused: ++t.refused, ++t.refusals[r.message]; continue;
      case Status::Fail: ++t.fail; break;
      case Status::Error: ++t.error, ++t.errors[r.message]; break;
      }
      failed = true;
      if (!log)
        continue;
      std::fprintf(log, "program %d (seed %llu) %s on %s: %s\n", i, static_cast<unsigned long long>(ps),
                   status_name(r.status), backend.c_str(), r.message.c_str());
      std::fflush(log);
      Program small = minimize(p, [&](const Program &c) { return same_failure(run(c, backend, is), r); });
      Result again = run(small, backend, is);
      std::fprintf(log, "minimized from %zu to %zu nodes (M = %lld, N = %lld, BM = %lld, BN = %lld):\n%s",
                   node_count(p.root), node_count(small.root), static_cast<long long>(small.M),
                   static_cast<long long>(small.N), static_cast<long long>(small.BM), static_cast<long long>(small.BN),
                   to_dsl(small).c_str());
      std::fprintf(log, "minimized program %s: %s\nreplay: tegula xcheck --programs 1 --seed %llu --backend %s\n\n",
                   status_name(again.status), again.message.c_str(), static_cast<unsigned long long>(ps),
                   backend.c_str());
      std::fflush(log);
    }
    if (failed)
      rep.failing_seeds.push_back(ps);
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (log) {
    std::fputs(summary(rep).c_str(), log);
    std::fflush(log);
  }
  return rep;
}

std::string summary(const Report &rep) {
  std::ostringstream os;
  os.precision(3);
  for (const std::string &b : rep.backends) {
    auto it = rep.tally.find(b);
    BackendTally t = it == rep.tally.end() ? BackendTally{} : it->second;
    os << b << ": " << rep.programs << " programs (seed " << rep.seed << "): " << t.pass << " pass, " << t.fail
       << " fail, " << t.refused << " refused, " << t.error << " error; worst error/bound " << t.worst_ratio << "\n";
    auto grouped = [&](const char *what, const std::map<std::string, int> &m) {
      std::vector<std::pair<int, std::string>> sorted;
      for (const auto &[msg, n] : m)
        sorted.push_back({-n, msg});
      std::sort(sorted.begin(), sorted.end());
      for (const auto &[n, msg] : sorted)
        os << "  " << what << " " << -n << "x: " << msg << "\n";
    };
    grouped("refused", t.refusals);
    grouped("error", t.errors);
  }
  os << "time " << rep.seconds << " s";
  if (!rep.failing_seeds.empty()) {
    os << "; failing program seeds:";
    for (uint64_t s : rep.failing_seeds)
      os << " " << s;
  }
  os << "\n";
  return os.str();
}

} // namespace tegula::difftest
