// The code the tutorial and the language reference show for running a kernel of one's
// own on both targets (docs/tutorial.md, "The same kernel on maia-sim"; docs/language.md,
// "Running on maia-sim"), run as written there, on Philox inputs against an fp64
// reference.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/launch.h"

using namespace tegula;
using namespace tegula::dsl;
using tegula::testing::case_seed;

namespace {

struct AddConfig {
  int block = 1024;
};

void vector_add(Ptr<f32> x, Ptr<f32> y, Ptr<f32> out, Int n, AddConfig cfg) {
  auto offsets = program_id(0) * cfg.block + arange(cfg.block);
  auto in_range = offsets < n;
  auto sum = load(x + offsets, in_range, 0.0) + load(y + offsets, in_range, 0.0);
  store(out + offsets, sum, in_range);
}

/// Every element of out must be x + y rounded once to f32 (the fp64 sum of two f32
/// values rounds to the f32 sum), and none may still hold the poison.
void expect_sum(const Buffer &x, const Buffer &y, const Buffer &out, int64_t n) {
  auto xs = x.as<float>(), ys = y.as<float>(), os = out.as<float>();
  int64_t wrong = 0;
  for (int64_t i = 0; i < n; ++i) {
    double ref = static_cast<double>(xs[i]) + static_cast<double>(ys[i]);
    if (!(os[i] == static_cast<float>(ref)))
      ++wrong;
  }
  CHECK(wrong == 0);
}

} // namespace

TEST_CASE("the documented vector_add runs as written on cpu and on maia-sim", "[e2e][maia][docs]") {
  AddConfig cfg;
  CompileOptions options;
  options.arg_names = {"x", "y", "out", "n"};
  const int64_t n = 5003; // not a multiple of the block
  const uint64_t seed = case_seed("docs vector_add");
  INFO("seed " << seed);
  Buffer x(DType::F32, n), y(DType::F32, n), out(DType::F32, n);
  kernels::fill_uniform(x, seed);
  kernels::fill_uniform(y, seed + 1);

  for (const char *target : {"cpu", "maia"}) {
    INFO("target " << target);
    auto kernel = tegula::compile("vector_add", &vector_add, target, options, cfg);
    out.fill_bytes(0xFF);
    kernel->launch(Grid(cdiv(n, cfg.block)), x, y, out, n);
    expect_sum(x, y, out, n);
  }

  // On maia-sim the launch reports simulated cycles, and device buffers are used in place.
  auto on_maia = tegula::compile("vector_add", &vector_add, "maia", options, cfg);
  out.fill_bytes(0xFF);
  on_maia->launch(Grid(cdiv(n, cfg.block)), x, y, out, n);
  CHECK(tegula::last_simulated_launch().cycles > 0);
  auto maia = Device::open("maia-sim");
  Buffer dx = maia.allocate(DType::F32, n), dy = maia.allocate(DType::F32, n), dout = maia.allocate(DType::F32, n);
  kernels::fill_uniform(dx, seed + 2);
  kernels::fill_uniform(dy, seed + 3);
  dout.fill_bytes(0xFF);
  maia.launch(on_maia->kernel(), Grid(cdiv(n, cfg.block)), dx, dy, dout, n);
  CHECK(dout.on_device());
  expect_sum(dx, dy, dout, n);
}
