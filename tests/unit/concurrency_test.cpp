// The compiler driver, its cache and the runtime under concurrent use: eight threads
// compiling the same kernel, different kernels, and launching while others compile.
// Every result is checked against the host sum. Run plainly in the `concurrency`
// group and under ThreadSanitizer in build-tsan (scripts/test).
#include "../e2e/testing.h"

#include "tegula/maia/driver.h"
#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/device.h"

#include <atomic>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

using namespace tegula;
using namespace tegula::dsl;
using tegula::testing::case_seed;

namespace {

constexpr int kThreads = 8;

struct AddConfig {
  int block = 256;
  float scale = 1.0f; // a distinct scale gives a distinct kernel (and cache entry)
};

void scaled_add(Ptr<f32> x, Ptr<f32> y, Ptr<f32> out, Int n, AddConfig cfg) {
  auto offsets = program_id(0) * cfg.block + arange(cfg.block);
  auto in_range = offsets < n;
  auto sum = load(x + offsets, in_range, 0.0) * cfg.scale + load(y + offsets, in_range, 0.0);
  store(out + offsets, sum, in_range);
}

/// Inputs for one check: x, y drawn from `seed`, out poisoned.
struct Operands {
  int64_t n;
  Buffer x, y, out;
  Operands(int64_t n, uint64_t seed) : n(n), x(DType::F32, n), y(DType::F32, n), out(DType::F32, n) {
    kernels::fill_uniform(x, seed);
    kernels::fill_uniform(y, seed + 1);
    out.fill_bytes(0xFF);
  }
  /// Elements farther from scale * x + y (fp64) than the policy's bound for two f32
  /// roundings (docs/correctness.md), or never written.
  int64_t wrong(float scale) const {
    auto xs = x.as<float>(), ys = y.as<float>(), os = out.as<float>();
    int64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
      double ref = static_cast<double>(scale) * xs[i] + ys[i];
      double bound = 2 * 0x1p-24 * (std::abs(static_cast<double>(scale) * xs[i]) + std::abs(ys[i])) + 0x1p-149;
      if (!(std::abs(os[i] - ref) <= bound))
        ++bad;
    }
    return bad;
  }
};

std::shared_ptr<const CompiledKernel> compile_add(const AddConfig &cfg, const std::string &target = "cpu") {
  CompileOptions options;
  options.arg_names = {"x", "y", "out", "n"};
  return tegula::compile("scaled_add", &scaled_add, target, options, cfg);
}

/// Runs body(i) on kThreads threads at once; failures are counted, not thrown across.
template <typename F> int run_threads(F &&body) {
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) {
      } // start together, so the compiles overlap
      try {
        if (!body(i))
          failures.fetch_add(1);
      } catch (const std::exception &e) {
        std::fprintf(stderr, "thread %d: %s\n", i, e.what());
        failures.fetch_add(1);
      }
    });
  for (auto &t : threads)
    t.join();
  return failures.load();
}

} // namespace

TEST_CASE("eight threads compiling the same kernel get one correct kernel", "[concurrency]") {
  clear_compile_cache();
  const uint64_t seed = case_seed("same kernel");
  INFO("seed " << seed);
  std::vector<std::shared_ptr<const CompiledKernel>> kernels(kThreads);
  int failures = run_threads([&](int i) {
    kernels[i] = compile_add(AddConfig{});
    Operands ops(1000 + 37 * i, seed + 2 * i);
    kernels[i]->launch(Grid(cdiv(ops.n, 256)), ops.x, ops.y, ops.out, ops.n);
    return ops.wrong(1.0f) == 0;
  });
  CHECK(failures == 0);
  CHECK(compile_cache_size() == 1);
  // Later compiles hit the cache.
  CHECK(compile_add(AddConfig{}) == compile_add(AddConfig{}));
}

TEST_CASE("eight threads compiling different kernels each get their own", "[concurrency]") {
  clear_compile_cache();
  const uint64_t seed = case_seed("different kernels");
  INFO("seed " << seed);
  int failures = run_threads([&](int i) {
    AddConfig cfg{64 << (i % 4), 1.0f + 0.5f * static_cast<float>(i)};
    auto kernel = compile_add(cfg);
    Operands ops(777 + 91 * i, seed + 2 * i);
    kernel->launch(Grid(cdiv(ops.n, cfg.block)), ops.x, ops.y, ops.out, ops.n);
    return ops.wrong(cfg.scale) == 0;
  });
  CHECK(failures == 0);
  CHECK(compile_cache_size() == kThreads);
}

TEST_CASE("launches run while other threads compile, for cpu and maia", "[concurrency]") {
  const uint64_t seed = case_seed("launch while compiling");
  INFO("seed " << seed);
  auto ready = compile_add(AddConfig{});
  int failures = run_threads([&](int i) {
    if (i % 2 == 0) { // launch an existing kernel repeatedly, on the shared worker pool
      for (int round = 0; round < 4; ++round) {
        Operands ops(3001 + i, seed + 100 * i + round);
        LaunchOptions two;
        two.threads = 2;
        ready->launch(Grid(cdiv(ops.n, 256)), std::vector<Arg>{ops.x, ops.y, ops.out, ops.n}, two);
        if (ops.wrong(1.0f) != 0)
          return false;
      }
      return true;
    }
    // Compile something new meanwhile: a CPU kernel, or the same source for maia-sim.
    AddConfig cfg{128, 2.0f + static_cast<float>(i)};
    const bool maia = i % 4 == 1;
    auto kernel = compile_add(cfg, maia ? "maia" : "cpu");
    Operands ops(1500 + i, seed + 7 * i);
    if (maia) {
      Device sim = maia::sim_device();
      sim.launch(kernel->kernel(), Grid(cdiv(ops.n, cfg.block)), ops.x, ops.y, ops.out, ops.n);
    } else {
      kernel->launch(Grid(cdiv(ops.n, cfg.block)), ops.x, ops.y, ops.out, ops.n);
    }
    return ops.wrong(cfg.scale) == 0;
  });
  CHECK(failures == 0);
}
