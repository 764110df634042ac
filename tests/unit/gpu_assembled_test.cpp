// The "assembled" rung of the library kernels with `dot`: GEMM with its epilogues,
// attention and the multi-LoRA kernels in their default configurations are made into
// loadable binaries by the vendors' tools (ptxas for sm_80 and sm_90, ld.lld for gfx942
// and gfx90a), within the shared memory a kernel may declare, spilling nothing. The
// kernels without `dot` are held to the same in backends/{cuda,rocm}/test; gpu-emu
// checks the answers (backends/gpu-emu/test/xcheck.mlir).
#include "tegula/compiler/compile.h"
#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// The value of `key: N` in a `resources` report.
int64_t field(const std::string &report, const std::string &key) {
  const size_t at = report.find(key + ": ");
  REQUIRE(at != std::string::npos);
  return std::stoll(report.substr(at + key.size() + 2));
}

std::vector<std::pair<std::string, dsl::TracedKernel>> dot_kernels(const std::string &target) {
  std::vector<std::pair<std::string, dsl::TracedKernel>> out;
  for (DType dtype : {DType::F32, DType::F16, DType::BF16})
    out.emplace_back("gemm " + std::string(dtype_name(dtype)), trace_gemm(dtype, default_gemm_config(target)));
  // K and N multiples of 16: 16-byte accesses, and two cp.async stages where the target has them.
  for (DType dtype : {DType::F16, DType::BF16})
    out.emplace_back("gemm " + std::string(dtype_name(dtype)) + " aligned",
                     trace_gemm(dtype, default_gemm_config(target, 1024, 1024, 1024)));
  // f32 that allows tf32 (mma.sync m16n8k8 on NVIDIA; exact FMAs on AMD), either way.
  out.emplace_back("gemm f32 tf32", trace_gemm(DType::F32, default_tf32_gemm_config(target, 1000, 1000, 1001)));
  out.emplace_back("gemm f32 tf32 aligned", trace_gemm(DType::F32, default_tf32_gemm_config(target, 1024, 1024, 1024)));
  GemmConfig epilogue = default_gemm_config(target);
  epilogue.bias = true;
  epilogue.activation = Activation::Gelu;
  out.emplace_back("gemm_bias_gelu bf16", trace_gemm(DType::BF16, epilogue));
  // D = 80 and 96 run as 128 columns, masked. In f32 they spill on AMD (gfx942: 6 and
  // 12 registers; D = 128 needs 244 of 256 already), so only their bf16 forms are here.
  for (DType dtype : {DType::F32, DType::BF16})
    for (auto [dim, causal] : {std::pair<int, bool>{64, false}, {80, false}, {96, true}, {128, true}})
      if (dtype == DType::BF16 || dim == 64 || dim == 128)
        out.emplace_back("attention " + std::string(dtype_name(dtype)) + " D=" + std::to_string(dim) +
                             (causal ? " causal" : ""),
                         trace_attention(dtype, default_attention_config(target, dim, causal, false)));
  for (DType dtype : {DType::F32, DType::BF16}) {
    for (LoraForm form : {LoraForm::Segmented, LoraForm::Gathered}) {
      const LoraConfig config = default_lora_config(target, form, 16);
      const std::string name = std::string(form == LoraForm::Segmented ? "sgmv" : "bgmv") + " " + std::string(dtype_name(dtype));
      out.emplace_back("lora shrink " + name, trace_lora_shrink(dtype, config));
      out.emplace_back("lora expand " + name, trace_lora_expand(dtype, config));
    }
    out.emplace_back("lora linear " + std::string(dtype_name(dtype)),
                     trace_lora_linear(dtype, default_lora_config(target, LoraForm::Segmented, 16)));
  }
  return out;
}

/// How many times `pattern` occurs in `text`.
int64_t occurrences(const std::string &text, const std::string &pattern) {
  const std::regex re(pattern);
  return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
}

/// The SASS of `cubin` as nvdisasm prints it (scripts/image-or-pypi.txt pins the tool).
std::string sass_of(const std::string &cubin, const std::string &name) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tegula-sass-" + std::to_string(getpid()) + "-" + name + ".cubin"))
                               .string();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(cubin.data(), static_cast<std::streamsize>(cubin.size()));
  }
  std::string text;
  FILE *pipe = popen((std::string(TEGULA_NVDISASM_PATH) + " -c " + path + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    text.append(buffer, n);
  const int status = pclose(pipe);
  std::remove(path.c_str());
  INFO(text.substr(0, 2000));
  REQUIRE(status == 0);
  return text;
}

} // namespace

TEST_CASE("NVIDIA's GEMM main loop in SASS: HMMA and LDSM, no FFMA", "[gpu][assembled][mma][sass]") {
  // What ptxas made of the PTX that the [mma] case counts: the loop over K is GEMM's only
  // loop, its k steps unrolled, so the kernel's counts are one step's: 32 HMMA.16816 with
  // f32 accumulators (tensor-core products), 4 LDSM.16.M88.4 (A) and 8 LDSM.16.MT88.4
  // (B, transposed), and no FFMA (nothing multiplies on the vector units).
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    for (DType dtype : {DType::F16, DType::BF16}) {
      // nvdisasm names the bf16 form; the f16 one is the unsuffixed HMMA.16816.F32.
      const std::string form =
          dtype == DType::BF16 ? "HMMA\\.16816\\.F32\\.BF16\\b" : "HMMA\\.16816\\.F32(?![.\\w])";
      const std::string in(dtype_name(dtype));
      INFO(target << " gemm " << in);
      const std::string sass = sass_of(emit(trace_gemm(dtype, default_gemm_config(target)), target, "cubin"),
                                       "gemm_" + std::string(dtype_name(dtype)) + "_" + (target + 5));
      CHECK(occurrences(sass, "\\b" + form) == 32);
      CHECK(occurrences(sass, "\\bHMMA\\b") == 32);
      CHECK(occurrences(sass, "\\bLDSM\\.16\\.M88\\.4\\b") == 4);
      CHECK(occurrences(sass, "\\bLDSM\\.16\\.MT88\\.4\\b") == 8);
      CHECK(occurrences(sass, "\\bFFMA\\b") == 0);
    }
  }
}

TEST_CASE("NVIDIA's tf32 GEMM main loop: HMMA.1688.F32.TF32, LDSM for A, single words for B, no FFMA",
          "[gpu][assembled][mma][sass][tf32]") {
  // default_tf32_gemm_config: 128 x 128 x 16 on 8 warps (each 32 x 64 of C: 2 x 8 tiles of
  // m16n8k8), k steps of 8 unrolled, so one loop step is 2 x 16 = 32 mma.sync. Per k
  // step a warp loads A's 2 fragments by ldmatrix.x4 (4 f32 rows) and B's 8 by 2 words a
  // lane (16 LDS), and rounds the 8 + 16 registers to tf32 (48 cvt.rna a loop step).
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"})
    for (bool aligned : {true, false}) {
      INFO(target << (aligned ? " K and N multiples of 16" : " K and N of no factor"));
      const GemmConfig config = aligned ? default_tf32_gemm_config(target, 1024, 1024, 1024)
                                        : default_tf32_gemm_config(target, 1000, 1000, 1001);
      const dsl::TracedKernel traced = trace_gemm(DType::F32, config);
      const std::string ptx = emit(traced, target, "ptx");
      CHECK(occurrences(ptx, "mma\\.sync\\.aligned\\.m16n8k8\\.row\\.col\\.f32\\.tf32\\.tf32\\.f32") == 32);
      CHECK(occurrences(ptx, "cvt\\.rna\\.tf32\\.f32") == 48);
      CHECK(occurrences(ptx, "ldmatrix\\.sync\\.aligned\\.m8n8\\.x4\\.shared\\.b16") == 4);
      CHECK(occurrences(ptx, "\\bfma\\.rn\\.f32") == 0);
      const std::string sass =
          sass_of(emit(traced, target, "cubin"), std::string("gemm_tf32_") + (target + 5) + (aligned ? "_a" : ""));
      CHECK(occurrences(sass, "\\bHMMA\\.1688\\.F32\\.TF32\\b") == 32);
      CHECK(occurrences(sass, "\\bHMMA\\b") == 32);
      CHECK(occurrences(sass, "\\bLDSM\\.16\\.M88\\.4\\b") == 4);
      CHECK(occurrences(sass, "\\*/\\s+LDS\\s") == 32); // unpredicated: ptxas's @!PT padding is none
      CHECK(occurrences(sass, "\\bFFMA\\b") == 0);
      const std::string report = emit(traced, target, "resources");
      INFO(report);
      CHECK(field(report, "spills") == 0);
      CHECK(field(report, "dynamic_shared_bytes") == 0); // 3 stages of 16 KiB: the static 48 KiB
      if (aligned) { // 128 registers or fewer: two blocks of 8 warps an SM
        CHECK(field(report, "registers") <= 128);
        CHECK(field(report, "occupancy_blocks") == 2);
      }
    }
}

TEST_CASE("GEMM with K and N multiples of 16 copies its operands in 16 bytes, pipelined on NVIDIA", "[gpu][assembled][sass]") {
  // default_gemm_config with a shape whose K and N are multiples of 16 compiles those
  // factors and 16-byte aligned buffers in: every row of A and B starts aligned, so a
  // thread's 8 consecutive 16-bit elements of a row move as one 16 bytes. On sm_80 and
  // sm_90 that is one cp.async (LDGSTS) straight into shared memory, and the loop over K
  // runs two stages (num_stages = 2): per step (128 x 32 of A and 32 x 128 of B over 256
  // threads) 2 copies for A and 2 for B, issued once before the loop for the first step
  // and once in it for the next: 8 LDGSTS.128 and 2 commit groups (LDGDEPBAR), one wait
  // in the loop and one after it (DEPBAR), nothing through registers (no LDG, no STS).
  // C's f32 pairs of the mma fragment go as 8-byte stores. Without the promise (K = 999)
  // the same kernel loads 2 bytes at a time into registers and is not pipelined.
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    for (DType dtype : {DType::F16, DType::BF16}) {
      INFO(target << " gemm " << dtype_name(dtype));
      const GemmConfig aligned = default_gemm_config(target, 1024, 1024, 1024);
      REQUIRE(aligned.kn_multiple == 16);
      REQUIRE(aligned.num_stages == 2);
      const std::string ptx = emit(trace_gemm(dtype, aligned), target, "ptx");
      CHECK(occurrences(ptx, "cp\\.async\\.cg\\.shared\\.global\\b") == 8);
      CHECK(occurrences(ptx, "cp\\.async\\.commit_group") == 2);
      CHECK(occurrences(ptx, "cp\\.async\\.wait_group") == 2);
      const std::string sass = sass_of(emit(trace_gemm(dtype, aligned), target, "cubin"),
                                       "gemm_aligned_" + std::string(dtype_name(dtype)) + "_" + (target + 5));
      CHECK(occurrences(sass, "\\bLDGSTS\\.E\\.BYPASS\\.128\\b") == 8);
      CHECK(occurrences(sass, "\\bLDGDEPBAR\\b") == 2);
      CHECK(occurrences(sass, "\\bDEPBAR\\b") == 2);
      CHECK(occurrences(sass, "\\bLDG\\b") == 0);
      CHECK(occurrences(sass, "\\bSTS\\b") == 0);
      CHECK(occurrences(sass, "\\bSTG\\.E\\.64\\b") == 32);
      CHECK(occurrences(sass, "\\bHMMA\\b") == 32);
      CHECK(occurrences(sass, "\\bLDSM\\b") == 12);

      const GemmConfig unaligned = default_gemm_config(target, 1024, 1024, 999);
      REQUIRE(unaligned.kn_multiple == 1);
      const std::string scalar = sass_of(emit(trace_gemm(dtype, unaligned), target, "cubin"),
                                         "gemm_unaligned_" + std::string(dtype_name(dtype)) + "_" + (target + 5));
      CHECK(occurrences(scalar, "\\bLDG\\.E\\.U16\\b") == 32);
      CHECK(occurrences(scalar, "\\bLDGSTS\\b") == 0);
    }
  }
  // AMD has no asynchronous copies: 16-byte loads into registers, 512 threads, so one
  // for A's 8 elements a thread and one for B's.
  for (const char *target : {"rocm:gfx942", "rocm:gfx90a"}) {
    INFO(target << " gemm bf16");
    const std::string code = emit(trace_gemm(DType::BF16, default_gemm_config(target, 1024, 1024, 1024)), target, "asm");
    CHECK(occurrences(code, "\\bglobal_load_dwordx4\\b") == 2);
    CHECK(occurrences(code, "\\bglobal_load_ushort\\b") == 0);
  }
}

TEST_CASE("attention copies K and V in 16 bytes, pipelined on NVIDIA, and reads K without a transpose",
          "[gpu][assembled][sass]") {
  // The GPU configuration promises 16-byte aligned buffers (D is a multiple of 16, so
  // every row starts aligned) and two stages. Per key step, K's and V's blocks (64 x 64
  // at D = 64, 32 x 128 at D = 128: 8 KiB each over 256 threads) are 2 cp.async of 16
  // bytes a thread each, issued once before the loop and once in it: 8 LDGSTS.128, 2
  // commit groups, a wait in the loop and one after it. Only Q (2 vectors a thread) and
  // the 4 sequence offsets come through registers. K, the transpose of its load, lands
  // as loaded, and ldmatrix reads it without .trans (LDSM.16.M88); only V, read along
  // its rows, takes the transpose (LDSM.16.MT88).
  struct Expect {
    int D, hmma, ldsm, ldsmTransposed;
  };
  // D = 64: Q K^T and P V on 8 warps as 4 x 2 over 64 x 64 (1 x 4 instruction tiles a
  // warp), 4 k steps each of 1 A and 2 B ldmatrix.x4. D = 128: Q K^T is 32 x 32 (one
  // tile a warp, 8 k steps of an A x4 and a B x2); P V 32 x 128 (1 x 4 tiles a warp,
  // 2 k steps of an A x4 and two B x4).
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"})
    for (Expect e : {Expect{64, 32, 24, 8}, Expect{128, 16, 22, 4}}) {
      INFO(target << " attention bf16 D = " << e.D);
      const AttentionConfig config = default_attention_config(target, e.D, false, false);
      REQUIRE(config.aligned);
      REQUIRE(config.num_stages == 2);
      const std::string ptx = emit(trace_attention(DType::BF16, config), target, "ptx");
      CHECK(occurrences(ptx, "cp\\.async\\.cg\\.shared\\.global\\b") == 8);
      CHECK(occurrences(ptx, "cp\\.async\\.commit_group") == 2);
      CHECK(occurrences(ptx, "cp\\.async\\.wait_group") == 2);
      const std::string sass = sass_of(emit(trace_attention(DType::BF16, config), target, "cubin"),
                                       "attention_" + std::to_string(e.D) + "_" + (target + 5));
      CHECK(occurrences(sass, "\\bLDGSTS\\.E\\.BYPASS\\.128\\b") == 8);
      CHECK(occurrences(sass, "\\bLDGDEPBAR\\b") == 2);
      CHECK(occurrences(sass, "\\bDEPBAR\\b") == 2);
      CHECK(occurrences(sass, "\\bLDG\\.E\\.128\\b") == 2);
      CHECK(occurrences(sass, "\\bLDG\\b") == 6);
      CHECK(occurrences(sass, "\\bHMMA\\b") == e.hmma);
      CHECK(occurrences(sass, "\\bLDSM\\b") == e.ldsm);
      CHECK(occurrences(sass, "\\bLDSM\\.16\\.MT88") == e.ldsmTransposed);
    }
}

TEST_CASE("multi-LoRA's shrink and linear layer pipeline their 16-bit loads on NVIDIA when H is known aligned",
          "[gpu][assembled]") {
  // default_lora_config with hidden sizes that are multiples of 16 promises them and
  // aligned buffers and takes two stages: the segmented shrink's loop over H copies its
  // x block and its adapter's A block (read transposed by the dot) with cp.async, and
  // so does the linear layer's loop over K with x and W; the expand has no loop to
  // pipeline. Without the sizes, nothing is promised and nothing is copied. 4 warps:
  // a shrink step's x (16 x 64) and A (16 x 64) are one 16-byte copy a thread each, a
  // linear step's x one and W (64 x 64) four; issued before the loop and in it.
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    INFO(target);
    const LoraConfig aligned = default_lora_config(target, LoraForm::Segmented, 16, 4096, 4096);
    REQUIRE(aligned.hidden_multiple == 16);
    REQUIRE(aligned.num_stages == 2);
    const std::string cp = "cp\\.async\\.cg\\.shared\\.global\\b";
    CHECK(occurrences(emit(trace_lora_shrink(DType::BF16, aligned), target, "ptx"), cp) == 4);
    CHECK(occurrences(emit(trace_lora_linear(DType::BF16, aligned), target, "ptx"), cp) == 10);
    CHECK(occurrences(emit(trace_lora_expand(DType::BF16, aligned), target, "ptx"), cp) == 0);
    const LoraConfig plain = default_lora_config(target, LoraForm::Segmented, 16);
    CHECK(occurrences(emit(trace_lora_shrink(DType::BF16, plain), target, "ptx"), cp) == 0);
  }
}

TEST_CASE("NVIDIA's 16-bit dots run on mma.sync fed by ldmatrix, f32 dots on exact FMAs", "[gpu][assembled][mma]") {
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    // GEMM's default block, 128 x 128 x 32 on 8 warps: the warps split 4 x 2, each a
    // 32 x 64 sub-tile of 2 x 8 instruction tiles, and BK = 32 is two k steps of 16: per
    // step of the main loop 2 x 8 x 2 = 32 mma.sync; per k step each warp loads A's 2
    // fragments (ldmatrix.x4) and B's 8 (four ldmatrix.x4.trans, two fragments each).
    // The loop holds no scalar FMA: the accumulator stays in the fragments.
    for (DType dtype : {DType::F16, DType::BF16}) {
      const std::string in = std::string(dtype_name(dtype));
      INFO(target << " gemm " << in);
      const std::string ptx = emit(trace_gemm(dtype, default_gemm_config(target)), target, "ptx");
      CHECK(occurrences(ptx, "mma\\.sync\\.aligned\\.m16n8k16\\.row\\.col\\.f32\\." + in + "\\." + in + "\\.f32") == 32);
      CHECK(occurrences(ptx, "ldmatrix\\.sync\\.aligned\\.m8n8\\.x4\\.shared\\.b16") == 4);
      CHECK(occurrences(ptx, "ldmatrix\\.sync\\.aligned\\.m8n8\\.x4\\.trans\\.shared\\.b16") == 8);
      CHECK(occurrences(ptx, "\\bfma\\.rn\\.f32") == 0);
    }
    // f32 inputs: the kernel does not allow tf32, so the products stay exact on FMAs.
    {
      INFO(target << " gemm f32");
      const std::string ptx = emit(trace_gemm(DType::F32, default_gemm_config(target)), target, "ptx");
      CHECK(occurrences(ptx, "mma\\.sync") == 0);
      CHECK(occurrences(ptx, "\\bfma\\.rn\\.f32") > 0);
    }
    // Attention at D = 64 (64 queries and 64 keys a step, 8 warps as 4 x 2 over each 64 x
    // 64 product: 16 x 32 sub-tiles of 1 x 4 instruction tiles): Q K^T and P V are 4 k
    // steps of 4 each, 32 mma.sync a step.
    {
      INFO(target << " attention bf16");
      const std::string ptx =
          emit(trace_attention(DType::BF16, default_attention_config(target, 64, false, false)), target, "ptx");
      CHECK(occurrences(ptx, "mma\\.sync\\.aligned\\.m16n8k16") == 32);
      CHECK(occurrences(ptx, "ldmatrix") > 0);
    }
    // Multi-LoRA: the segmented form's tiles of tokens multiply on mma.sync; the gathered
    // form is one token per instance, a matrix-vector product (as Punica's BGMV), which
    // a 16-row instruction would pad 16-fold, so it stays on the vector units.
    for (LoraForm form : {LoraForm::Segmented, LoraForm::Gathered}) {
      const LoraConfig config = default_lora_config(target, form, 16);
      const bool tiles = form == LoraForm::Segmented;
      INFO(target << " lora " << (tiles ? "sgmv" : "bgmv"));
      CHECK((occurrences(emit(trace_lora_shrink(DType::BF16, config), target, "ptx"), "mma\\.sync") > 0) == tiles);
      CHECK((occurrences(emit(trace_lora_expand(DType::BF16, config), target, "ptx"), "mma\\.sync") > 0) == tiles);
    }
    {
      INFO(target << " lora linear");
      const LoraConfig config = default_lora_config(target, LoraForm::Segmented, 16);
      CHECK(occurrences(emit(trace_lora_linear(DType::BF16, config), target, "ptx"), "mma\\.sync") > 0);
    }
  }
}

TEST_CASE("AMD's 16-bit dots run on MFMA 32x32x8, f32 dots on exact FMAs", "[gpu][assembled][mfma]") {
  // GEMM's default block, 128 x 128 on 8 wavefronts, the longer side split first: 4 x 2
  // wavefronts, each a 32 x 64 sub-tile of 1 x 2 instruction tiles, and BK = 32 is
  // four k steps of 8: 8 v_mfma per step of the main loop. gfx942 has the bf16 form
  // itself; gfx90a its _1k form, which takes the same 4 elements a lane.
  // (LLVM spells the f16 form with an underscore on gfx942 only.)
  struct Names {
    const char *target, *f16, *bf16;
  };
  for (auto [target, f16Name, bf16Name] :
       {Names{"rocm:gfx942", "v_mfma_f32_32x32x8_f16", "v_mfma_f32_32x32x8_bf16"},
        Names{"rocm:gfx90a", "v_mfma_f32_32x32x8f16", "v_mfma_f32_32x32x8bf16_1k"}}) {
    for (DType dtype : {DType::F16, DType::BF16}) {
      INFO(target << " gemm " << dtype_name(dtype));
      const std::string code = emit(trace_gemm(dtype, default_gemm_config(target)), target, "asm");
      const std::string name = dtype == DType::BF16 ? bf16Name : f16Name;
      CHECK(occurrences(code, "\\b" + name + "\\b") == 8);
      CHECK(occurrences(code, "\\bv_mfma") == 8);
    }
    {
      INFO(target << " gemm f32");
      const std::string code = emit(trace_gemm(DType::F32, default_gemm_config(target)), target, "asm");
      CHECK(occurrences(code, "\\bv_mfma") == 0);
    }
    // Attention at D = 64: each 64 x 64 product is 2 x 2 instruction tiles (the other 4
    // wavefronts hold copies), 8 k steps each for Q K^T and P V.
    INFO(target << " attention bf16");
    const std::string code =
        emit(trace_attention(DType::BF16, default_attention_config(target, 64, false, false)), target, "asm");
    CHECK(occurrences(code, "\\b" + std::string(bf16Name) + "\\b") == 16);
  }
}

TEST_CASE("the resources report gives the occupancy by the vendor's allocation rules", "[gpu][assembled]") {
  // GEMM on K and N multiples of 16, 8 warps: NVIDIA allocates 126 registers a thread as
  // 128 (4,096 a warp, 4 warps in each of an SM's 4 partitions of 16,384), so 16 warps,
  // 2 blocks, fit; the 32 KiB of shared memory and the 1 KiB reserved per block would let
  // 4 (164 KiB on sm_80) or 6 (228 KiB on sm_90). Registers are the limit.
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    INFO(target);
    const std::string report =
        emit(trace_gemm(DType::BF16, default_gemm_config(target, 1024, 1024, 1024)), target, "resources");
    INFO(report);
    REQUIRE(field(report, "registers") > 120);
    REQUIRE(field(report, "registers") <= 128);
    REQUIRE(field(report, "shared_bytes") == 32768);
    CHECK(field(report, "occupancy_blocks") == 2);
    CHECK(field(report, "occupancy_warps") == 16);
    CHECK(field(report, "occupancy_max_warps") == 64);
    CHECK(report.find("occupancy_limit: registers\n") != std::string::npos);
  }
  // AMD: 8 wavefronts of 64 lanes, 2 on each of a CU's 4 SIMDs; a SIMD holds 8, or 512
  // vector registers a lane over the wavefronts' own (in units of 8).
  const std::string amd =
      emit(trace_gemm(DType::BF16, default_gemm_config("rocm:gfx942", 1024, 1024, 1024)), "rocm:gfx942", "resources");
  INFO(amd);
  const int64_t vgprs = (field(amd, "registers") + 7) / 8 * 8;
  const int64_t byRegisters = std::min<int64_t>(8, 512 / vgprs) / 2, byLds = 65536 / field(amd, "shared_bytes");
  CHECK(field(amd, "occupancy_blocks") == std::min({byRegisters, byLds, int64_t{4}}));
  CHECK(field(amd, "occupancy_max_warps") == 32);
}

TEST_CASE("a kernel over the static shared-memory limit declares dynamic shared memory", "[gpu][assembled]") {
  // GEMM at 128 x 128 x 64 in 3 stages of bf16: 3 x (16 + 16) KiB of A and B, above the
  // 48 KiB a kernel declares statically. The PTX declares the block's shared memory as
  // extern (sized at launch), and the report counts it: on sm_80, 1 block an SM (96
  // KiB and the 1 KiB reserved, of 164 KiB, leave no room for a second). Each step is
  // 4 copies of 16 bytes a thread for A and 4 for B, issued for two steps before the
  // loop and one in it.
  GemmConfig config{128, 128, 64};
  config.num_warps = 8;
  config.num_stages = 3;
  config.kn_multiple = 16;
  for (const char *target : {"cuda:sm_80", "cuda:sm_90"}) {
    INFO(target);
    const dsl::TracedKernel traced = trace_gemm(DType::BF16, config);
    const std::string ptx = emit(traced, target, "ptx");
    CHECK(occurrences(ptx, "\\.extern \\.shared") == 1);
    CHECK(occurrences(ptx, "cp\\.async\\.cg\\.shared\\.global\\b") == 24);
    const std::string report = emit(traced, target, "resources");
    INFO(report);
    CHECK(field(report, "dynamic_shared_bytes") == 98304);
    CHECK(field(report, "shared_bytes") == 98304);
    CHECK(field(report, "spills") == 0);
    CHECK(field(report, "occupancy_blocks") >= 1);
    if (std::string(target) == "cuda:sm_80")
      CHECK(field(report, "occupancy_blocks") == 1);
  }
  // The same within 48 KiB (2 stages of 128 x 128 x 32) stays static.
  const std::string report =
      emit(trace_gemm(DType::BF16, default_gemm_config("cuda:sm_80", 1024, 1024, 1024)), "cuda:sm_80", "resources");
  CHECK(field(report, "dynamic_shared_bytes") == 0);
}

TEST_CASE("every library kernel with dot assembles for the GPU targets without spilling", "[gpu][assembled]") {
  for (const char *target : {"cuda:sm_80", "cuda:sm_90", "rocm:gfx942", "rocm:gfx90a"}) {
    const int64_t shared = std::stoll(describe_target(target).attributes.at("static_shared_bytes"));
    for (auto &[name, traced] : dot_kernels(target)) {
      INFO(target << " " << name);
      std::string report;
      try {
        report = emit(traced, target, "resources");
      } catch (const Error &e) {
        FAIL_CHECK(e.what());
        continue;
      }
      INFO(report);
      CHECK(field(report, "spills") == 0);
      CHECK(field(report, "scratch_bytes") == 0);
      CHECK(field(report, "registers") > 0);
      CHECK(field(report, "shared_bytes") > 0); // the dot's operands
      CHECK(field(report, "shared_bytes") <= shared);
      CHECK(field(report, "occupancy_blocks") >= 1); // a block fits the unit
    }
  }
}
