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
  GemmConfig epilogue = default_gemm_config(target);
  epilogue.bias = true;
  epilogue.activation = Activation::Gelu;
  out.emplace_back("gemm_bias_gelu bf16", trace_gemm(DType::BF16, epilogue));
  for (DType dtype : {DType::F32, DType::BF16})
    for (auto [dim, causal] : {std::pair<int, bool>{64, false}, {128, true}})
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

} // namespace

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
    }
  }
}
