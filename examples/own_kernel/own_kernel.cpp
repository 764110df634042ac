// A kernel of one's own: SwiGLU's gate, out = silu(gate) * up, written in the kernel
// language, compiled for every target this Tegula has (the final form each emits, or
// why it refuses), and run on the host against an fp64 reference.
//   own_kernel [seed]
#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

using namespace tegula::dsl;

struct SwigluConfig {
  int block = 256;
};

void swiglu(Ptr<f32> gate, Ptr<f32> up, Ptr<f32> out, Int n, SwigluConfig cfg) {
  auto offsets = program_id(0) * cfg.block + arange(cfg.block);
  auto in_range = offsets < n;
  auto g = load(gate + offsets, in_range, 0.0);
  auto u = load(up + offsets, in_range, 0.0);
  store(out + offsets, g * sigmoid(g) * u, in_range);
}

int main(int argc, char **argv) {
  const uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : std::random_device{}();
  std::printf("own_kernel: seed %llu\n", static_cast<unsigned long long>(seed));
  SwigluConfig cfg;
  tegula::CompileOptions options;
  options.arg_names = {"gate", "up", "out", "n"};
  try {
    // Every target: its first binary form (an object, a cubin, a code object, a program
    // image), else its last text form, or why it refuses the kernel.
    tegula::dsl::TracedKernel traced = trace("swiglu", &swiglu, options.arg_names, cfg);
    for (const tegula::TargetDescription &target : tegula::available_targets()) {
      const tegula::EmitKindInfo *chosen = &target.emit_kinds.back();
      for (const tegula::EmitKindInfo &k : target.emit_kinds)
        if (k.binary) {
          chosen = &k;
          break;
        }
      const tegula::EmitKindInfo &kind = *chosen;
      try {
        std::string code = tegula::emit(traced, target.name, kind.name, options);
        std::printf("  %-8s emits %-9s %zu bytes\n", target.name.c_str(), kind.name.c_str(), code.size());
      } catch (const tegula::Error &e) {
        std::printf("  %-8s emits %-9s refused: %s\n", target.name.c_str(), kind.name.c_str(), e.what());
      }
    }

    // Run on the host. n is not a multiple of the block: the last program is masked.
    auto kernel = tegula::compile("swiglu", &swiglu, tegula::host_target(), options, cfg);
    const int64_t n = 100003;
    tegula::Buffer gate(tegula::DType::F32, n), up(tegula::DType::F32, n), out(tegula::DType::F32, n);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> dist(-6.0f, 6.0f);
    for (float &v : gate.as<float>())
      v = dist(rng);
    for (float &v : up.as<float>())
      v = dist(rng);
    out.fill_bytes(0xFF); // NaN: an element the kernel does not write stays NaN
    kernel->launch(tegula::Grid((n + cfg.block - 1) / cfg.block), gate, up, out, n);

    int64_t bad = 0;
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double g = gate.as<float>()[i], u = up.as<float>()[i];
      const double ref = g / (1.0 + std::exp(-g)) * u;
      const double got = out.as<float>()[i];
      const double err = std::fabs(got - ref);
      // f32 evaluation: a few roundings of the result's size, and exp's error.
      const double bound = 1e-5 * std::fabs(ref) + 1e-6;
      if (!(err <= bound)) {
        if (bad < 5)
          std::printf("  out[%lld] = %.9g, reference %.9g\n", static_cast<long long>(i), got, ref);
        ++bad;
      }
      if (err > worst)
        worst = err;
    }
    std::printf("own_kernel: %s, %lld of %lld elements outside the bound (largest error %.3g), compiled in %.1f ms\n",
                kernel->target().c_str(), static_cast<long long>(bad), static_cast<long long>(n), worst,
                kernel->compile_ms());
    return bad == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "own_kernel: %s\n", e.what());
    return 1;
  }
}
