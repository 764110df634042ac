// Conformance cases: if_else, when around stores, nested loops with carries, and the
// debugging operations device_print and device_assert.
#include "harness.h"

#include <cstdio>
#include <unistd.h>

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

struct Block {
  int block;
};

/// Even programs scale their block by 2, odd ones negate it (if_else on a scalar).
template <NumericDType T> void if_else_kernel(Ptr<T> x, Ptr<T> out, Int n, Block cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto v = load(x + offs, in, 0.0);
  auto r = if_else(program_id(0) % 2 == 0, [&] { return v * 2.0; }, [&] { return -v; });
  store(out + offs, r, in);
}

/// `when` guards whole stores: even programs store x + 1, odd programs x - 1.
template <NumericDType T> void when_kernel(Ptr<T> x, Ptr<T> out, Int n, Block cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto v = load(x + offs, in, 0.0);
  when(program_id(0) % 2 == 0, [&] { store(out + offs, v + 1.0, in); });
  when(program_id(0) % 2 == 1, [&] { store(out + offs, v - 1.0, in); });
}

/// out[i] = sum over a < A, b < B of x[(a * B + b) * n + i] * (a + 1): an outer carried
/// accumulator, an inner one, and an inner-loop bound from the outer induction variable.
template <NumericDType T> void nested_kernel(Ptr<T> x, Ptr<T> out, Int n, Int A, Int B, Block cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto acc = zeros<T>({cfg.block});
  for (auto a : range(0, A).carry(acc)) {
    auto inner = zeros<T>({cfg.block});
    for (auto b : range(0, B).carry(inner))
      inner = inner + load(x + (a * B + b) * n + offs, in, 0.0);
    acc = acc + inner * cast<T>(a + 1);
  }
  store(out + offs, acc, in);
}

template <NumericDType T> void print_kernel(Ptr<T> x, Ptr<T> out, Int n, Block cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto v = load(x + offs, in, 0.0);
  device_print("conformance v", v);
  store(out + offs, v, in);
}

template <NumericDType T> void assert_kernel(Ptr<T> x, Ptr<T> out, Int n, Block cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto v = load(x + offs, in, 0.0);
  device_assert(v < 100.0, "conformance: inputs are below 100"); // 100 fits every dtype
  store(out + offs, v, in);
}

/// Runs `fn` with stdout sent to a temporary file; returns what was printed.
std::string capture_stdout(const std::function<void()> &fn) {
  std::fflush(stdout);
  char path[] = "/tmp/tegula-conformance-XXXXXX";
  const int file = mkstemp(path);
  if (file < 0)
    throw Error(ErrorCode::InvalidArgument, "cannot create a temporary file for device_print's output");
  const int saved = dup(1);
  dup2(file, 1);
  try {
    fn();
  } catch (...) {
    std::fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(file);
    unlink(path);
    throw;
  }
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::string text;
  if (FILE *f = std::fopen(path, "r")) {
    char buf[4096];
    for (size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;)
      text.append(buf, got);
    std::fclose(f);
  }
  close(file);
  unlink(path);
  return text;
}

enum class CtrlOp { IfElse, When, Nested, Print, Assert };

void run_control(Run &run, CtrlOp op) {
  with_numeric(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0];
    const bool fl = dtype_is_float(run.dtype);
    const int block = 128;
    std::vector<double> ref(n), bnd(n, 0.0);
    switch (op) {
    case CtrlOp::IfElse:
    case CtrlOp::When: {
      Buffer x = run.input(n, fl ? -4 : -60, fl ? 4 : 60), out = run.output(n);
      auto k = op == CtrlOp::IfElse ? run.compile("if_else", &if_else_kernel<T>, Block{block})
                                    : run.compile("when", &when_kernel<T>, Block{block});
      run.launch(*k, Grid(cdiv(n, block)), x, out, n);
      for (int64_t i = 0; i < n; ++i) {
        const double v = kernels::read_element(x, i);
        const bool even = (i / block) % 2 == 0;
        ref[i] = op == CtrlOp::IfElse ? (even ? 2 * v : -v) : (even ? v + 1 : v - 1);
        bnd[i] = rounding_bound(ref[i], run.dtype);
      }
      run.expect(out, ref, bnd);
      break;
    }
    case CtrlOp::Nested: {
      const int64_t A = 3, B = 4;
      Buffer x = run.input(A * B * n, fl ? -1 : -3, fl ? 1 : 3), out = run.output(n);
      auto k = run.compile("nested", &nested_kernel<T>, Block{block});
      run.launch(*k, Grid(cdiv(n, block)), x, out, n, A, B);
      for (int64_t i = 0; i < n; ++i) {
        double s = 0, mag = 0;
        for (int64_t a = 0; a < A; ++a)
          for (int64_t b = 0; b < B; ++b) {
            const double v = kernels::read_element(x, (a * B + b) * n + i);
            s += v * (a + 1);
            mag += std::fabs(v) * (a + 1);
          }
        ref[i] = s;
        bnd[i] = fl ? 4 * (A + B) * kernels::unit_roundoff(run.dtype) * mag + rounding_bound(s, run.dtype) : 0;
      }
      run.expect(out, ref, bnd);
      break;
    }
    case CtrlOp::Print: {
      Buffer x = run.input(n, -4, 4), out = run.output(n);
      auto k = run.compile("print", &print_kernel<T>, Block{block});
      if (run.skipping()) // nothing launches: leave the process's standard output alone
        break;
      std::string text = capture_stdout([&] { run.launch(*k, Grid(cdiv(n, block)), x, out, n); });
      // One line per element of every program, masked lanes included.
      size_t lines = 0;
      for (size_t at = 0; (at = text.find("conformance v", at)) != std::string::npos; ++at)
        ++lines;
      const size_t expected = static_cast<size_t>(cdiv(n, block) * block);
      if (lines != expected)
        run.fail("device_print printed " + std::to_string(lines) + " lines, expected " + std::to_string(expected));
      ref = kernels::to_doubles(x);
      ref.resize(n);
      run.expect_exact(out, ref);
      break;
    }
    case CtrlOp::Assert: {
      Buffer x = run.input(n, -4, 4), out = run.output(n);
      auto k = run.compile("assert", &assert_kernel<T>, Block{block});
      run.launch(*k, Grid(cdiv(n, block)), x, out, n); // holds: runs through
      ref = kernels::to_doubles(x);
      ref.resize(n);
      run.expect_exact(out, ref);
      // One element over the limit must fail the launch, naming the assertion.
      kernels::write_element(x, n - 1, 120);
      try {
        run.launch(*k, Grid(cdiv(n, block)), x, out, n);
        run.fail("device_assert did not fail on an input of 120");
      } catch (const Error &e) {
        if (e.code() != ErrorCode::AssertionFailed || std::string(e.what()).find("below 100") == std::string::npos)
          run.fail(std::string("device_assert failed with the wrong error: ") + e.what());
      }
      break;
    }
    }
  });
}

const std::vector<DType> kNumeric = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I8, DType::I32, DType::I64};

} // namespace

void add_control_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> flat = {{1000}, {1}};
  const std::tuple<CtrlOp, const char *, const char *> ops[] = {
      {CtrlOp::IfElse, "control.if_else", "control flow"},
      {CtrlOp::When, "control.when_store", "control flow"},
      {CtrlOp::Nested, "control.nested_loops", "loops"},
      {CtrlOp::Print, "debug.device_print", "device_print"},
      {CtrlOp::Assert, "debug.device_assert", "device_assert"},
  };
  for (auto [op, name, construct] : ops)
    cases.push_back({name, construct, kNumeric, flat, [op](Run &r) { run_control(r, op); }});
}

} // namespace tegula::conformance
