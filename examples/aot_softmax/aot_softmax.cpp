// The runtime alone: load a softmax that `tegula compile softmax --emit so` wrote ahead
// of time, run it on the cpu and check it against an fp64 reference. Links only
// libtegula_runtime (no LLVM, no compiler).
//   aot_softmax softmax_f32.so [seed]
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: aot_softmax softmax_f32.so [seed]\n");
    return 2;
  }
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : std::random_device{}();
  std::printf("aot_softmax: seed %llu\n", static_cast<unsigned long long>(seed));
  try {
    tegula::Kernel kernel = tegula::Kernel::load_shared_object(argv[1], "softmax_f32");
    for (const tegula::ArgSpec &arg : kernel.info().args)
      std::printf("  argument %s: %s %s\n", arg.name.c_str(),
                  arg.kind == tegula::ArgSpec::Kind::Buffer ? "buffer of" : "scalar",
                  std::string(tegula::dtype_name(arg.dtype)).c_str());

    // Rows are not a multiple of the rows a program takes; the specialized entry
    // assumes N a multiple of 8 (the launch checks it).
    const int64_t M = 203, N = 1000;
    tegula::Buffer x(tegula::DType::F32, M * N), y(tegula::DType::F32, M * N);
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, 3.0f);
    for (float &v : x.as<float>())
      v = dist(rng);
    y.fill_bytes(0xFF); // NaN: an element the kernel does not write stays NaN

    // The cpu's softmax configuration takes 4 rows per program (docs/kernels.md).
    const int64_t rows_per_program = 4;
    tegula::launch(kernel, tegula::Grid((M + rows_per_program - 1) / rows_per_program), x, y, M, N);

    // A wrong launch is an error that names what is wrong, and nothing runs.
    try {
      tegula::launch(kernel, tegula::Grid(1), x, y, M);
      std::printf("aot_softmax: a launch with a missing argument was accepted\n");
      return 1;
    } catch (const tegula::Error &e) {
      std::printf("  refused as it should be: %s\n", e.what());
    }

    const std::span<const float> xs = x.as<float>(), ys = y.as<float>();
    int64_t bad = 0;
    for (int64_t r = 0; r < M; ++r) {
      const float *row = xs.data() + r * N;
      const double mx = *std::max_element(row, row + N);
      double total = 0;
      for (int64_t c = 0; c < N; ++c)
        total += std::exp(row[c] - mx);
      for (int64_t c = 0; c < N; ++c) {
        const double ref = std::exp(row[c] - mx) / total;
        const double got = ys[r * N + c];
        if (!(std::fabs(got - ref) <= 1e-5 * ref + 1e-7)) { // f32: exp and a sum of N terms
          if (bad < 5)
            std::printf("  y[%lld, %lld] = %.9g, reference %.9g\n", static_cast<long long>(r),
                        static_cast<long long>(c), got, ref);
          ++bad;
        }
      }
    }
    std::printf("aot_softmax: %lld of %lld elements outside the bound\n", static_cast<long long>(bad),
                static_cast<long long>(M * N));
    return bad == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "aot_softmax: %s\n", e.what());
    return 1;
  }
}
