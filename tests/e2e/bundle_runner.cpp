// Loads an AOT bundle of GEMM (written by `tegula compile gemm --emit bundle`) with the
// LLVM-free runtime alone and launches it on a CUDA device for two shapes: one whose K
// and N are multiples of 16 and one whose N is not. Prints, for each, the entry the
// bundle chose (its target and what it assumes), which the calling test checks. Exit
// status 0 when both launched and a corrupt copy of the file was refused cleanly.
#include "tegula/runtime/bundle.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <cstdio>
#include <fstream>
#include <string>

using namespace tegula;

namespace {

std::string assumptions(const KernelInfo &info) {
  std::string out;
  for (const ArgSpec &a : info.args)
    if (a.multiple_of > 1)
      out += (out.empty() ? "" : " ") + a.name + "%" + std::to_string(a.multiple_of);
  return out.empty() ? "generic" : out;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bundle_runner <gemm bundle>\n");
    return 2;
  }
  try {
    const Bundle bundle = Bundle::load(argv[1]);
    for (const Bundle::Entry &entry : bundle.entries())
      std::printf("entry %s %s %s\n", entry.target.c_str(), entry.kernel.name().c_str(),
                  assumptions(entry.kernel.info()).c_str());
    Device device = Device::open("cuda");
    const int64_t M = 64, K = 256;
    for (int64_t N : {512, 500}) {
      Buffer a = device.allocate(DType::BF16, M * K), b = device.allocate(DType::BF16, K * N),
             c = device.allocate(DType::F32, M * N);
      std::vector<Arg> args{a, b, c, M, N, K};
      const Grid grid(1, (N + 127) / 128);
      const Kernel &chosen = bundle.select(device, grid, args);
      for (const Bundle::Entry &entry : bundle.entries())
        if (entry.kernel.executable() == chosen.executable())
          std::printf("N=%lld runs %s %s\n", static_cast<long long>(N), entry.target.c_str(),
                      assumptions(entry.kernel.info()).c_str());
      bundle.launch(device, grid, args);
    }
    // A cut-short copy is refused with the entry it breaks, not half loaded.
    std::ifstream in(argv[1], std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      Bundle::parse(bytes.substr(0, bytes.size() / 2));
      std::fprintf(stderr, "a truncated bundle was accepted\n");
      return 1;
    } catch (const Error &e) {
      std::printf("truncated: %s\n", e.what());
    }
    return 0;
  } catch (const Error &e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
