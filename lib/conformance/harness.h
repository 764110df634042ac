// What conformance cases are written with: a Run gives a case its target, dtype, shape
// and seeded inputs, compiles and launches its kernel, and collects the comparisons of
// its outputs with fp64 references.
#ifndef TEGULA_LIB_CONFORMANCE_HARNESS_H
#define TEGULA_LIB_CONFORMANCE_HARNESS_H

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace tegula::conformance {

/// Thrown by Run::compile when the target refuses the kernel, so that a refusal is
/// told apart from a compile error of the case itself on a target that should accept it.
struct Refused {
  std::string message;
};

class Run {
public:
  Run(std::string target, DType dtype, std::vector<int64_t> shape, uint64_t seed)
      : target(std::move(target)), dtype(dtype), shape(std::move(shape)), seed_(seed) {}

  const std::string target;
  const DType dtype;
  const std::vector<int64_t> shape;

  /// A fresh input of `count` elements, uniform in [lo, hi) (integers: floored), each
  /// call drawing its own stream of the case's seed.
  Buffer input(DType type, int64_t count, double lo = -1.0, double hi = 1.0) {
    Buffer b(type, static_cast<size_t>(std::max<int64_t>(1, count)));
    kernels::fill_uniform(b, seed_ + 7919 * ++streams_, lo, hi);
    mix(input_hash, b);
    return b;
  }
  Buffer input(int64_t count, double lo = -1.0, double hi = 1.0) { return input(dtype, count, lo, hi); }
  /// An output poisoned with 0xFF bytes (NaN for floats), so unwritten elements show.
  Buffer output(DType type, int64_t count) {
    Buffer b(type, static_cast<size_t>(std::max<int64_t>(1, count)));
    b.fill_bytes(0xFF);
    return b;
  }
  Buffer output(int64_t count) { return output(dtype, count); }
  /// Records that a case changed an input on the host (after drawing it).
  void rehash(const Buffer &b) { mix(input_hash, b); }

  template <typename... Params, typename... Meta>
  std::shared_ptr<const CompiledKernel> compile(const std::string &name, void (*fn)(Params...), Meta... meta) {
    CompileOptions options;
    try {
      if (assembling())
        return assemble(dsl::trace(name, fn, options.arg_names, meta...));
      return tegula::compile(name, fn, target, options, meta...);
    } catch (const Error &e) {
      // A refusal is the target's pipeline declining the kernel; the vendor's assembler
      // or linker failing on what the pipeline made is a failure of the case.
      const bool codeGeneration =
          assembling() && std::string(e.what()).find(std::string("emitting ") + kResourcesEmitKind + " failed") !=
                              std::string::npos;
      if ((e.code() == ErrorCode::CompileError || e.code() == ErrorCode::Unsupported) && !codeGeneration)
        throw Refused{e.what()};
      throw;
    }
  }

  /// Where the target does not run here: every kernel is compiled to its loadable object
  /// (the `resources` emit kind), launches do nothing and outputs are not compared.
  bool assembling() const {
    if (!assembling_)
      assembling_ = !describe_target(target).executes;
    return *assembling_;
  }
  /// Compiles the case's kernels (into the compile cache) and launches and compares
  /// nothing: suites compile ahead this way on several threads, then run one at a time.
  bool compile_only = false;
  /// Launches, comparisons and failures are skipped: assembling, or compiling only.
  bool skipping() const { return compile_only || assembling(); }

  /// What the case's kernels took, worst of each (assembling only).
  int64_t registers = 0, spills = 0, scratch_bytes = 0, sgpr_spills = 0;

  /// Launches and adds the launch's time (the host's, or the simulated machine's).
  template <typename... A> void launch(const CompiledKernel &k, const Grid &grid, A &&...args) {
    if (skipping())
      return;
    auto start = std::chrono::steady_clock::now();
    k.launch(grid, std::forward<A>(args)...);
    ms += simulated() ? last_simulated_launch().seconds * 1e3
                      : std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }

  /// Compares `out`'s first reference.size() elements with the reference.
  void expect(const Buffer &out, const std::vector<double> &reference, const std::vector<double> &bound) {
    if (skipping())
      return;
    check.add(kernels::check(out, reference, bound));
    std::vector<double> got = kernels::to_doubles(out);
    values.insert(values.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(reference.size()));
    bounds.insert(bounds.end(), bound.begin(), bound.end());
    mix(output_hash, out);
  }
  /// Integers, masks and moved data: every element exactly.
  void expect_exact(const Buffer &out, const std::vector<double> &reference) {
    expect(out, reference, std::vector<double>(reference.size(), 0.0));
  }
  /// A failure the case detects itself (an expected error that did not come).
  void fail(const std::string &why) {
    if (skipping())
      return;
    check.count += 1;
    check.failures += 1;
    note = why;
  }

  kernels::CheckResult check;
  std::vector<double> values, bounds;
  uint64_t input_hash = 1469598103934665603ull, output_hash = 1469598103934665603ull;
  double ms = 0;
  std::string note;

private:
  std::shared_ptr<const CompiledKernel> assemble(const dsl::TracedKernel &traced) {
    std::istringstream lines(emit(traced, target, kResourcesEmitKind));
    std::map<std::string, int64_t> used;
    for (std::string line; std::getline(lines, line);) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos)
        continue;
      // The counts; other fields (the occupancy's limit) are words.
      const std::string value = line.substr(colon + 1);
      char *end = nullptr;
      const long long count = std::strtoll(value.c_str(), &end, 10);
      if (end != value.c_str())
        used[line.substr(0, colon)] = count;
    }
    registers = std::max(registers, used["registers"]);
    spills = std::max(spills, used["spills"]);
    scratch_bytes = std::max(scratch_bytes, used["scratch_bytes"]);
    sgpr_spills = std::max(sgpr_spills, used["sgpr_spills"]);
    return std::make_shared<const CompiledKernel>(Kernel(traced.info, nullptr), target, 0.0);
  }
  bool simulated() const { return describe_target(target).simulated_time; }
  static void mix(uint64_t &h, const Buffer &b) {
    uint64_t c = kernels::content_hash(b);
    for (int i = 0; i < 8; ++i) {
      h ^= (c >> (8 * i)) & 0xFF;
      h *= 1099511628211ull;
    }
  }
  uint64_t seed_;
  int streams_ = 0;
  mutable std::optional<bool> assembling_;
};

using CaseFn = std::function<void(Run &)>;

/// One entry of the suite: a case name ("arith.add"), the docs construct it belongs to,
/// the dtypes it runs for and its shapes.
struct SuiteCase {
  std::string name;
  std::string construct;
  std::vector<DType> dtypes;
  std::vector<std::vector<int64_t>> shapes;
  CaseFn run;
};

// Each file of cases appends its own (explicitly, so nothing depends on static
// initialization order).
void add_arithmetic_cases(std::vector<SuiteCase> &cases);
void add_math_cases(std::vector<SuiteCase> &cases);
void add_shape_cases(std::vector<SuiteCase> &cases);
void add_reduction_cases(std::vector<SuiteCase> &cases);
void add_memory_cases(std::vector<SuiteCase> &cases);
void add_control_cases(std::vector<SuiteCase> &cases);
void add_dot_cases(std::vector<SuiteCase> &cases);
void add_tutorial_cases(std::vector<SuiteCase> &cases);
void add_random_cases(std::vector<SuiteCase> &cases);

// --- dtype dispatch: instantiate a generic lambda only for the dtypes it accepts ----------
template <typename F> void with_float(DType d, F &&f) {
  switch (d) {
  case DType::F32: f.template operator()<dsl::f32>(); return;
  case DType::F16: f.template operator()<dsl::f16>(); return;
  case DType::BF16: f.template operator()<dsl::bf16>(); return;
  case DType::F64: f.template operator()<dsl::f64>(); return;
  default: throw Error(ErrorCode::InvalidArgument, "a float dtype was expected");
  }
}
template <typename F> void with_int(DType d, F &&f) {
  switch (d) {
  case DType::I8: f.template operator()<dsl::i8>(); return;
  case DType::I32: f.template operator()<dsl::i32>(); return;
  case DType::I64: f.template operator()<dsl::i64>(); return;
  default: throw Error(ErrorCode::InvalidArgument, "an integer dtype was expected");
  }
}
template <typename F> void with_numeric(DType d, F &&f) {
  if (dtype_is_float(d))
    with_float(d, f);
  else
    with_int(d, f);
}
template <typename F> void with_scalar(DType d, F &&f) {
  if (d == DType::I1)
    f.template operator()<dsl::i1>();
  else
    with_numeric(d, f);
}

// --- references -------------------------------------------------------------------------
/// The value an integer of `d`'s width holds after two's-complement wrapping.
inline double wrap_int(long double v, DType d) {
  int64_t x = static_cast<int64_t>(v);
  switch (d) {
  case DType::I8: return static_cast<int8_t>(static_cast<uint8_t>(x));
  case DType::I32: return static_cast<int32_t>(static_cast<uint32_t>(x));
  case DType::I1: return x & 1;
  default: return static_cast<double>(x);
  }
}
/// One rounding to `d` (nothing for integers): u_d |ref| + tiny.
inline double rounding_bound(double ref, DType d) {
  if (!dtype_is_float(d))
    return 0;
  return kernels::unit_roundoff(d) * std::fabs(ref) + kernels::half_subnormal_spacing(d);
}
/// Half a unit in the last place of `ref` in `d`: the largest error of one correct
/// rounding (tighter than u |ref|, so that a value rounded twice is caught).
inline double half_ulp(double ref, DType d) {
  if (!dtype_is_float(d) || ref == 0 || !std::isfinite(ref))
    return dtype_is_float(d) ? kernels::half_subnormal_spacing(d) : 0;
  return std::max(kernels::unit_roundoff(d) * std::ldexp(1.0, std::ilogb(ref)), kernels::half_subnormal_spacing(d));
}
/// Elementwise reference and bound from a function of the inputs' element i.
inline void elementwise(int64_t n, const std::function<double(int64_t)> &fn,
                        const std::function<double(int64_t, double)> &bound, std::vector<double> &ref,
                        std::vector<double> &bnd) {
  ref.resize(n);
  bnd.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    ref[i] = fn(i);
    bnd[i] = bound(i, ref[i]);
  }
}

inline int64_t next_pow2(int64_t n) {
  int64_t p = 1;
  while (p < n)
    p *= 2;
  return p;
}

} // namespace tegula::conformance

#endif
