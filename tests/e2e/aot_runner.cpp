// Loads an AOT vector_add shared object with the LLVM-free runtime alone, runs it on
// generated inputs and checks every element. Exit status 0 only when all match.
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: aot_runner <kernel.so> <kernel name>\n");
    return 2;
  }
  try {
    tegula::Kernel k = tegula::Kernel::load_shared_object(argv[1], argv[2]);
    const int64_t n = 4099;
    tegula::Buffer x(tegula::DType::F32, n), y(tegula::DType::F32, n), out(tegula::DType::F32, n);
    for (int64_t i = 0; i < n; ++i) {
      x.as<float>()[i] = static_cast<float>(i % 97) * 0.25f;
      y.as<float>()[i] = static_cast<float>(i % 13) - 6.0f;
    }
    out.fill_bytes(0xFF);
    tegula::launch(k, tegula::Grid((n + 1023) / 1024), x, y, out, n);
    for (int64_t i = 0; i < n; ++i)
      if (out.as<float>()[i] != x.as<float>()[i] + y.as<float>()[i]) {
        std::fprintf(stderr, "mismatch at %lld\n", static_cast<long long>(i));
        return 1;
      }
    // A wrong launch is an error, not a crash.
    try {
      tegula::launch(k, tegula::Grid(1), x, y, out);
      std::fprintf(stderr, "missing-argument launch was accepted\n");
      return 1;
    } catch (const tegula::Error &e) {
      std::printf("rejected as expected: %s\n", e.what());
    }
    std::printf("aot kernel '%s' ok on %lld elements\n", argv[2], static_cast<long long>(n));
    return 0;
  } catch (const tegula::Error &e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
