#include "CudaApi.h"

#include "tegula/runtime/error.h"

#include <cstdlib>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <optional>

namespace tegula::cuda {

namespace {

/// Resolves every entry point, by the names the library exports (the _v2 ones where the
/// unsuffixed name is an older ABI), or says which one is missing.
std::optional<std::string> resolve(void *library, CudaApi &api) {
  std::optional<std::string> missing;
  auto bind = [&](auto &slot, const char *symbol) {
    void *address = dlsym(library, symbol);
    if (!address && !missing)
      missing = symbol;
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(address);
  };
  bind(api.cuInit, "cuInit");
  bind(api.cuDriverGetVersion, "cuDriverGetVersion");
  bind(api.cuDeviceGetCount, "cuDeviceGetCount");
  bind(api.cuDeviceGet, "cuDeviceGet");
  bind(api.cuDeviceGetName, "cuDeviceGetName");
  bind(api.cuDeviceGetAttribute, "cuDeviceGetAttribute");
  bind(api.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  bind(api.cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
  bind(api.cuCtxSetCurrent, "cuCtxSetCurrent");
  bind(api.cuCtxSynchronize, "cuCtxSynchronize");
  bind(api.cuModuleLoadData, "cuModuleLoadData");
  bind(api.cuModuleUnload, "cuModuleUnload");
  bind(api.cuModuleGetFunction, "cuModuleGetFunction");
  bind(api.cuFuncSetAttribute, "cuFuncSetAttribute");
  bind(api.cuLaunchKernel, "cuLaunchKernel");
  bind(api.cuMemAllocManaged, "cuMemAllocManaged");
  bind(api.cuMemFree, "cuMemFree_v2");
  bind(api.cuStreamCreate, "cuStreamCreate");
  bind(api.cuStreamDestroy, "cuStreamDestroy_v2");
  bind(api.cuStreamSynchronize, "cuStreamSynchronize");
  bind(api.cuEventCreate, "cuEventCreate");
  bind(api.cuEventDestroy, "cuEventDestroy_v2");
  bind(api.cuEventRecord, "cuEventRecord");
  bind(api.cuEventSynchronize, "cuEventSynchronize");
  bind(api.cuEventElapsedTime, "cuEventElapsedTime");
  bind(api.cuGetErrorName, "cuGetErrorName");
  bind(api.cuGetErrorString, "cuGetErrorString");
  return missing;
}

struct Loaded {
  CudaApi api{};
  std::string failure; ///< why there is no driver; empty when `api` is usable
};

Loaded load(const std::string &path) {
  Loaded loaded;
  // RTLD_LOCAL: the driver's symbols stay out of the process's namespace.
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *why = dlerror();
    loaded.failure = "no CUDA driver: " + path + " could not be loaded (" + (why ? why : "unknown reason") +
                     "); CUDA kernels compile here but run only where NVIDIA's driver is installed";
    return loaded;
  }
  if (std::optional<std::string> missing = resolve(library, loaded.api)) {
    loaded.failure = "the CUDA driver " + path + " lacks " + *missing + " (too old a driver?)";
    return loaded;
  }
  if (CUresult r = loaded.api.cuInit(0); r != CUDA_SUCCESS) {
    const char *name = nullptr;
    loaded.api.cuGetErrorName(r, &name);
    loaded.failure = "the CUDA driver " + path + " did not initialize: cuInit gave " +
                     (name ? std::string(name) : std::to_string(r)) +
                     (r == CUDA_ERROR_NO_DEVICE ? " (no NVIDIA GPU is visible)" : "");
    return loaded;
  }
  // The library stays loaded for the life of the process: modules and buffers may
  // outlive any one object of ours.
  return loaded;
}

} // namespace

std::string libcuda_path() {
  const char *custom = std::getenv("TEGULA_LIBCUDA");
  return custom && *custom ? custom : "libcuda.so.1";
}

const CudaApi &cuda_api() {
  // One attempt per library path, kept for the process (a failed one too: a launch does
  // not retry dlopen each time). Never destroyed: kernels and buffers released during
  // the process's exit still reach the driver through it.
  static auto *mutex = new std::mutex;
  static auto *loaded = new std::map<std::string, Loaded>;
  const std::string path = libcuda_path();
  std::lock_guard<std::mutex> lock(*mutex);
  auto it = loaded->find(path);
  if (it == loaded->end())
    it = loaded->emplace(path, load(path)).first;
  if (!it->second.failure.empty())
    throw Error(ErrorCode::Unsupported, it->second.failure);
  return it->second.api;
}

void throw_cuda_error(const CudaApi &api, CUresult result, const char *call, const std::string &what) {
  const char *name = nullptr, *text = nullptr;
  if (api.cuGetErrorName)
    api.cuGetErrorName(result, &name);
  if (api.cuGetErrorString)
    api.cuGetErrorString(result, &text);
  const std::string message = std::string(call) + " failed for " + what + ": " +
                              (name ? std::string(name) : "CUresult " + std::to_string(result)) +
                              (text ? " (" + std::string(text) + ")" : "");
  ErrorCode code = ErrorCode::DeviceFault;
  switch (result) {
  case CUDA_ERROR_INVALID_IMAGE:
  case CUDA_ERROR_NO_BINARY_FOR_GPU:
  case CUDA_ERROR_NOT_FOUND:
    code = ErrorCode::LoadError;
    break;
  case CUDA_ERROR_INVALID_VALUE:
  case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
    code = ErrorCode::InvalidArgument;
    break;
  case CUDA_ERROR_ASSERT:
    code = ErrorCode::AssertionFailed;
    break;
  case CUDA_ERROR_NO_DEVICE:
  case CUDA_ERROR_INVALID_DEVICE:
    code = ErrorCode::Unsupported;
    break;
  default:
    break;
  }
  throw Error(code, message);
}

} // namespace tegula::cuda
