// The runtime's cuda driver against the fake libcuda.so.1 built in the tree
// (tests/fake_cuda): kernels the cuda target builds load as modules, launches pack
// their parameters as the PTX declares them, dynamic shared memory above 48 KiB is
// opted into, launches go to the caller's stream, device pointers are wrapped without
// ownership, events time, and every failure (no driver, no device, a bad image, a
// missing function, a host buffer, a grid CUDA refuses, no memory, a kernel that
// faults) is an Error that names what was wrong. No GPU: the fake records launches
// instead of running them.
#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/bundle.h"
#include "tegula/runtime/cuda.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include "lib/runtime/cuda/CudaApi.h"
#include "lib/runtime/cuda/CudaExecutable.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::kernels;

extern "C" struct TegulaFakeCudaLaunch {
  char function[256];
  unsigned grid[3], block[3], shared_bytes;
  void *stream;
  size_t parameter_bytes;
  unsigned char parameters[4096];
};

namespace {

/// The fake library, as the runtime loads it (same path, so the same instance).
struct Fake {
  void *library = nullptr;
  Fake() {
    setenv("TEGULA_LIBCUDA", TEGULA_FAKE_LIBCUDA, 1);
    library = dlopen(TEGULA_FAKE_LIBCUDA, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(library);
    call<void (*)()>("tegula_fake_cuda_reset")();
  }
  template <typename F> F call(const char *name) const {
    void *symbol = dlsym(library, name);
    REQUIRE(symbol);
    return reinterpret_cast<F>(symbol);
  }
  int launches() const { return call<int (*)()>("tegula_fake_cuda_launches")(); }
  TegulaFakeCudaLaunch launch(int i) const {
    TegulaFakeCudaLaunch out{};
    REQUIRE(call<int (*)(int, TegulaFakeCudaLaunch *)>("tegula_fake_cuda_launch")(i, &out) == 1);
    return out;
  }
  TegulaFakeCudaLaunch last() const { return launch(launches() - 1); }
  void fail(const char *call_name, int result) const {
    call<void (*)(const char *, int)>("tegula_fake_cuda_fail")(call_name, result);
  }
};

/// One kernel parameter as the PTX declares it: its size in bytes.
std::vector<size_t> ptx_parameter_sizes(const std::string &ptx, const std::string &entry) {
  const size_t begin = ptx.find(".entry " + entry + "(");
  REQUIRE(begin != std::string::npos);
  const std::string list = ptx.substr(begin, ptx.find(')', begin) - begin);
  std::vector<size_t> sizes;
  const std::regex param(R"(\.param\s+\.[a-z](\d+)\b[^,]*_param_(\d+))");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), param); it != std::sregex_iterator(); ++it) {
    CHECK(std::stoul((*it)[2]) == sizes.size()); // in order
    sizes.push_back(std::stoul((*it)[1]) / 8);
  }
  return sizes;
}

/// `values` (one per parameter, as little-endian integers) laid out as the .param space
/// lays out parameters of `sizes`: each at a multiple of its size.
std::vector<unsigned char> param_space(const std::vector<size_t> &sizes, const std::vector<uint64_t> &values) {
  REQUIRE(sizes.size() == values.size());
  std::vector<unsigned char> bytes;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const size_t at = (bytes.size() + sizes[i] - 1) / sizes[i] * sizes[i];
    bytes.resize(at + sizes[i]);
    std::memcpy(bytes.data() + at, &values[i], sizes[i]);
  }
  return bytes;
}

std::vector<unsigned char> recorded(const TegulaFakeCudaLaunch &launch) {
  return {launch.parameters, launch.parameters + launch.parameter_bytes};
}

int gAssertLine = 0;
void checked_sqrt(dsl::Ptr<dsl::f32> x, dsl::Int n) {
  using namespace tegula::dsl;
  auto i = program_id(0) * 128 + arange(128);
  auto v = load(x + i, i < n, 0.0);
  gAssertLine = __LINE__ + 1;
  device_assert(v >= 0.0, "inputs must be non-negative");
  store(x + i, sqrt(v), i < n);
}

template <typename F> std::string error_of(F &&f, ErrorCode expected) {
  try {
    f();
  } catch (const Error &e) {
    CHECK(e.code() == expected);
    return e.what();
  }
  FAIL("no error");
  return "";
}

} // namespace

TEST_CASE("a cuda kernel loads from its cubin and launches with its parameters packed as the PTX declares them",
          "[cuda][driver]") {
  Fake fake;
  REQUIRE(cuda::available());
  const dsl::TracedKernel traced = trace_vector_add(DType::F32, {});
  auto kernel = compile_traced(traced, "cuda:sm_90");
  REQUIRE(kernel->kernel().driver() == "cuda");
  const auto *executable = kernel->kernel().executable_as<cuda::CudaExecutable>();
  REQUIRE(executable);
  CHECK(executable->arch() == "sm_90");
  CHECK(executable->entry() == "vector_add_f32");
  CHECK(executable->threads() == 128); // the cuda target's 4 warps
  CHECK(executable->dynamic_shared_bytes() == 0);

  Device device = Device::open("cuda");
  CHECK(device.driver() == "cuda");
  CHECK(device.name().find("Tegula fake GPU 0") != std::string::npos);
  CHECK(device.name().find("sm_90") != std::string::npos);
  const int64_t n = 1000;
  Buffer x = device.allocate(DType::F32, n), y = device.allocate(DType::F32, n), out = device.allocate(DType::F32, n);
  REQUIRE(x.host_accessible()); // managed memory: the host fills it
  x.as<float>()[0] = 1.5f;
  CHECK(x.device_address() % 256 == 0);
  const int before = fake.launches();
  device.launch(kernel->kernel(), Grid(8), x, y, out, n);
  REQUIRE(fake.launches() == before + 1);
  const TegulaFakeCudaLaunch launch = fake.last();
  CHECK(std::string(launch.function) == "vector_add_f32");
  CHECK((launch.grid[0] == 8 && launch.grid[1] == 1 && launch.grid[2] == 1));
  CHECK((launch.block[0] == 128 && launch.block[1] == 1 && launch.block[2] == 1));
  CHECK(launch.shared_bytes == 0);
  CHECK(launch.stream == cuda::default_stream(device));
  // The PTX, not the runtime, says how big each parameter is.
  const std::vector<size_t> sizes = ptx_parameter_sizes(emit(traced, "cuda:sm_90", "ptx"), "vector_add_f32");
  CHECK(sizes == std::vector<size_t>{8, 8, 8, 4});
  CHECK(recorded(launch) == param_space(sizes, {x.device_address(), y.device_address(), out.device_address(),
                                                static_cast<uint64_t>(n)}));
  // The module is loaded once per device, not per launch.
  const int modules = fake.call<int (*)()>("tegula_fake_cuda_modules_loaded")();
  device.launch(kernel->kernel(), Grid(8), x, y, out, n);
  CHECK(fake.call<int (*)()>("tegula_fake_cuda_modules_loaded")() == modules);
  // The free launch() finds the device from the buffers.
  tegula::launch(kernel->kernel(), Grid(3), x, y, out, int64_t{7});
  CHECK(fake.last().grid[0] == 3);
}

TEST_CASE("a kernel over 48 KiB of shared memory opts into it and asks for it at launch", "[cuda][driver]") {
  Fake fake;
  // GEMM at 128 x 128 x 64 in 3 stages: 96 KiB of dynamic shared memory.
  GemmConfig config = default_gemm_config("cuda:sm_90", 1024, 1024, 1024);
  config.BK = 64;
  config.num_stages = 3;
  const dsl::TracedKernel traced = trace_gemm(DType::BF16, config);
  auto kernel = compile_traced(traced, "cuda:sm_90");
  const auto *executable = kernel->kernel().executable_as<cuda::CudaExecutable>();
  REQUIRE(executable);
  const int64_t dynamic = executable->dynamic_shared_bytes();
  CHECK(dynamic > 48 * 1024);
  Device device = Device::open("cuda");
  const int64_t M = 256, N = 512, K = 1024;
  Buffer a = device.allocate(DType::BF16, M * K), b = device.allocate(DType::BF16, K * N),
         c = device.allocate(DType::F32, M * N);
  device.launch(kernel->kernel(), Grid(2, 4), a, b, c, M, N, K);
  const TegulaFakeCudaLaunch launch = fake.last();
  CHECK(std::string(launch.function) == executable->entry());
  CHECK(static_cast<int64_t>(launch.shared_bytes) == dynamic);
  CHECK(fake.call<int (*)(const char *)>("tegula_fake_cuda_max_dynamic_shared")(executable->entry().c_str()) == dynamic);
  CHECK((launch.grid[0] == 2 && launch.grid[1] == 4));
  CHECK(launch.block[0] == 256);
  const std::vector<size_t> sizes = ptx_parameter_sizes(emit(traced, "cuda:sm_90", "ptx"), executable->entry());
  CHECK(recorded(launch) == param_space(sizes, {a.device_address(), b.device_address(), c.device_address(),
                                                static_cast<uint64_t>(M), static_cast<uint64_t>(N),
                                                static_cast<uint64_t>(K)}));
  // More than the device allows a block is refused before the launch.
  auto greedy = std::make_shared<const cuda::CudaExecutable>(executable->image(), executable->entry(), "sm_90", 256,
                                                             300 * 1024);
  Kernel tooMuch(kernel->kernel().info(), greedy);
  const std::string why = error_of([&] { device.launch(tooMuch, Grid(1), a, b, c, M, N, K); },
                                   ErrorCode::InvalidArgument);
  CHECK(why.find("307200 bytes of dynamic shared memory; the device allows a block 232448") != std::string::npos);
}

TEST_CASE("a launch on the caller's stream returns at once; a fault surfaces at its synchronization",
          "[cuda][driver]") {
  Fake fake;
  auto kernel = compile_traced(trace_vector_add(DType::F32, {}), "cuda:sm_90");
  Device device = Device::open("cuda");
  Buffer x = device.allocate(DType::F32, 64), y = device.allocate(DType::F32, 64), out = device.allocate(DType::F32, 64);
  // A framework's own stream, made through its own CUDA calls.
  cuda::CUstream stream = nullptr;
  REQUIRE(fake.call<decltype(cuda::CudaApi::cuStreamCreate)>("cuStreamCreate")(&stream, 1) == 0);
  LaunchOptions options;
  options.stream = stream;
  std::vector<Arg> args{x, y, out, int64_t{64}};
  fake.call<void (*)(int)>("tegula_fake_cuda_fault_next_launch")(700); // CUDA_ERROR_ILLEGAL_ADDRESS
  device.launch(kernel->kernel(), Grid(1), args, options); // queued: no error yet
  CHECK(fake.last().stream == stream);
  std::string why = error_of([&] { cuda::synchronize(device, stream); }, ErrorCode::DeviceFault);
  CHECK(why.find("CUDA_ERROR_ILLEGAL_ADDRESS") != std::string::npos);
  // The context is dead: every later call fails, each saying so.
  why = error_of([&] { device.launch(kernel->kernel(), Grid(1), x, y, out, int64_t{64}); }, ErrorCode::DeviceFault);
  INFO(why);
  CHECK(why.find("cuLaunchKernel failed for kernel 'vector_add_f32'") != std::string::npos);
  fake.call<void (*)()>("tegula_fake_cuda_reset")();
  // On the device's own stream the launch waits, so the fault is the launch's error: a
  // failed device_assert (the kernel's __assertfail) names the kernel and its assertion.
  const dsl::TracedKernel asserting = dsl::trace("checked_sqrt", &checked_sqrt, {"x", "n"});
  const std::string ptx = emit(asserting, "cuda:sm_90", "ptx");
  CHECK(ptx.find("call.uni __assertfail") != std::string::npos);
  CHECK(ptx.find("trap;") == std::string::npos);
  auto sqrtKernel = compile_traced(asserting, "cuda:sm_90");
  fake.call<void (*)(int)>("tegula_fake_cuda_fault_next_launch")(710); // CUDA_ERROR_ASSERT
  why = error_of([&] { device.launch(sqrtKernel->kernel(), Grid(1), x, int64_t{64}); }, ErrorCode::AssertionFailed);
  INFO(why);
  CHECK(why.find("kernel 'checked_sqrt' failed a device_assert (CUDA_ERROR_ASSERT): kernel 'checked_sqrt': "
                 "assertion \"inputs must be non-negative\" at ") != std::string::npos);
  CHECK(why.find("cuda_driver_test.cpp:" + std::to_string(gAssertLine)) != std::string::npos);
  CHECK(why.find("unusable") != std::string::npos);
  fake.call<void (*)()>("tegula_fake_cuda_reset")();
  // Events time a stretch of a stream.
  cuda::EventTimer timer(device);
  timer.start();
  device.launch(kernel->kernel(), Grid(1), x, y, out, int64_t{64});
  CHECK(timer.stop() >= 0.0);
  REQUIRE(fake.call<decltype(cuda::CudaApi::cuStreamDestroy)>("cuStreamDestroy_v2")(stream) == 0);
}

TEST_CASE("device pointers a framework owns are wrapped, launched on and never freed", "[cuda][driver]") {
  Fake fake;
  auto kernel = compile_traced(trace_vector_add(DType::F32, {}), "cuda:sm_90");
  Device device = Device::open("cuda");
  auto allocate = fake.call<decltype(cuda::CudaApi::cuMemAllocManaged)>("cuMemAllocManaged");
  cuda::CUdeviceptr raw[3] = {};
  for (cuda::CUdeviceptr &p : raw)
    REQUIRE(allocate(&p, 400, 1) == 0);
  auto live = fake.call<int (*)()>("tegula_fake_cuda_live_allocations");
  const int owned = live();
  {
    Buffer x = cuda::wrap_device_pointer(device, DType::F32, 100, raw[0]);
    Buffer y = cuda::wrap_device_pointer(device, DType::F32, 100, raw[1]);
    Buffer out = cuda::wrap_device_pointer(device, DType::F32, 100, raw[2]);
    CHECK_FALSE(x.host_accessible());
    CHECK_FALSE(x.empty());
    device.launch(kernel->kernel(), Grid(1), x, y, out, int64_t{100});
    CHECK(recorded(fake.last()) == param_space({8, 8, 8, 4}, {raw[0], raw[1], raw[2], 100}));
    // The host cannot run a CPU kernel on them.
    auto host = compile_traced(trace_vector_add(DType::F32, {}), "cpu");
    const std::string why = error_of([&] { launch(host->kernel(), Grid(1), x, y, out, int64_t{100}); },
                                     ErrorCode::InvalidArgument);
    CHECK(why.find("argument 0 ('x')") != std::string::npos);
    CHECK(why.find("device memory the host cannot reach") != std::string::npos);
  }
  CHECK(live() == owned); // the wrappers freed nothing
  auto release = fake.call<decltype(cuda::CudaApi::cuMemFree)>("cuMemFree_v2");
  for (cuda::CUdeviceptr p : raw)
    CHECK(release(p) == 0);
  error_of([&] { cuda::wrap_device_pointer(device, DType::F32, 4, 0); }, ErrorCode::NullBuffer);
  error_of([&] { cuda::wrap_device_pointer(device, DType::F32, 4, raw[0] + 2); }, ErrorCode::InvalidArgument);
  // Managed buffers the runtime allocated are freed with their Buffer.
  const int before = live();
  { Buffer b = device.allocate(DType::F32, 10); CHECK(live() == before + 1); }
  CHECK(live() == before);
}

TEST_CASE("every failure of the cuda driver is an error that says what was wrong", "[cuda][driver]") {
  Fake fake;
  const dsl::TracedKernel traced = trace_vector_add(DType::F32, {});
  auto kernel = compile_traced(traced, "cuda:sm_90");
  Device device = Device::open("cuda");
  Buffer x = device.allocate(DType::F32, 64), y = device.allocate(DType::F32, 64), out = device.allocate(DType::F32, 64);
  const KernelInfo &info = kernel->kernel().info();
  const auto *executable = kernel->kernel().executable_as<cuda::CudaExecutable>();

  // A host buffer: the kernel cannot reach it.
  Buffer host(DType::F32, 64);
  std::string why = error_of([&] { device.launch(kernel->kernel(), Grid(1), x, host, out, int64_t{64}); },
                             ErrorCode::InvalidArgument);
  CHECK(why.find("argument 1 ('y') of kernel 'vector_add_f32' is host memory") != std::string::npos);
  // A grid CUDA does not take.
  why = error_of([&] { device.launch(kernel->kernel(), Grid(1, 70000), x, y, out, int64_t{64}); },
                 ErrorCode::InvalidGrid);
  CHECK(why.find("at most 65535 blocks along y and z") != std::string::npos);
  // A corrupt image, and an image without the function.
  Kernel corrupt(info, std::make_shared<const cuda::CudaExecutable>(std::string(64, 'x'), "vector_add_f32", "sm_90",
                                                                    128, 0));
  why = error_of([&] { device.launch(corrupt, Grid(1), x, y, out, int64_t{64}); }, ErrorCode::LoadError);
  CHECK(why.find("cuModuleLoadData failed for kernel 'vector_add_f32' (sm_90)") != std::string::npos);
  CHECK(why.find("CUDA_ERROR_INVALID_IMAGE") != std::string::npos);
  Kernel renamed(info, std::make_shared<const cuda::CudaExecutable>(executable->image(), "no_such_kernel", "sm_90",
                                                                    128, 0));
  why = error_of([&] { device.launch(renamed, Grid(1), x, y, out, int64_t{64}); }, ErrorCode::LoadError);
  CHECK(why.find("cuModuleGetFunction failed for kernel 'no_such_kernel'") != std::string::npos);
  CHECK(why.find("CUDA_ERROR_NOT_FOUND") != std::string::npos);
  // No memory left.
  fake.call<void (*)(size_t)>("tegula_fake_cuda_set_memory_limit")(1024);
  why = error_of([&] { device.allocate(DType::F32, 1 << 20); }, ErrorCode::DeviceFault);
  CHECK(why.find("cuMemAllocManaged failed for 4194304 bytes on cuda:0") != std::string::npos);
  CHECK(why.find("CUDA_ERROR_OUT_OF_MEMORY") != std::string::npos);
  fake.call<void (*)()>("tegula_fake_cuda_reset")();
  // A launch the driver refuses.
  fake.fail("cuLaunchKernel", 701); // CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES
  why = error_of([&] { device.launch(kernel->kernel(), Grid(1), x, y, out, int64_t{64}); }, ErrorCode::InvalidArgument);
  CHECK(why.find("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES") != std::string::npos);
  // Devices that are not there, and options that are not a device.
  why = error_of([] { Device::open("cuda:3"); }, ErrorCode::InvalidArgument);
  CHECK(why.find("no CUDA device 3: the driver sees 1") != std::string::npos);
  why = error_of([] { Device::open("cuda:gpu"); }, ErrorCode::InvalidArgument);
  CHECK(why.find("takes a device number") != std::string::npos);
  fake.call<void (*)(int)>("tegula_fake_cuda_set_devices")(0);
  why = error_of([] { Device::open("cuda:2"); }, ErrorCode::Unsupported);
  CHECK(why.find("no CUDA device") != std::string::npos);
  fake.call<void (*)(int)>("tegula_fake_cuda_set_devices")(1);
  // The launch still works after all of that.
  device.launch(kernel->kernel(), Grid(1), x, y, out, int64_t{64});
  CHECK(std::string(fake.last().function) == "vector_add_f32");
}

TEST_CASE("without a driver library, or one that does not initialize, CUDA is unavailable and says why",
          "[cuda][driver]") {
  Fake fake;
  const std::filesystem::path folder = std::filesystem::temp_directory_path() / ("tegula-cuda-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  // No library at the path.
  setenv("TEGULA_LIBCUDA", (folder / "missing" / "libcuda.so.1").c_str(), 1);
  std::string why;
  CHECK_FALSE(cuda::available(&why));
  CHECK(why.find("no CUDA driver") != std::string::npos);
  CHECK(why.find("could not be loaded") != std::string::npos);
  const std::string opened = error_of([] { Device::open("cuda"); }, ErrorCode::Unsupported);
  CHECK(opened.find("no CUDA driver") != std::string::npos);
  // A library whose cuInit finds no device (the fake reached by another path).
  const std::filesystem::path link = folder / "libcuda.so.1";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(TEGULA_FAKE_LIBCUDA, link);
  setenv("TEGULA_LIBCUDA", link.c_str(), 1);
  fake.fail("cuInit", 100); // CUDA_ERROR_NO_DEVICE
  CHECK_FALSE(cuda::available(&why));
  CHECK(why.find("cuInit gave CUDA_ERROR_NO_DEVICE (no NVIDIA GPU is visible)") != std::string::npos);
  std::filesystem::remove_all(folder);
  setenv("TEGULA_LIBCUDA", TEGULA_FAKE_LIBCUDA, 1);
  CHECK(cuda::available());
}

TEST_CASE("a bundle holds each target's specialized and generic kernels and picks the one the arguments fit",
          "[cuda][bundle]") {
  Fake fake;
  // GEMM compiled for K and N multiples of 16 and aligned buffers, and with no promise,
  // for sm_90; and the specialized one for sm_80, which an sm_90 device does not run.
  GemmConfig specialized = default_gemm_config("cuda:sm_90", 1024, 1024, 1024), generic = specialized;
  REQUIRE(specialized.kn_multiple == 16);
  generic.kn_multiple = 1;
  Bundle bundle;
  bundle.add("cuda:sm_80", compile_traced(trace_gemm(DType::BF16, specialized), "cuda:sm_80")->kernel());
  bundle.add("cuda:sm_90", compile_traced(trace_gemm(DType::BF16, specialized), "cuda:sm_90")->kernel());
  bundle.add("cuda:sm_90", compile_traced(trace_gemm(DType::BF16, generic), "cuda:sm_90")->kernel());
  // Through bytes and back: the same entries, signatures and binaries.
  const std::string bytes = bundle.serialize();
  const Bundle loaded = Bundle::parse(bytes);
  REQUIRE(loaded.entries().size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const Bundle::Entry &a = bundle.entries()[i], &b = loaded.entries()[i];
    CHECK(a.target == b.target);
    CHECK(a.kernel.info().serialize() == b.kernel.info().serialize());
    const auto *ea = a.kernel.executable_as<cuda::CudaExecutable>();
    const auto *eb = b.kernel.executable_as<cuda::CudaExecutable>();
    REQUIRE((ea && eb));
    CHECK((ea->image() == eb->image() && ea->entry() == eb->entry() && ea->arch() == eb->arch() &&
           ea->threads() == eb->threads() && ea->dynamic_shared_bytes() == eb->dynamic_shared_bytes()));
  }
  CHECK(loaded.serialize() == bytes);

  Device device = Device::open("cuda");
  const int64_t M = 100, K = 256;
  auto run = [&](int64_t N) -> const Kernel & {
    Buffer a = device.allocate(DType::BF16, M * K), b = device.allocate(DType::BF16, K * N),
           c = device.allocate(DType::F32, M * N);
    std::vector<Arg> args{a, b, c, M, N, K};
    const Kernel &chosen = loaded.select(device, Grid(1, 4), args);
    loaded.launch(device, Grid(1, 4), args);
    CHECK(recorded(fake.last()).size() == 36); // three pointers, three i32
    return chosen;
  };
  // N = 512: the sm_90 entry that assumes multiples of 16 (the sm_80 one is skipped).
  const Kernel &fast = run(512);
  CHECK(fast.executable() == loaded.entries()[1].kernel.executable());
  // N = 500 breaks that promise: the generic entry, never the specialized one.
  const Kernel &safe = run(500);
  CHECK(safe.executable() == loaded.entries()[2].kernel.executable());

  // Without the generic entry the same launch is refused, each entry saying why.
  Bundle strict;
  strict.add(loaded.entries()[0].target, loaded.entries()[0].kernel);
  strict.add(loaded.entries()[1].target, loaded.entries()[1].kernel);
  Buffer a = device.allocate(DType::BF16, M * K), b = device.allocate(DType::BF16, K * 500),
         c = device.allocate(DType::F32, M * 500);
  std::vector<Arg> args{a, b, c, M, int64_t{500}, K};
  const std::string why = error_of([&] { strict.launch(device, Grid(1, 4), args); }, ErrorCode::Unsupported);
  CHECK(why.find("no entry of the bundle runs on cuda:0") != std::string::npos);
  CHECK(why.find("cuda:sm_80: assembled for sm_80") != std::string::npos);
  CHECK(why.find("cuda:sm_90: invalid argument: argument 4 ('N') of kernel 'gemm_bf16' is 500, not a multiple of 16") !=
        std::string::npos);

  // A bundle cut short or altered anywhere is refused by name, never half loaded.
  for (size_t cut : {size_t{0}, size_t{10}, size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
    INFO("cut at " << cut);
    const std::string message = error_of([&] { Bundle::parse(bytes.substr(0, cut)); }, ErrorCode::LoadError);
    CHECK(message.find("bundle: ") != std::string::npos);
  }
  std::string altered = bytes;
  altered.replace(altered.find("threads 256"), 11, "threads 9999");
  CHECK(error_of([&] { Bundle::parse(altered); }, ErrorCode::LoadError).find("threads '9999' is not in 1..1024") !=
        std::string::npos);
  altered = bytes;
  altered.replace(altered.find("entry cuda:sm_80 cuda"), 21, "entry cuda:sm_80 tpu!");
  CHECK(error_of([&] { Bundle::parse(altered); }, ErrorCode::LoadError).find("entry 0 (cuda:sm_80)") !=
        std::string::npos);
  CHECK(error_of([&] { Bundle::parse(bytes + "x"); }, ErrorCode::LoadError).find("bytes after the last") !=
        std::string::npos);
  // Kernels of a driver without bundles are refused when written.
  Bundle host;
  host.add("cpu", compile_traced(trace_vector_add(DType::F32, {}), "cpu")->kernel());
  CHECK(error_of([&] { host.serialize(); }, ErrorCode::Unsupported).find("cannot be stored in a bundle") !=
        std::string::npos);
}
