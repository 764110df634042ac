// num_warps as a kernel meta-parameter: the kernel's choice (dsl::num_warps, carried in
// the library configurations) sets the block the GPU code runs as, whatever the
// target's num-warps option says; gpu-emu runs every choice to the right answer; the
// CPU ignores it; a choice the target's block cannot hold is refused with the figures.
#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include "../e2e/testing.h"

#include <catch2/catch.hpp>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// The threads of the block the emulated code runs as.
int64_t block_threads(const dsl::TracedKernel &traced, const std::string &target) {
  const std::string tap = emit(traced, target, "emu-tap");
  const std::string key = "known_block_size = array<i32: ";
  const size_t at = tap.find(key);
  REQUIRE(at != std::string::npos);
  return std::stoll(tap.substr(at + key.size()));
}

} // namespace

TEST_CASE("each num_warps a kernel chooses runs as that block on gpu-emu, to the right answer",
          "[gpu-emu][num-warps]") {
  const int64_t n = 3001; // not a multiple of the 1024-element block
  for (const char *target : {"gpu-emu:sm_80", "gpu-emu:gfx942"}) {
    const int64_t lanes = describe_target(target).warp_size;
    for (int warps : {1, 2, 4, 8, 16}) {
      const std::string what = std::string(target) + " num_warps " + std::to_string(warps);
      INFO(what);
      VectorAddConfig config;
      config.num_warps = warps;
      // The target's option is only the default: the kernel's choice wins.
      const std::string configured = std::string(target) + ",num-warps=2";
      CHECK(block_threads(trace_vector_add(DType::F32, config), configured) == warps * lanes);
      Buffer x = testing::random_buffer(DType::F32, n, what + " x"), y = testing::random_buffer(DType::F32, n, what + " y");
      Buffer out(DType::F32, n);
      out.fill_bytes(0xFF); // NaN wherever the kernel does not write
      VectorAdd(DType::F32, configured, {}, config)(x, y, out, n);
      std::vector<double> ref = reference_vector_add(x, y, n);
      CHECK(check(out, ref, vector_add_bound(ref, DType::F32)).ok());

      const int64_t M = 5, N = 1000; // rows not 16-aligned: scalar accesses, masked tails
      SoftmaxConfig soft = default_softmax_config(target, N);
      soft.num_warps = warps;
      Buffer sx = testing::random_buffer(DType::F16, M * N, what + " softmax x"), sy(DType::F16, M * N);
      sy.fill_bytes(0xFF);
      Softmax(DType::F16, target, {}, soft)(sx, sy, M, N);
      std::vector<double> sref = reference_softmax(sx, M, N);
      CHECK(check(sy, sref, softmax_bound(sref, N, DType::F16)).ok());
    }
  }
}

TEST_CASE("the default configurations choose warps by tile size and target", "[gpu-emu][num-warps]") {
  CHECK(default_vector_add_config("cpu").num_warps == 0); // no warps: the choice is left out
  CHECK(default_vector_add_config("maia").num_warps == 0);
  CHECK(default_vector_add_config("cuda:sm_80").num_warps == 4); // 1024 elements, 8 a thread
  CHECK(default_vector_add_config("rocm:gfx942").num_warps == 2);
  CHECK(default_softmax_config("cuda", 100).num_warps == 2); // 4 rows x 128 columns
  CHECK(default_softmax_config("gpu-emu:gfx942", 100).num_warps == 1);
  CHECK(default_softmax_config("cuda", 4096).num_warps == 8); // at most 8
}

TEST_CASE("the CPU ignores num_warps; a choice larger than the target's block is refused",
          "[gpu-emu][num-warps]") {
  VectorAddConfig config;
  config.num_warps = 16;
  const int64_t n = 1500;
  Buffer x = testing::random_buffer(DType::F32, n, "cpu x"), y = testing::random_buffer(DType::F32, n, "cpu y"), out(DType::F32, n);
  out.fill_bytes(0xFF);
  VectorAdd(DType::F32, "cpu", {}, config)(x, y, out, n);
  std::vector<double> ref = reference_vector_add(x, y, n);
  CHECK(check(out, ref, vector_add_bound(ref, DType::F32)).ok());

  config.num_warps = 32; // 1024 threads of 32 lanes, but 2048 of 64
  CHECK(block_threads(trace_vector_add(DType::F32, config), "gpu-emu:sm_80") == 1024);
  for (const char *target : {"gpu-emu:gfx942", "rocm:gfx90a"}) {
    INFO(target);
    try {
      compile_traced(trace_vector_add(DType::F32, config), target);
      FAIL("a block of 2048 threads was compiled");
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::CompileError);
      CHECK(std::string(e.what()).find("runs as 32 warps of 64 lanes, 2048 threads; this target runs at most 1024 "
                                       "threads in a block (16 warps)") != std::string::npos);
    }
  }
}
