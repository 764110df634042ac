// The cuda driver: kernels as cubins loaded into the device's primary context, buffers
// as managed memory, launches through cuLaunchKernel with the parameters packed into
// one buffer as the kernel's .param space lays them out (each at a multiple of its
// size). LLVM-free; NVIDIA's library is loaded on first use (CudaApi.cpp).
#include "CudaApi.h"
#include "CudaExecutable.h"

#include "tegula/runtime/cuda.h"
#include "tegula/runtime/error.h"

#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

namespace tegula::cuda {

namespace {

/// The block's dynamic shared memory a kernel may take without opting in (48 KiB on
/// every architecture since sm_70).
constexpr int64_t kDefaultDynamicSharedLimit = 48 * 1024;
/// Blocks along y and z (CUDA's limit; x reaches kMaxGridDim).
constexpr int64_t kMaxGridYZ = 65535;

/// One device, opened once per process: its primary context stays retained, so modules
/// and buffers made on it stay valid for as long as anything holds them.
class CudaDevice final : public DeviceState {
public:
  CudaDevice(const CudaApi &api, int ordinal) : api_(api), ordinal_(ordinal) {
    CUdevice device = 0;
    check(api_.cuDeviceGet(&device, ordinal), "cuDeviceGet");
    char name[256] = {};
    check(api_.cuDeviceGetName(name, sizeof name, device), "cuDeviceGetName");
    int major = 0, minor = 0;
    check(api_.cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
          "cuDeviceGetAttribute");
    check(api_.cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
          "cuDeviceGetAttribute");
    check(api_.cuDeviceGetAttribute(&optin_shared_, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device),
          "cuDeviceGetAttribute");
    check(api_.cuDevicePrimaryCtxRetain(&context_, device), "cuDevicePrimaryCtxRetain");
    make_current();
    check(api_.cuStreamCreate(&stream_, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    arch_ = "sm_" + std::to_string(major * 10 + minor);
    name_ = "cuda:" + std::to_string(ordinal) + " (" + name + ", " + arch_ + ")";
  }
  std::string name() const override { return name_; }

  const CudaApi &api() const { return api_; }
  int ordinal() const { return ordinal_; }
  const std::string &arch() const { return arch_; }
  int64_t optin_shared() const { return optin_shared_; }
  CUstream stream() const { return stream_; }
  /// Makes the device's context the calling thread's (CUDA's current context is per thread).
  void make_current() const { check(api_.cuCtxSetCurrent(context_), "cuCtxSetCurrent"); }
  void check(CUresult r, const char *call, const std::string &what = "") const {
    if (r != CUDA_SUCCESS)
      throw_cuda_error(api_, r, call, what.empty() ? "device " + std::to_string(ordinal_) : what);
  }

private:
  const CudaApi &api_;
  int ordinal_;
  CUcontext context_ = nullptr;
  CUstream stream_ = nullptr;
  int optin_shared_ = 0;
  std::string arch_, name_;
};

/// The devices this process opened, by ordinal; never closed.
struct OpenDevices {
  std::mutex mutex;
  std::map<int, std::shared_ptr<CudaDevice>> devices;
};
OpenDevices &open_devices() {
  static auto *open = new OpenDevices; // never destroyed, as the driver's entry points
  return *open;
}

/// The device of `ordinal`, opened on first use.
std::shared_ptr<CudaDevice> device_of(int ordinal) {
  const CudaApi &api = cuda_api();
  OpenDevices &open = open_devices();
  std::lock_guard<std::mutex> lock(open.mutex);
  auto it = open.devices.find(ordinal);
  if (it != open.devices.end())
    return it->second;
  int count = 0;
  if (CUresult r = api.cuDeviceGetCount(&count); r != CUDA_SUCCESS)
    throw_cuda_error(api, r, "cuDeviceGetCount", "the CUDA devices");
  if (count == 0)
    throw Error(ErrorCode::Unsupported, "no CUDA device: the driver (" + libcuda_path() + ") sees none");
  if (ordinal < 0 || ordinal >= count)
    throw Error(ErrorCode::InvalidArgument, "no CUDA device " + std::to_string(ordinal) + ": the driver sees " +
                                                std::to_string(count) + " (0.." + std::to_string(count - 1) + ")");
  auto device = std::make_shared<CudaDevice>(api, ordinal);
  open.devices.emplace(ordinal, device);
  return device;
}

/// The open device a buffer's device() names, or null (another driver's, or none).
CudaDevice *opened(const void *state) {
  OpenDevices &open = open_devices();
  std::lock_guard<std::mutex> lock(open.mutex);
  for (auto &[ordinal, device] : open.devices)
    if (device.get() == state)
      return device.get();
  return nullptr;
}

int parse_ordinal(const std::string &options) {
  std::string value = options;
  if (value.rfind("device=", 0) == 0)
    value = value.substr(7);
  if (value.empty())
    return 0;
  size_t used = 0;
  int ordinal = -1;
  try {
    ordinal = std::stoi(value, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used != value.size() || ordinal < 0)
    throw Error(ErrorCode::InvalidArgument,
                "the cuda device takes a device number (cuda:1 or cuda:device=1), got '" + options + "'");
  return ordinal;
}

std::string describe(const KernelInfo &info, size_t i) {
  return "argument " + std::to_string(i) + " ('" + info.args[i].name + "') of kernel '" + info.name + "'";
}

/// The kernel's parameters as its .param space holds them: each at the next multiple of
/// its own size (pointers 8 bytes; i32 and f32 4; i64 and f64 8).
std::vector<unsigned char> pack_parameters(const KernelInfo &info, std::span<const Arg> args,
                                           const CudaDevice &device) {
  std::vector<unsigned char> bytes;
  auto put = [&](const void *value, size_t size) {
    const size_t at = (bytes.size() + size - 1) / size * size;
    bytes.resize(at + size);
    std::memcpy(bytes.data() + at, value, size);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const ArgSpec &spec = info.args[i];
    if (spec.kind == ArgSpec::Kind::Buffer) {
      const Buffer *buffer = args[i].buffer();
      if (!buffer->on_device() || buffer->device() != &device)
        throw Error(ErrorCode::InvalidArgument,
                    describe(info, i) + (buffer->on_device() ? " is memory of another device"
                                                             : " is host memory, which a CUDA kernel cannot reach") +
                        ": allocate it on " + device.name() + " (Device::allocate) or wrap a device pointer "
                        "(cuda::wrap_device_pointer)");
      const uint64_t address = buffer->device_address();
      put(&address, sizeof address);
      continue;
    }
    const Arg &arg = args[i];
    switch (spec.dtype) {
    case DType::I32: {
      const int64_t v = arg.integer();
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
        throw Error(ErrorCode::InvalidArgument, describe(info, i) + ": value " + std::to_string(v) +
                                                    " does not fit in i32");
      const int32_t narrow = static_cast<int32_t>(v);
      put(&narrow, sizeof narrow);
      break;
    }
    case DType::I64: {
      const int64_t v = arg.integer();
      put(&v, sizeof v);
      break;
    }
    case DType::F32: {
      const float v = static_cast<float>(arg.is_integer() ? static_cast<double>(arg.integer()) : arg.real());
      put(&v, sizeof v);
      break;
    }
    case DType::F64: {
      const double v = arg.is_integer() ? static_cast<double>(arg.integer()) : arg.real();
      put(&v, sizeof v);
      break;
    }
    default:
      throw Error(ErrorCode::DTypeMismatch, describe(info, i) + ": scalar " + std::string(dtype_name(spec.dtype)) +
                                                " arguments are not supported by the cuda driver");
    }
  }
  return bytes;
}

class CudaDriver final : public Driver {
public:
  std::string name() const override { return CudaExecutable::kDriver; }
  std::shared_ptr<DeviceState> open(const std::string &options) const override {
    return device_of(parse_ordinal(options));
  }
  Buffer allocate(DeviceState &state, DType dtype, size_t count, BufferMode mode) const override {
    auto &device = static_cast<CudaDevice &>(state);
    if (mode != BufferMode::Plain)
      throw Error(ErrorCode::Unsupported, "the cuda driver allocates plain buffers only (no guard pages)");
    const CudaApi &api = device.api();
    device.make_current();
    const size_t bytes = std::max<size_t>(1, count * dtype_size(dtype));
    CUdeviceptr pointer = 0;
    device.check(api.cuMemAllocManaged(&pointer, bytes, CU_MEM_ATTACH_GLOBAL), "cuMemAllocManaged",
                 std::to_string(bytes) + " bytes on " + device.name());
    std::shared_ptr<void> release(reinterpret_cast<void *>(pointer), [&api](void *p) {
      api.cuMemFree(static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(p)));
    });
    return Buffer::device_memory(dtype, count, reinterpret_cast<void *>(pointer), &device, pointer,
                                 std::move(release), CudaExecutable::kDriver);
  }
  Buffer wrap(DeviceState &state, DType dtype, size_t count, uint64_t address) const override {
    if (address == 0)
      throw Error(ErrorCode::NullBuffer, "cuda: wrapping a null device pointer");
    if (address % dtype_size(dtype) != 0)
      throw Error(ErrorCode::InvalidArgument, "cuda: device address " + std::to_string(address) +
                                                  " is not aligned to its " + std::string(dtype_name(dtype)) +
                                                  " elements");
    return Buffer::device_memory(dtype, count, nullptr, &state, address, nullptr, CudaExecutable::kDriver);
  }
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &options,
              DeviceState *state) const override {
    const auto *executable = kernel.executable_as<CudaExecutable>();
    if (!executable)
      throw Error(ErrorCode::InvalidArgument, "kernel '" + kernel.info().name + "' is not a cuda executable");
    const KernelInfo &info = kernel.info();
    // Without a device: the one its first buffer of a CUDA device lives on, else device 0.
    auto *device = static_cast<CudaDevice *>(state);
    for (size_t i = 0; i < args.size() && !device; ++i)
      if (info.args[i].kind == ArgSpec::Kind::Buffer)
        device = opened(args[i].buffer()->device());
    if (!device)
      device = device_of(0).get(); // devices stay open for the process
    if (grid.y > kMaxGridYZ || grid.z > kMaxGridYZ)
      throw Error(ErrorCode::InvalidGrid, "grid (" + std::to_string(grid.x) + ", " + std::to_string(grid.y) + ", " +
                                              std::to_string(grid.z) + ") for kernel '" + info.name +
                                              "': CUDA takes at most " + std::to_string(kMaxGridYZ) +
                                              " blocks along y and z");
    std::vector<unsigned char> parameters = pack_parameters(info, args, *device);
    device->make_current();
    auto function = static_cast<CUfunction>(executable->function(device->ordinal()));
    size_t size = parameters.size();
    void *extra[] = {CU_LAUNCH_PARAM_BUFFER_POINTER, parameters.data(), CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
                     CU_LAUNCH_PARAM_END};
    CUstream stream = options.stream ? static_cast<CUstream>(options.stream) : device->stream();
    const CudaApi &api = device->api();
    device->check(api.cuLaunchKernel(function, static_cast<unsigned>(grid.x), static_cast<unsigned>(grid.y),
                                     static_cast<unsigned>(grid.z), static_cast<unsigned>(executable->threads()), 1, 1,
                                     static_cast<unsigned>(executable->dynamic_shared_bytes()), stream, nullptr, extra),
                  "cuLaunchKernel", "kernel '" + info.name + "'");
    if (options.stream)
      return; // queued on the caller's stream: cuda::synchronize reports how it ended
    // The device's own stream: the launch returns when the kernel has run.
    const CUresult r = api.cuStreamSynchronize(stream);
    if (r == CUDA_ERROR_ASSERT) {
      // The kernel's __assertfail: the driver printed the failing block and thread; the
      // compiled kernel knows which assertions it has.
      std::string which;
      for (const std::string &site : info.sites)
        if (site.rfind("device assertion failed: ", 0) == 0)
          which += (which.empty() ? "" : "; ") + site.substr(std::string("device assertion failed: ").size());
      throw Error(ErrorCode::AssertionFailed,
                  "kernel '" + info.name + "' failed a device_assert (CUDA_ERROR_ASSERT" +
                      (which.empty() ? std::string(")") : "): " + which) +
                      "; the driver printed the failing block and thread, and the CUDA context is unusable from here on");
    }
    device->check(r, "cuStreamSynchronize",
                  "kernel '" + info.name + "' (the CUDA context is unusable after a kernel fault)");
  }

  // In a bundle: "tegula-cuda 1", then a line each for the architecture, the entry, the
  // block's threads and the dynamic shared bytes, then "image <bytes>" and the cubin.
  std::string serialize(const Executable &executable) const override {
    const auto &e = static_cast<const CudaExecutable &>(executable);
    return "tegula-cuda 1\narch " + e.arch() + "\nentry " + e.entry() + "\nthreads " + std::to_string(e.threads()) +
           "\ndynamic_shared_bytes " + std::to_string(e.dynamic_shared_bytes()) + "\nimage " +
           std::to_string(e.image().size()) + "\n" + e.image();
  }
  std::shared_ptr<const Executable> deserialize(const std::string &bytes) const override {
    size_t at = 0;
    auto field = [&](const char *key) {
      const size_t end = bytes.find('\n', at);
      const std::string prefix = std::string(key) + " ";
      if (end == std::string::npos || bytes.compare(at, prefix.size(), prefix) != 0)
        throw Error(ErrorCode::LoadError, std::string("cuda executable: expected '") + key + " ...'");
      std::string value = bytes.substr(at + prefix.size(), end - at - prefix.size());
      at = end + 1;
      if (value.empty() || value.find(' ') != std::string::npos)
        throw Error(ErrorCode::LoadError, std::string("cuda executable: a malformed ") + key + " '" + value + "'");
      return value;
    };
    auto number = [&](const char *key, int64_t low, int64_t high) {
      const std::string text = field(key);
      size_t used = 0;
      long long v = -1;
      try {
        v = std::stoll(text, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != text.size() || v < low || v > high)
        throw Error(ErrorCode::LoadError, std::string("cuda executable: ") + key + " '" + text + "' is not in " +
                                              std::to_string(low) + ".." + std::to_string(high));
      return static_cast<int64_t>(v);
    };
    if (bytes.compare(0, 14, "tegula-cuda 1\n") != 0)
      throw Error(ErrorCode::LoadError, "cuda executable: expected the header 'tegula-cuda 1'");
    at = 14;
    const std::string arch = field("arch");
    if (arch.rfind("sm_", 0) != 0)
      throw Error(ErrorCode::LoadError, "cuda executable: architecture '" + arch + "' is not sm_XX");
    const std::string entry = field("entry");
    const int64_t threads = number("threads", 1, 1024);
    const int64_t dynamic = number("dynamic_shared_bytes", 0, 1 << 20);
    const int64_t size = number("image", 1, int64_t{1} << 30);
    if (bytes.size() - at != static_cast<size_t>(size))
      throw Error(ErrorCode::LoadError, "cuda executable: its image has " + std::to_string(bytes.size() - at) +
                                            " bytes, not the " + std::to_string(size) + " it says");
    return std::make_shared<const CudaExecutable>(bytes.substr(at), entry, arch, threads, dynamic);
  }
  bool runs(const Executable &executable, const DeviceState &state, std::string *why) const override {
    // A cubin holds SASS of one architecture; only that one is taken to run it (other
    // architectures of the same major may, but sm_80's does not run on sm_90).
    const auto &e = static_cast<const CudaExecutable &>(executable);
    const auto &device = static_cast<const CudaDevice &>(state);
    if (e.arch() == device.arch())
      return true;
    if (why)
      *why = "assembled for " + e.arch() + ", and " + device.name() + " runs " + device.arch();
    return false;
  }

};

} // namespace

CudaExecutable::~CudaExecutable() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Through the library that loaded each module, whatever TEGULA_LIBCUDA names by now.
  for (auto &[ordinal, loaded] : loaded_)
    if (loaded.module)
      static_cast<const CudaApi *>(loaded.api)->cuModuleUnload(static_cast<CUmodule>(loaded.module));
}

void *CudaExecutable::function(int ordinal) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Loaded &loaded = loaded_[ordinal];
  if (loaded.function)
    return loaded.function;
  std::shared_ptr<CudaDevice> device = device_of(ordinal);
  const CudaApi &api = device->api();
  device->make_current();
  const std::string what = "kernel '" + entry_ + "' (" + arch_ + ") on " + device->name();
  CUmodule module = nullptr;
  device->check(api.cuModuleLoadData(&module, image_.data()), "cuModuleLoadData", what);
  CUfunction function = nullptr;
  if (CUresult r = api.cuModuleGetFunction(&function, module, entry_.c_str()); r != CUDA_SUCCESS) {
    api.cuModuleUnload(module);
    throw_cuda_error(api, r, "cuModuleGetFunction", what);
  }
  // Above the default, a block's dynamic shared memory is opted into per function.
  if (dynamic_shared_bytes_ > kDefaultDynamicSharedLimit) {
    if (dynamic_shared_bytes_ > device->optin_shared()) {
      api.cuModuleUnload(module);
      throw Error(ErrorCode::InvalidArgument, what + " takes " + std::to_string(dynamic_shared_bytes_) +
                                                  " bytes of dynamic shared memory; the device allows a block " +
                                                  std::to_string(device->optin_shared()));
    }
    if (CUresult r = api.cuFuncSetAttribute(function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                            static_cast<int>(dynamic_shared_bytes_));
        r != CUDA_SUCCESS) {
      api.cuModuleUnload(module);
      throw_cuda_error(api, r, "cuFuncSetAttribute", what);
    }
  }
  loaded.api = &api;
  loaded.module = module;
  loaded.function = function;
  return function;
}

bool available(std::string *why) {
  try {
    device_of(0);
    return true;
  } catch (const Error &e) {
    if (why)
      *why = e.what();
    return false;
  }
}

namespace {
CudaDevice &state_of(const Device &device) {
  if (device.driver() != CudaExecutable::kDriver)
    throw Error(ErrorCode::InvalidArgument, "device " + device.name() + " is not a cuda device");
  return const_cast<CudaDevice &>(static_cast<const CudaDevice &>(device.state()));
}
} // namespace

Buffer wrap_device_pointer(const Device &device, DType dtype, size_t count, uint64_t pointer) {
  state_of(device); // a cuda device, or InvalidArgument
  return device.wrap(dtype, count, pointer);
}

void *default_stream(const Device &device) { return state_of(device).stream(); }

void synchronize(const Device &device, void *stream) {
  CudaDevice &state = state_of(device);
  state.make_current();
  CUstream s = stream ? static_cast<CUstream>(stream) : state.stream();
  state.check(state.api().cuStreamSynchronize(s), "cuStreamSynchronize", state.name());
}

EventTimer::EventTimer(const Device &device, void *stream) : device_(device), stream_(stream) {
  CudaDevice &state = state_of(device);
  state.make_current();
  CUevent a = nullptr, b = nullptr;
  state.check(state.api().cuEventCreate(&a, 0), "cuEventCreate", state.name());
  if (CUresult r = state.api().cuEventCreate(&b, 0); r != CUDA_SUCCESS) {
    state.api().cuEventDestroy(a);
    throw_cuda_error(state.api(), r, "cuEventCreate", state.name());
  }
  start_ = a;
  stop_ = b;
  if (!stream_)
    stream_ = state.stream();
}

EventTimer::~EventTimer() {
  // The events were made, so the driver loaded: cuda_api() does not throw here.
  const CudaApi &api = cuda_api();
  api.cuEventDestroy(static_cast<CUevent>(start_));
  api.cuEventDestroy(static_cast<CUevent>(stop_));
}

void EventTimer::start() {
  CudaDevice &state = state_of(device_);
  state.check(state.api().cuEventRecord(static_cast<CUevent>(start_), static_cast<CUstream>(stream_)),
              "cuEventRecord", state.name());
}

double EventTimer::stop() {
  CudaDevice &state = state_of(device_);
  const CudaApi &api = state.api();
  state.check(api.cuEventRecord(static_cast<CUevent>(stop_), static_cast<CUstream>(stream_)), "cuEventRecord",
              state.name());
  state.check(api.cuEventSynchronize(static_cast<CUevent>(stop_)), "cuEventSynchronize", state.name());
  float ms = 0;
  state.check(api.cuEventElapsedTime(&ms, static_cast<CUevent>(start_), static_cast<CUevent>(stop_)),
              "cuEventElapsedTime", state.name());
  return ms;
}

void registerCudaDriver() { register_driver(std::make_unique<CudaDriver>()); }

} // namespace tegula::cuda
