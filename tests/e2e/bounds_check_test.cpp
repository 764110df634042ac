// Bounds-checked compile mode: an off-by-one kernel is stopped at its first bad access,
// the access is skipped, and the error names the kernel's source line and the buffer.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

using namespace tegula;
using namespace tegula::dsl;

namespace {

int gBadStoreLine = 0;
// Off by one: the mask lets lane n through.
void off_by_one_kernel(Ptr<f32> x, Ptr<f32> out, Int n) {
  auto i = program_id(0) * 64 + arange(64);
  auto m = i <= n;
  auto v = load(x + i, i < n, 0.0);
  gBadStoreLine = __LINE__ + 1;
  store(out + i, v * 2.0, m);
}

void correct_kernel(Ptr<f32> x, Ptr<f32> out, Int n) {
  auto i = program_id(0) * 64 + arange(64);
  store(out + i, load(x + i, i < n, 0.0) * 2.0, i < n);
}

} // namespace

TEST_CASE("bounds-checked kernels report the first bad access with its line", "[e2e][bounds]") {
  CompileOptions options;
  options.bounds_check = true;
  auto kernel = compile_traced(trace("off_by_one", &off_by_one_kernel, {"x", "out", "n"}), "cpu", options);
  const int64_t n = 100;
  // Guard pages as well: were the access performed, the process would fault.
  Buffer x(DType::F32, n, BufferMode::GuardPage), out(DType::F32, n, BufferMode::GuardPage);
  kernels::fill_uniform(x, tegula::testing::case_seed("bounds"));
  out.fill_bytes(0);
  try {
    kernel->launch(Grid(2), x, out, n);
    FAIL("the out-of-bounds store was not reported");
  } catch (const Error &e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(e.code() == ErrorCode::OutOfBounds);
    CHECK(msg.find("bounds_check_test.cpp:" + std::to_string(gBadStoreLine)) != std::string::npos);
    CHECK(msg.find("tile.store") != std::string::npos);
    CHECK(msg.find("'out'") != std::string::npos);
    CHECK(msg.find("0 bytes past the end") != std::string::npos);
  }
  // Every in-bounds element was still written.
  for (int64_t i = 0; i < n; ++i)
    CHECK(out.as<float>()[i] == x.as<float>()[i] * 2.0f);
}

TEST_CASE("a correct kernel passes the bounds check untouched", "[e2e][bounds]") {
  CompileOptions options;
  options.bounds_check = true;
  auto kernel = compile_traced(trace("correct", &correct_kernel, {"x", "out", "n"}), "cpu", options);
  const int64_t n = 127;
  Buffer x(DType::F32, n, BufferMode::GuardPage), out(DType::F32, n, BufferMode::GuardPage);
  kernels::fill_uniform(x, tegula::testing::case_seed("bounds ok"));
  out.fill_bytes(0xFF);
  kernel->launch(Grid(2), x, out, n);
  for (int64_t i = 0; i < n; ++i)
    CHECK(out.as<float>()[i] == x.as<float>()[i] * 2.0f);
}
