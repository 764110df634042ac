// How the GPU code of softmax, RMSNorm, LayerNorm and GEMM touches memory, as gpu-emu
// counts it on sm_80's and gfx942's code. With rows a multiple of 16 elements (compiled
// in by the default configuration), every global load and store of softmax and the
// norms is one 16-byte vector per thread and each warp's request touches the fewest
// 32-byte sectors its bytes allow; shared memory (the cross-warp reductions) is reached
// without bank conflicts. GEMM on the vector units reads A and B from shared memory
// without bank conflicts and stores C in whole sectors. The answers are checked against
// the fp64 references too. GEMM and attention pipelined over their stages match them
// however many steps their loops take.
#include "backends/gpu-emu/sim/Interpreter.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/norms.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include "../e2e/testing.h"

#include <catch2/catch.hpp>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// Every global site: `bytes` a thread (16, or what a tile too small for the block
/// gives each thread, at least), no more sectors than the bytes need; every shared site:
/// no more wavefronts than the bytes need (fewer where threads read one word: a
/// broadcast).
void check_accesses(const gpuemu::LaunchReport &report, int64_t bytes) {
  REQUIRE(!report.global.empty());
  for (const auto &[site, c] : report.global) {
    INFO("global " << site << ": " << c.bytes << " bytes a thread, " << c.sectors << " sectors for " << c.ideal);
    CHECK(c.requests > 0);
    CHECK(c.bytes >= bytes);
    CHECK(c.bytes <= 16);
    CHECK(c.sectors <= c.ideal);
  }
  for (const auto &[site, c] : report.shared) {
    INFO("shared " << site << ": " << c.sectors << " wavefronts for " << c.ideal);
    CHECK(c.sectors <= c.ideal);
  }
}

/// How many source lines of the last gpu-emu launch issued cp.async copies.
int cp_async_sites() {
  int sites = 0;
  for (const auto &[site, x] : gpuemu::last_report().global)
    sites += site.find("nvvm.cp.async") != std::string::npos;
  return sites;
}

/// A bf16 GEMM's operands (random A and B, C poisoned with NaN, so an element never
/// written fails), run through `gemm` with C checked against fp64 in every element.
struct CheckedGemm {
  Buffer a, b, c;
  CheckedGemm(const Gemm &gemm, int64_t M, int64_t N, int64_t K, const std::string &what)
      : a(testing::random_buffer(DType::BF16, M * K, what + " a")),
        b(testing::random_buffer(DType::BF16, K * N, what + " b")), c(DType::F32, static_cast<size_t>(M * N)) {
    c.fill_bytes(0xFF);
    gemm(a, b, c, M, N, K);
    std::vector<double> absProduct;
    std::vector<double> ref = reference_gemm(a, b, M, N, K, &absProduct);
    CHECK(check(c, ref, gemm_bound(absProduct, K)).ok());
  }
};

} // namespace

TEST_CASE("softmax and the norms load and store 16-byte vectors, coalesced, on gpu-emu", "[gpu-emu][access]") {
  const int64_t M = 7, N = 1024; // M is not a multiple of the 4 rows a program takes
  // The default warps (8 for these 4 x 1024 tiles), and the extremes: with 16 warps of
  // 64 lanes the norms' 1024-element weight rows hold one element a thread, so they
  // are loaded in the rows' layout rather than moved there through shared memory.
  for (const char *target : {"gpu-emu:sm_80", "gpu-emu:gfx942"})
    for (DType dtype : {DType::F32, DType::F16, DType::BF16})
      for (int warps : {0, 1, 16}) {
        const std::string what = std::string(target) + " " + std::string(dtype_name(dtype)) + " num_warps " +
                                 (warps ? std::to_string(warps) : "default");
        INFO(what);
        Buffer x = testing::random_buffer(dtype, M * N, what + " x");
        Buffer w = testing::random_buffer(dtype, N, what + " w");
        Buffer b = testing::random_buffer(dtype, N, what + " b");
        Buffer y(dtype, static_cast<size_t>(M * N));
        int64_t threads = 0, bytes = 0; // the softmax's block and tile, which the norms share
        {
          SoftmaxConfig config = default_softmax_config(target, N);
          REQUIRE(config.n_multiple == 16);
          REQUIRE(config.num_warps == 8);
          if (warps)
            config.num_warps = warps;
          threads = config.num_warps * describe_target(target).warp_size;
          bytes = std::min<int64_t>(16, config.rows * config.block * static_cast<int64_t>(dtype_size(dtype)) / threads);
          y.fill_bytes(0xFF);
          Softmax(dtype, target, {}, config)(x, y, M, N);
          check_accesses(gpuemu::last_report(), bytes);
          std::vector<double> ref = reference_softmax(x, M, N);
          CHECK(check(y, ref, softmax_bound(ref, N, dtype)).ok());
        }
        {
          NormConfig config = default_norm_config(target, N, 1e-6);
          if (warps)
            config.num_warps = warps;
          y.fill_bytes(0xFF);
          RmsNorm(dtype, target, {}, config)(x, w, y, M, N);
          check_accesses(gpuemu::last_report(), bytes);
          std::vector<double> ref = reference_rms_norm(x, w, M, N, config.eps);
          CHECK(check(y, ref, rms_norm_bound(ref, N, dtype)).ok());
        }
        {
          NormConfig config = default_norm_config(target, N, 1e-5);
          if (warps)
            config.num_warps = warps;
          y.fill_bytes(0xFF);
          LayerNorm(dtype, target, {}, config)(x, w, b, y, M, N);
          check_accesses(gpuemu::last_report(), bytes);
          std::vector<double> ref = reference_layer_norm(x, w, b, M, N, config.eps);
          CHECK(check(y, ref, layer_norm_bound(x, w, b, ref, M, N, config.eps, dtype)).ok());
        }
      }
}

TEST_CASE("a kernel compiled on N's alignment refuses a launch with another N", "[gpu-emu][access]") {
  const std::string target = "gpu-emu:sm_80";
  Softmax softmax(DType::F32, target, {}, default_softmax_config(target, 1024));
  Buffer x(DType::F32, 7 * 1000), y(DType::F32, 7 * 1000);
  x.fill_bytes(0);
  try {
    softmax(x, y, 7, 1000);
    FAIL("the launch with N = 1000 went through");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("is 1000, not a multiple of 16") != std::string::npos);
  }
}

TEST_CASE("GEMM reads its operands from shared memory without bank conflicts", "[gpu-emu][access][dot]") {
  // Not multiples of the 128 x 128 x 32 blocks; N a multiple of 8, so that rows of C
  // start on 32-byte sectors. f32 runs on the vector units everywhere, bf16 on sm_80's
  // mma.sync (operands through ldmatrix) and on gfx942's MFMA.
  const int64_t M = 200, N = 192, K = 100;
  for (const char *target : {"gpu-emu:sm_80", "gpu-emu:gfx942"})
    for (DType dtype : {DType::F32, DType::BF16}) {
      const std::string what = std::string(target) + " " + std::string(dtype_name(dtype));
      INFO(what);
      Buffer a = testing::random_buffer(dtype, M * K, what + " a"), b = testing::random_buffer(dtype, K * N, what + " b");
      Buffer c(DType::F32, static_cast<size_t>(M * N));
      c.fill_bytes(0xFF);
      Gemm(dtype, target, {}, default_gemm_config(target))(a, b, c, M, N, K);
      const gpuemu::LaunchReport &report = gpuemu::last_report();
      int sites = 0;
      // The k-loop's reads of A and B: ldmatrix for mma.sync, 8-byte vectors for MFMA.
      const bool mma = std::string(target) == "gpu-emu:sm_80" && dtype == DType::BF16;
      const bool mfma = std::string(target) == "gpu-emu:gfx942" && dtype == DType::BF16;
      for (const auto &[site, x] : report.shared)
        if (site.find(mma ? "nvgpu.ldmatrix" : mfma ? "vector.load" : "memref.load") != std::string::npos) {
          INFO(site << ": " << x.sectors << " wavefronts for " << x.ideal);
          CHECK(x.sectors <= x.ideal);
          ++sites;
        }
      // C from the accumulator. On the vector units and MFMA (32 lanes along a row) each
      // store writes whole sectors. The
      // mma fragments hold pairs of columns, 4 lanes to 32 bytes of a row; N's alignment
      // is not known when the kernel is compiled, so the pairs are stored one element at a
      // time and each sector is written by two stores, half each.
      for (const auto &[site, x] : report.global)
        if (site.find("llvm.store") != std::string::npos) {
          INFO(site << ": " << x.sectors << " sectors for " << x.ideal);
          CHECK(x.sectors <= (mma ? 2 : 1) * x.ideal);
          ++sites;
        }
      CHECK(sites == 2); // the dot's line (its reads of A and B), the store's
      std::vector<double> absProduct;
      std::vector<double> ref = reference_gemm(a, b, M, N, K, &absProduct);
      CHECK(check(c, ref, gemm_bound(absProduct, K)).ok());
    }
}

TEST_CASE("GEMM compiled on K and N multiples of 16 moves its operands in whole sectors", "[gpu-emu][access][dot]") {
  // K and N multiples of 16 but not of the 32 x 128 blocks: each thread reads 16 bytes
  // of a row of A or B (coalesced: every sector a warp touches is read whole, once). On
  // sm_80 the reads are cp.async copies straight into shared memory (two stages); on
  // gfx942, 16-byte loads into registers, then A's rows go to shared memory as 16-byte
  // stores without bank conflicts (B is stored transposed, element by element). C's
  // stores write whole sectors.
  const int64_t M = 200, N = 208, K = 112;
  for (const char *target : {"gpu-emu:sm_80", "gpu-emu:gfx942"})
    for (DType dtype : {DType::F16, DType::BF16}) {
      const std::string what = std::string(target) + " " + std::string(dtype_name(dtype));
      INFO(what);
      const bool async = std::string(target) == "gpu-emu:sm_80";
      const GemmConfig config = default_gemm_config(target, M, N, K);
      REQUIRE(config.kn_multiple == 16);
      Buffer a = testing::random_buffer(dtype, M * K, what + " a"), b = testing::random_buffer(dtype, K * N, what + " b");
      Buffer c(DType::F32, static_cast<size_t>(M * N));
      c.fill_bytes(0xFF);
      Gemm(dtype, target, {}, config)(a, b, c, M, N, K);
      const gpuemu::LaunchReport &report = gpuemu::last_report();
      int loads = 0, copies = 0, stores = 0, staged = 0;
      for (const auto &[site, x] : report.global) {
        INFO(site << ": " << x.sectors << " sectors for " << x.ideal);
        CHECK(x.sectors <= x.ideal);
        // C: f32 pairs of the mma fragment; MFMA's lanes run along rows, one f32 each.
        CHECK(x.bytes == (site.find("llvm.store") == std::string::npos ? 16 : async ? 8 : 4));
        loads += site.find("llvm.load") != std::string::npos;
        copies += site.find("nvvm.cp.async") != std::string::npos;
        stores += site.find("llvm.store") != std::string::npos;
      }
      for (const auto &[site, x] : report.shared)
        if (site.find("vector.store") != std::string::npos) {
          INFO(site << ": " << x.sectors << " wavefronts for " << x.ideal);
          CHECK(x.sectors <= x.ideal);
          staged += site.find("vector.store") != std::string::npos;
        }
      CHECK(copies == (async ? 1 : 0)); // one source line loads A and B
      CHECK(loads == (async ? 0 : 1));
      CHECK(stores == 1);
      CHECK(staged == (async ? 0 : 1));
      std::vector<double> absProduct;
      std::vector<double> ref = reference_gemm(a, b, M, N, K, &absProduct);
      CHECK(check(c, ref, gemm_bound(absProduct, K)).ok());
    }
}

TEST_CASE("GEMM pipelined over 2, 3 and 4 stages on sm_80 matches the reference however many steps K takes",
          "[gpu-emu][dot][cp.async]") {
  // 64 x 64 x 32 blocks on 4 warps, K and N multiples of 8 (8-element, 16-byte copies):
  // K = 8, 40, 72 and 200 are 1, 2, 3 and 7 steps, fewer than, as many as and more than
  // the stages in flight; M and N are no multiples of the block, so edge rows and
  // columns are zero-filled copies. Every element of C is checked against fp64.
  const std::string target = "gpu-emu:sm_80";
  const int64_t M = 70, N = 72;
  for (int stages : {2, 3, 4})
    for (int64_t K : {8, 40, 72, 200}) {
      const std::string what = std::to_string(stages) + " stages, K = " + std::to_string(K);
      INFO(what);
      GemmConfig config{64, 64, 32};
      config.num_warps = 4;
      config.num_stages = stages;
      config.kn_multiple = 8;
      CheckedGemm(Gemm(DType::BF16, target, {}, config), M, N, K, what);
      CHECK(cp_async_sites() == 1); // A's and B's copies come from one source line
    }
}

TEST_CASE("attention pipelined over 2 and 3 stages on sm_80 matches the reference however many key steps it takes",
          "[gpu-emu][dot][cp.async]") {
  // 32 queries and 32 keys a step on 4 warps, D = 64: K is read by the first dot as the
  // transpose of its load (its rows are the dot's columns), V by the second as loaded.
  // 20, 50, 90 and 200 keys are 1, 2, 3 and 7 steps, fewer than, as many as and more
  // than the stages in flight, and no multiple of the step (the last step's rows past
  // the end are zero-filled copies); with causal masking, the queries' blocks stop at
  // different steps. Every element of out is checked against fp64.
  const std::string target = "gpu-emu:sm_80";
  const int64_t batch = 2, Sq = 45, Hq = 2, Hkv = 1, D = 64;
  for (int stages : {2, 3})
    for (int64_t Skv : {20, 50, 90, 200})
      for (bool causal : {false, true}) {
        const std::string what = std::to_string(stages) + " stages, " + std::to_string(Skv) + " keys" +
                                 (causal ? ", causal" : "");
        INFO(what);
        AttentionConfig config = default_attention_config(target, D, causal, false);
        config.BM = 32;
        config.BN = 32;
        config.num_warps = 4;
        config.num_stages = stages;
        REQUIRE(config.aligned);
        Buffer q = testing::random_buffer(DType::BF16, batch * Sq * Hq * D, what + " q"),
               k = testing::random_buffer(DType::BF16, batch * Skv * Hkv * D, what + " k"),
               v = testing::random_buffer(DType::BF16, batch * Skv * Hkv * D, what + " v");
        Buffer out(DType::BF16, static_cast<size_t>(batch * Sq * Hq * D));
        out.fill_bytes(0xFF); // NaNs: an element never written fails the check
        const double scale = 0.125;
        Attention attention(DType::BF16, target, {}, config);
        attention(q, k, v, out, nullptr, batch, Sq, Skv, Hq, Hkv, scale);
        CHECK(cp_async_sites() == 2); // K's and V's
        std::vector<int32_t> cuQ, cuK;
        for (int64_t b = 0; b <= batch; ++b) {
          cuQ.push_back(static_cast<int32_t>(b * Sq));
          cuK.push_back(static_cast<int32_t>(b * Skv));
        }
        AttentionReference ref = reference_attention(q, k, v, cuQ, cuK, Hq, Hkv, static_cast<int>(D), scale, causal);
        CHECK(check(out, ref.out, ref.out_bound).ok());
      }
}

TEST_CASE("a Gemm built without a shape chooses the kernel for K's and N's factor at each launch",
          "[gpu-emu][dot][cp.async]") {
  // GemmConfig::kn_multiple 0 (the default): the Gemm compiles the kernel that promises
  // nothing, and a launch whose K and N share a factor (with 16-byte aligned buffers, as
  // the runtime allocates them) runs the kernel compiled for that factor instead,
  // compiled once: on sm_80 the pipelined one with cp.async. K = 39 keeps the generic
  // kernel. Either way C matches fp64.
  const std::string target = "gpu-emu:sm_80";
  Gemm gemm(DType::BF16, target);
  REQUIRE(gemm.config().kn_multiple == 0);
  const int64_t M = 70, N = 72;
  for (int64_t K : {40, 39, 200}) {
    const std::string what = "K = " + std::to_string(K);
    INFO(what);
    const CheckedGemm run(gemm, M, N, K, what);
    const bool factor = K % 2 == 0;
    CHECK(cp_async_sites() == (factor ? 1 : 0));
    const std::shared_ptr<const CompiledKernel> chosen = gemm.kernel_for(N, K, {&run.a, &run.b, &run.c});
    CHECK((chosen.get() == &gemm.compiled()) == !factor);
    CHECK(gemm.kernel_for(N, K, {&run.a, &run.b, &run.c}) == chosen); // compiled once
  }
}

TEST_CASE("GEMM at 128 x 128 x 64 in 3 stages runs from dynamic shared memory on sm_80", "[gpu-emu][dot][cp.async]") {
  // Triton's configuration for the comparison: three stages of A (128 x 64) and B
  // (64 x 128) in bf16 are 96 KiB, more than a kernel declares statically (48 KiB), so
  // the block's shared memory is dynamic and the kernel states its bytes. K = 40, 200
  // and 520 are 1, 4 and 9 steps of 64; M and N are no multiples of the block. Every
  // element of C is checked against fp64.
  const std::string target = "gpu-emu:sm_80";
  GemmConfig config{128, 128, 64};
  config.num_warps = 8;
  config.num_stages = 3;
  config.kn_multiple = 8;
  Gemm gemm(DType::BF16, target, {}, config);
  const int64_t M = 130, N = 136;
  for (int64_t K : {40, 200, 520}) {
    const std::string what = "K = " + std::to_string(K);
    INFO(what);
    CheckedGemm(gemm, M, N, K, what);
    CHECK(cp_async_sites() == 1);
  }
}
