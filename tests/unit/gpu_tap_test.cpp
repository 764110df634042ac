// What gpu-emu runs is what the vendor targets compile: the module at their emu-tap stage
// holds only upstream dialects and per-thread values, and only upstream passes follow.
#include "tegula/compiler/compile.h"
#include "tegula/compiler/target_backend.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/norms.h"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <sstream>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// Every op name in `ir` ("dialect.op" at the start of an op, after any results).
std::set<std::string> op_names(const std::string &ir) {
  std::set<std::string> names;
  static const std::regex op(R"(^\s*(?:%[^=]+=\s*)?\"?([a-z_]+\.[a-z_.]+)\"?)");
  std::istringstream lines(ir);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, op))
      names.insert(m[1]);
  }
  return names;
}

} // namespace

TEST_CASE("the emu-tap module holds only upstream dialects and per-thread values", "[gpu-emu][tap]") {
  const std::set<std::string> upstream = {"arith", "math", "scf", "vector", "memref", "llvm", "gpu", "builtin"};
  for (const std::string target : {"cuda:sm_80", "rocm:gfx942"}) {
    for (const dsl::TracedKernel &traced :
         {trace_vector_add(DType::F32, {}), trace_softmax(DType::BF16, default_softmax_config(target, 1031)),
          trace_rms_norm(DType::F16, default_norm_config(target, 1031, 1e-6)),
          trace_layer_norm(DType::F32, default_norm_config(target, 1031, 1e-5))}) {
      INFO(target << " " << traced.name);
      const std::string tap = emit(traced, target, "emu-tap");
      for (const std::string &name : op_names(tap)) {
        INFO(name);
        CHECK(upstream.count(name.substr(0, name.find('.'))) == 1);
      }
      CHECK(op_names(tap).count("gpu.func") == 1);
      // Per thread: no tile, no layout, nothing of Tegula's own.
      CHECK(tap.find("tensor<") == std::string::npos);
      CHECK(tap.find("tile.") == std::string::npos);
      CHECK(tap.find("tgpu.") == std::string::npos);
      CHECK(tap.find("!tile") == std::string::npos);
    }
  }
}

TEST_CASE("after the emu-tap stage only upstream passes run", "[gpu-emu][tap]") {
  // What may follow the tap: upstream conversions and cleanups, nothing that could change
  // what the emulator checked.
  const std::set<std::string> allowed = {"convert-scf-to-cf", "convert-nvgpu-to-nvvm", "convert-amdgpu-to-rocdl", "convert-gpu-to-nvvm", "convert-gpu-to-rocdl",
                                         "convert-math-to-rocdl", "convert-math-to-llvm", "canonicalize", "cse", "reconcile-unrealized-casts"};
  for (const std::string target : {"cuda:sm_80", "cuda:sm_90", "rocm:gfx942", "rocm:gfx90a"}) {
    INFO(target);
    std::vector<compiler::Stage> stages = compiler::configure_target(target)->stages({});
    auto tap = std::find_if(stages.begin(), stages.end(), [](const compiler::Stage &s) { return s.name == "emu-tap"; });
    REQUIRE(tap != stages.end());
    int after = 0;
    for (auto it = std::next(tap); it != stages.end(); ++it) {
      // Pass names: the words of the pipeline outside option braces, nesting removed.
      std::string text = std::regex_replace(it->passes, std::regex(R"(\{[^}]*\})"), "");
      for (const std::string &opener : {"gpu.module(", "builtin.module(", "func.func("})
        for (size_t at; (at = text.find(opener)) != std::string::npos;)
          text.erase(at, opener.size());
      text.erase(std::remove(text.begin(), text.end(), ')'), text.end());
      std::istringstream passes(text);
      for (std::string pass; std::getline(passes, pass, ',');) {
        INFO(it->name << ": " << pass);
        CHECK(allowed.count(pass) == 1);
        ++after;
      }
    }
    CHECK(after > 0);
  }
}
