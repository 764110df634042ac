// The device check's runner, linked to the runtime alone (no LLVM, no compiler): loads
// each case's bundle (gpu_check_prepare wrote them), draws its inputs from their Philox
// seeds into device memory, poisons its outputs, launches through the bundle's entry
// selection, and checks every output: sampled elements against their fp64 reference
// and bound, every element written, and on the small cases each byte against what
// gpu-emu wrote from the same code (held to it where the case requires the bits).
// Timed cases then run on the device's stream between CUDA events, 10 launches queued
// per measurement, `--repeats` measurements after warm-up; the median is reported.
//   gpu_check_runner DIR [--small] [--no-timing] [--repeats N] [--results FILE]
// Exit status 0 when every case passed.
#include "check_case.h"

#include "tegula/kernels/reference.h"
#include "tegula/runtime/bundle.h"
#include "tegula/runtime/cuda.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::gpu_check;

namespace {

struct Options {
  std::string dir;
  bool small = false, timing = true;
  int repeats = 10;
  std::string results;
};

struct Outcome {
  bool ok = true;
  std::string entry;  ///< the entry the bundle picked: "0 specialized" / "1 generic"
  std::string check;  ///< what the comparison found
  std::string exact;  ///< bit-for-bit against gpu-emu, or "-"
  std::string detail; ///< the first failing element, printed under the row
  double ms = 0;      ///< median of the timed launches (0: not timed)
};

std::string entry_text(const Bundle &bundle, const Kernel &chosen, int *index) {
  const auto &entries = bundle.entries();
  for (size_t i = 0; i < entries.size(); ++i)
    if (entries[i].kernel.executable() == chosen.executable()) {
      *index = static_cast<int>(i);
      bool assumes = false;
      for (const ArgSpec &a : entries[i].kernel.info().args)
        assumes |= a.multiple_of > 1;
      return std::to_string(i) + (assumes ? " specialized" : " generic");
    }
  *index = -1;
  return "?";
}

/// Units in the last place between two floats of `dtype` stored at a and b (their bit
/// patterns mapped to a line on which neighbours differ by one); 0 for integers.
uint64_t ulps_apart(const char *a, const char *b, DType dtype) {
  auto ordered = [](int64_t bits, int width) {
    const int64_t sign = int64_t{1} << (width - 1);
    return bits & sign ? -(bits & (sign - 1)) : bits;
  };
  int width = 0;
  int64_t x = 0, y = 0;
  if (dtype == DType::F32) {
    uint32_t u, v;
    std::memcpy(&u, a, 4);
    std::memcpy(&v, b, 4);
    x = u, y = v, width = 32;
  } else if (dtype == DType::F16 || dtype == DType::BF16) {
    uint16_t u, v;
    std::memcpy(&u, a, 2);
    std::memcpy(&v, b, 2);
    x = u, y = v, width = 16;
  } else
    return 0;
  const int64_t d = ordered(x, width) - ordered(y, width);
  return static_cast<uint64_t>(d < 0 ? -d : d);
}

/// Elements of `b` still holding the poison (every byte 0xFF).
size_t unwritten(const Buffer &b) {
  const size_t e = dtype_size(b.dtype());
  const auto *bytes = static_cast<const unsigned char *>(b.data());
  size_t count = 0;
  for (size_t i = 0; i < b.count(); ++i)
    count += std::all_of(bytes + i * e, bytes + (i + 1) * e, [](unsigned char c) { return c == 0xFF; });
  return count;
}

char buf[256];
template <typename... A> std::string format(const char *f, A... a) {
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

Outcome run_case(const Options &options, const Device &device, const CheckCase &c) {
  Outcome o;
  const Bundle bundle = Bundle::load(options.dir + "/" + c.bundle);
  std::vector<Buffer> buffers;
  buffers.reserve(c.args.size());
  std::vector<Arg> args;
  for (const CaseArg &a : c.args) {
    if (!a.buffer()) {
      buffers.emplace_back();
      if (a.kind == CaseArg::Kind::Integer)
        args.emplace_back(a.integer);
      else
        args.emplace_back(static_cast<float>(a.real));
      continue;
    }
    buffers.push_back(device.allocate(a.dtype, std::max<size_t>(1, a.count)));
    Buffer &b = buffers.back();
    if (a.kind == CaseArg::Kind::Uniform)
      kernels::fill_uniform(b, a.seed, a.lo, a.hi);
    else if (a.kind == CaseArg::Kind::Values)
      for (size_t i = 0; i < a.values.size(); ++i)
        kernels::write_element(b, i, a.values[i]);
    else
      b.fill_bytes(0xFF);
    args.emplace_back(b);
  }
  int picked = -1;
  o.entry = entry_text(bundle, bundle.select(device, c.grid, args), &picked);
  bundle.launch(device, c.grid, args);

  // Every output element written; sampled elements within their bounds.
  size_t checked = 0, failures = 0, notWritten = 0;
  double worst = 0;
  std::string first;
  for (size_t i = 0; i < c.args.size(); ++i)
    if (c.args[i].kind == CaseArg::Kind::Output)
      notWritten += unwritten(buffers[i]);
  for (const SampledCheck &s : c.sampled)
    for (size_t j = 0; j < s.index.size(); ++j) {
      const double got = kernels::read_element(buffers[s.arg], s.index[j]);
      const double err = std::fabs(got - s.reference[j]);
      ++checked;
      const double ratio = s.bound[j] > 0 ? err / s.bound[j] : (err == 0 ? 0 : INFINITY);
      if (!(err <= s.bound[j])) {
        if (failures++ == 0)
          first = format("first over its bound: arg %d [%llu] = %.9g, expected %.9g +- %.3g", s.arg,
                         static_cast<unsigned long long>(s.index[j]), got, s.reference[j], s.bound[j]);
      } else
        worst = std::max(worst, ratio);
    }
  o.ok = failures == 0 && notWritten == 0;
  if (o.ok)
    o.check = format("%zu ok, err/bound %.3g", checked, worst);
  else {
    o.check = format("FAIL %zu of %zu over bound, %zu unwritten", failures, checked, notWritten);
    o.detail = first;
  }

  // Bit for bit against gpu-emu, from the entry it ran.
  if (c.exact.empty())
    o.exact.assign(1, '-');
  else if (picked != c.entry) {
    o.ok = false;
    o.exact = format("FAIL: ran entry %d, gpu-emu ran %d", picked, c.entry);
  } else {
    size_t differ = 0, elements = 0;
    uint64_t worstUlps = 0;
    for (const ExactCheck &e : c.exact) {
      const Buffer &b = buffers[e.arg];
      const size_t size = dtype_size(b.dtype());
      const char *got = static_cast<const char *>(b.data());
      elements += b.count();
      for (size_t i = 0; i < b.count(); ++i)
        if (std::memcmp(got + i * size, e.bytes.data() + i * size, size) != 0) {
          ++differ;
          worstUlps = std::max(worstUlps, ulps_apart(got + i * size, e.bytes.data() + i * size, b.dtype()));
        }
    }
    if (differ == 0)
      o.exact = format("identical (%zu)", elements);
    else if (c.bits_required) {
      o.exact = format("FAIL %zu of %zu differ", differ, elements);
      o.ok = false;
    } else // reported, not held (check_case.h)
      o.exact = format("%zu of %zu differ, <=%llu ulp", differ, elements, static_cast<unsigned long long>(worstUlps));
  }

  if (c.timed && options.timing) {
    // Launches queued back to back between the events, so that the host's cost of a
    // launch overlaps the kernels before it instead of adding to each; the median over
    // `repeats` such runs, per launch.
    LaunchOptions queued;
    queued.stream = cuda::default_stream(device);
    cuda::EventTimer timer(device, queued.stream);
    const int perRun = 10;
    for (int i = 0; i < 3; ++i)
      bundle.launch(device, c.grid, args, queued);
    std::vector<double> times;
    for (int i = 0; i < options.repeats; ++i) {
      timer.start();
      for (int j = 0; j < perRun; ++j)
        bundle.launch(device, c.grid, args, queued);
      times.push_back(timer.stop() / perRun);
    }
    std::sort(times.begin(), times.end());
    o.ms = times[times.size() / 2];
  }
  return o;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--small")
      options.small = true;
    else if (a == "--no-timing")
      options.timing = false;
    else if (a == "--repeats" && i + 1 < argc)
      options.repeats = std::max(1, std::atoi(argv[++i]));
    else if (a == "--results" && i + 1 < argc)
      options.results = argv[++i];
    else if (options.dir.empty() && a[0] != '-')
      options.dir = a;
    else {
      std::fprintf(stderr, "usage: gpu_check_runner DIR [--small] [--no-timing] [--repeats N] [--results FILE]\n");
      return 2;
    }
  }
  if (options.dir.empty()) {
    std::fprintf(stderr, "usage: gpu_check_runner DIR [--small] [--no-timing] [--repeats N] [--results FILE]\n");
    return 2;
  }
  try {
    std::string why;
    if (!cuda::available(&why)) {
      std::fprintf(stderr, "gpu_check_runner: no CUDA device: %s\n", why.c_str());
      return 1;
    }
    const std::vector<CheckCase> cases = read_cases(options.dir);
    const Device device = Device::open("cuda");
    std::ofstream results;
    if (!options.results.empty()) {
      results.open(options.results);
      if (!results)
        throw Error(ErrorCode::InvalidArgument, "cannot write the results file " + options.results);
    }
    std::printf("%-40s %-13s %-42s %-28s %10s %10s\n", "case", "entry", "fp64 reference (elements, worst err/bound)",
                "gpu-emu:sm_90 bits", "median ms", "rate");
    int failed = 0, ran = 0;
    for (const CheckCase &c : cases) {
      if (options.small && !c.small)
        continue;
      ++ran;
      Outcome o;
      try {
        o = run_case(options, device, c);
      } catch (const Error &e) {
        o.ok = false;
        o.entry = "-";
        o.check = "ERROR";
        o.detail = e.what();
        o.exact = "-";
      }
      failed += !o.ok;
      std::string rate = "-";
      if (o.ms > 0)
        rate = c.flops > 0 ? format("%.1f TF/s", c.flops / (o.ms * 1e9)) : format("%.0f GB/s", c.bytes / (o.ms * 1e6));
      std::printf("%-40s %-13s %-42s %-28s %10s %10s\n", c.name.c_str(), o.entry.c_str(), o.check.c_str(),
                  o.exact.c_str(), o.ms > 0 ? format("%.4f", o.ms).c_str() : "-", rate.c_str());
      if (!o.detail.empty())
        std::printf("    %s\n", o.detail.c_str());
      std::fflush(stdout);
      if (results.is_open())
        results << c.name << "\t" << (o.ok ? "pass" : "FAIL") << "\t" << o.ms << "\t" << c.flops << "\t" << c.bytes
                << "\t" << c.baseline << "\n";
    }
    std::printf("\n%d of %d cases passed\n", ran - failed, ran);
    return failed == 0 ? 0 : 1;
  } catch (const Error &e) {
    std::fprintf(stderr, "gpu_check_runner: %s\n", e.what());
    return 1;
  }
}
