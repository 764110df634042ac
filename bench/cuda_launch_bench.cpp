// The host's cost of a CUDA launch through the runtime (argument checks, parameter
// packing, cuLaunchKernel on the caller's stream, which returns without waiting), beside
// cuLaunchKernel called directly with parameters packed beforehand: the difference is
// what Tegula adds. Goal: under 5 us a launch. With NVIDIA's driver present it is the
// real one; otherwise (as on machines without a GPU) the fake libcuda.so.1 of the
// tests, whose cuLaunchKernel only checks and counts, so the figures are the runtime's
// own cost over a near-free call.
#include "lib/runtime/cuda/CudaApi.h"
#include "lib/runtime/cuda/CudaExecutable.h"

#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/cuda.h"
#include "tegula/runtime/device.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <iostream>

using namespace tegula;

namespace {

struct Setup {
  bool fake = false;
  std::unique_ptr<Device> device;
  std::shared_ptr<const CompiledKernel> kernel;
  std::vector<Buffer> buffers;
  void *stream = nullptr;

  Setup() {
    std::string why;
    if (!std::getenv("TEGULA_LIBCUDA") && !cuda::available(&why)) {
      setenv("TEGULA_LIBCUDA", TEGULA_FAKE_LIBCUDA, 1);
      fake = true;
      if (void *library = dlopen(TEGULA_FAKE_LIBCUDA, RTLD_NOW | RTLD_LOCAL))
        if (auto record = reinterpret_cast<void (*)(int)>(dlsym(library, "tegula_fake_cuda_record")))
          record(0);
    }
    std::cerr << "cuda launch bench: " << (fake ? "the fake libcuda.so.1 (no GPU here)" : cuda::libcuda_path())
              << "\n";
    device = std::make_unique<Device>(Device::open("cuda"));
    kernel = compile_traced(kernels::trace_vector_add(DType::F32, {}), "cuda:sm_90");
    for (int i = 0; i < 3; ++i)
      buffers.push_back(device->allocate(DType::F32, 1 << 20));
    const cuda::CudaApi &api = cuda::cuda_api();
    api.cuStreamCreate(reinterpret_cast<cuda::CUstream *>(&stream), cuda::CU_STREAM_NON_BLOCKING);
  }
};

Setup &setup() {
  static Setup s;
  return s;
}

void BM_TegulaLaunch(benchmark::State &state) {
  Setup &s = setup();
  std::vector<Arg> args{s.buffers[0], s.buffers[1], s.buffers[2], int64_t{1 << 20}};
  LaunchOptions options;
  options.stream = s.stream;
  for (auto _ : state)
    s.device->launch(s.kernel->kernel(), Grid(8192), args, options);
  cuda::synchronize(*s.device, s.stream);
}

void BM_CuLaunchKernelDirect(benchmark::State &state) {
  Setup &s = setup();
  const cuda::CudaApi &api = cuda::cuda_api();
  const auto *executable = s.kernel->kernel().executable_as<cuda::CudaExecutable>();
  auto function = static_cast<cuda::CUfunction>(executable->function(0));
  unsigned char parameters[28] = {};
  for (int i = 0; i < 3; ++i) {
    const uint64_t address = s.buffers[static_cast<size_t>(i)].device_address();
    std::memcpy(parameters + 8 * i, &address, 8);
  }
  const int32_t n = 1 << 20;
  std::memcpy(parameters + 24, &n, 4);
  size_t size = sizeof parameters;
  void *extra[] = {cuda::CU_LAUNCH_PARAM_BUFFER_POINTER, parameters, cuda::CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
                   cuda::CU_LAUNCH_PARAM_END};
  for (auto _ : state)
    api.cuLaunchKernel(function, 8192, 1, 1, static_cast<unsigned>(executable->threads()), 1, 1, 0,
                       static_cast<cuda::CUstream>(s.stream), nullptr, extra);
  cuda::synchronize(*s.device, s.stream);
}

} // namespace

BENCHMARK(BM_CuLaunchKernelDirect);
BENCHMARK(BM_TegulaLaunch);
BENCHMARK_MAIN();
