// The library kernels compiled for the Maia-style machine from the same sources as for
// the CPU, run on the simulator and checked against the fp64 reference with the same
// policy; odd sizes, poisoned outputs.
#include "kernel_checks.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <array>
#include <cmath>

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("gemm (bf16) on maia-sim matches the reference", "[e2e][maia]") {
  Gemm gemm(DType::BF16, "maia");
  // K steps of 128: 1, 1, 1, 3 (pipelined pairs and a tail), 2 and 4 (pairs only).
  for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{
           {1, 1, 1}, {13, 17, 1}, {130, 129, 65}, {200, 3, 257}, {70, 90, 256}, {33, 300, 500}}) {
    tegula::testing::check_gemm(gemm, DType::BF16, M, N, K,
                                "maia gemm " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K));
    CHECK(last_simulated_launch().cycles > 0);
  }
  // The large-matrix rule's blocks (default_gemm_config with a shape) on edge blocks,
  // five K steps.
  Gemm large(DType::BF16, "maia", {}, GemmConfig{256, 256, 128});
  tegula::testing::check_gemm(large, DType::BF16, 300, 520, 640, "maia gemm 256x256x128 blocks");
}

TEST_CASE("softmax on maia-sim matches the reference", "[e2e][maia]") {
  for (DType dtype : {DType::F32, DType::BF16, DType::F16})
    for (auto [M, N] : std::vector<std::array<int64_t, 2>>{{1, 1}, {5, 7}, {9, 1031}})
      tegula::testing::check_softmax("maia", dtype, M, N);
}

TEST_CASE("vector add on maia-sim matches the reference", "[e2e][maia]") {
  // f16 on the typed vector unit (vt.add f16), the others on the f32 unit.
  for (DType dtype : {DType::F32, DType::BF16, DType::F16}) {
    VectorAdd add(dtype, "maia");
    for (int64_t n : {1, 1023, 1025, 5000})
      tegula::testing::check_vector_add(add, dtype, n,
                                        "maia vector_add " + std::string(dtype_name(dtype)) + " " + std::to_string(n));
  }
}

TEST_CASE("f32 and f16 GEMMs run on maia's vector unit", "[e2e][maia]") {
  // The tensor unit multiplies bf16 only; other dtypes are rank-1 updates (vt.ger) on
  // the vector unit, f16 converted to f32 first.
  for (DType dtype : {DType::F32, DType::F16}) {
    Gemm gemm(dtype, "maia");
    for (auto [M, N, K] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {37, 29, 45}, {70, 9, 130}})
      tegula::testing::check_gemm(gemm, dtype, M, N, K,
                                  "maia gemm " + std::string(dtype_name(dtype)) + " " + std::to_string(M) + "x" +
                                      std::to_string(N) + "x" + std::to_string(K));
  }
}

TEST_CASE("what the machine cannot hold is refused at compile time, with the reason", "[e2e][maia]") {
  try {
    Gemm gemm(DType::BF16, "maia", {}, GemmConfig{1024, 1024, 256});
    FAIL("a GEMM with 1024x1024 f32 accumulator blocks compiled for maia");
  } catch (const Error &e) {
    INFO(e.what());
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("beyond the Maia machine") != std::string::npos);
    CHECK(std::string(e.what()).find("bytes of TSRAM; use smaller blocks") != std::string::npos);
    CHECK(std::string(e.what()).find("gemm.cpp") != std::string::npos);
  }
}

TEST_CASE("bugs planted by the compiler in the library GEMM are caught by the simulator", "[e2e][maia]") {
  const int64_t M = 300, N = 200, K = 160;
  auto run = [&](const std::string &bug) -> std::string {
    Gemm gemm(DType::BF16, "maia:plant-bug=" + bug);
    Buffer a(DType::BF16, M * K), b(DType::BF16, K * N), c(DType::F32, M * N);
    fill_uniform(a, 1);
    fill_uniform(b, 2);
    try {
      gemm(a, b, c, M, N, K);
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::DeviceFault);
      return e.what();
    }
    return "";
  };
  std::string race = run("drop-wait");
  INFO(race);
  CHECK(race.find("race") != std::string::npos);
  CHECK(race.find("gemm.cpp") != std::string::npos); // the instruction's kernel source line
  std::string overflow = run("overflow-tsram");
  INFO(overflow);
  CHECK(overflow.find("outside the tile's") != std::string::npos);
  // One row too many either leaves the HBM allocation (last block row) or spills into
  // the neighbouring TSRAM buffer while another unit uses it; the first to happen is
  // reported, naming the DMA.
  std::string past = run("dma-past-end");
  INFO(past);
  CHECK(past.find("`dma.in") != std::string::npos);
  CHECK((past.find("not inside one allocation") != std::string::npos || past.find("race") != std::string::npos));
  // Without the barrier that publishes a fetch into cluster SRAM, a copy out of it races
  // with the fetch of another tile of the cluster, even when the timing hides it.
  std::string unpublished = run("drop-barrier");
  INFO(unpublished);
  CHECK(unpublished.find("race") != std::string::npos);
  CHECK(unpublished.find("CSRAM") != std::string::npos);
  CHECK(unpublished.find("gemm.cpp") != std::string::npos);
  CHECK(run("").empty()); // the same kernel without a planted bug is clean
}

// --- lowering corner cases, each checked on the CPU and on maia-sim -----------------

namespace {

using namespace tegula::dsl;

// Loop-carried tiles that swap: after three steps prev = x + 2 and cur = x + 3.
void swap_kernel(Ptr<f32> x, Ptr<f32> out) {
  auto i = arange(16);
  auto cur = load(x + i);
  auto prev = zeros<f32>({16});
  for (auto k : range(0, 3).carry(cur, prev)) {
    auto next = cur + 1.0;
    prev = cur;
    cur = next;
    (void)k;
  }
  store(out + i, prev * 100.0 + cur);
}

// A dot inside a loop whose accumulator comes from before the loop: each iteration
// starts again from that value, so the sum is 3 * (acc0 + a @ b).
void dot_outside_kernel(Ptr<bf16> a, Ptr<bf16> b, Ptr<f32> c, Ptr<f32> out) {
  auto r = arange(16);
  auto acc0 = load(c + r.col() * 16 + r.row());
  auto ta = load(a + r.col() * 16 + r.row());
  auto tb = load(b + r.col() * 16 + r.row());
  auto total = zeros<f32>({16, 16});
  for (auto k : range(0, 3).carry(total)) {
    total = total + dot(ta, tb, acc0);
    (void)k;
  }
  store(out + r.col() * 16 + r.row(), total);
}

// A descriptor block that starts 4 columns left of the tensor: those read as zero.
void negative_offset_kernel(Ptr<f32> x, Ptr<f32> out) {
  auto in = make_desc(x, {4, 16}, {16, 1}, {4, 16});
  auto dst = make_desc(out, {4, 16}, {16, 1}, {4, 16});
  store(dst, {0, 0}, in.load({0, -4}));
}

std::vector<float> run_on(const std::string &target, const dsl::TracedKernel &traced, std::vector<Buffer *> buffers,
                          size_t out_index) {
  auto kernel = compile_traced(traced, target);
  std::vector<Arg> args;
  for (Buffer *b : buffers)
    args.push_back(Arg(b));
  kernel->launch(Grid(1), std::span<const Arg>(args));
  auto view = buffers[out_index]->as<float>();
  return std::vector<float>(view.begin(), view.end());
}

} // namespace

TEST_CASE("carried tiles that swap are copied as one parallel copy", "[e2e][maia]") {
  auto traced = dsl::trace("swap", &swap_kernel, {"x", "out"});
  for (const char *target : {"cpu", "maia"}) {
    INFO(target);
    Buffer x(DType::F32, 16), out(DType::F32, 16);
    fill_uniform(x, 5);
    out.fill_bytes(0xFF);
    auto got = run_on(target, traced, {&x, &out}, 1);
    for (int i = 0; i < 16; ++i) {
      float v = x.as<float>()[i];
      CHECK(got[i] == (v + 1.0f + 1.0f) * 100.0f + (v + 1.0f + 1.0f + 1.0f));
    }
  }
}

TEST_CASE("a dot never accumulates into a value defined outside its loop", "[e2e][maia]") {
  auto traced = dsl::trace("dot_outside", &dot_outside_kernel, {"a", "b", "c", "out"});
  std::vector<std::vector<float>> results;
  for (const char *target : {"cpu", "maia"}) {
    Buffer a(DType::BF16, 256), b(DType::BF16, 256), c(DType::F32, 256), out(DType::F32, 256);
    fill_uniform(a, 7);
    fill_uniform(b, 8);
    fill_uniform(c, 9);
    out.fill_bytes(0xFF);
    results.push_back(run_on(target, traced, {&a, &b, &c, &out}, 3));
    auto ref = reference_gemm(a, b, 16, 16, 16);
    for (int i = 0; i < 256; ++i)
      CHECK(std::fabs(results.back()[i] - 3.0 * (ref[i] + c.as<float>()[i])) <= 1e-4);
  }
}

TEST_CASE("descriptor blocks partly below zero read zeros there, as on the CPU", "[e2e][maia]") {
  auto traced = dsl::trace("negative_offset", &negative_offset_kernel, {"x", "out"});
  for (const char *target : {"cpu", "maia"}) {
    INFO(target);
    Buffer x(DType::F32, 64), out(DType::F32, 64);
    fill_uniform(x, 3);
    out.fill_bytes(0xFF);
    auto got = run_on(target, traced, {&x, &out}, 1);
    for (int r = 0; r < 4; ++r)
      for (int col = 0; col < 16; ++col)
        CHECK(got[r * 16 + col] == (col < 4 ? 0.0f : x.as<float>()[r * 16 + col - 4]));
  }
}
