// A stand-in for NVIDIA's libcuda.so.1, built in the tree so that the runtime's cuda
// driver is tested without a GPU: selected by TEGULA_LIBCUDA=<this library>. It checks
// what a real driver checks of the calls the runtime makes (an ELF image for sm_XX with
// the function asked for, launch dimensions, dynamic shared memory above 48 KiB only
// after the function opted in, live pointers and handles) and records each launch (its
// function, grid, block, shared memory, stream and parameter bytes) instead of running
// it. Memory is host memory, so "managed" buffers are readable by the host as on a GPU.
// The tegula_fake_cuda_* functions let a test read the records and plant failures: a
// call that fails once, a kernel that faults (reported at the next synchronization,
// after which the context is dead, as CUDA's is), no devices.
#include "lib/runtime/cuda/CudaApi.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

// The handle types the runtime declares (CudaApi.h): called through pointers of exactly
// these types, the functions must have them (UBSan's -fsanitize=function checks).
using tegula::cuda::CUcontext;
using tegula::cuda::CUdevice;
using tegula::cuda::CUdeviceptr;
using tegula::cuda::CUevent;
using tegula::cuda::CUfunction;
using tegula::cuda::CUmodule;
using tegula::cuda::CUstream;

namespace {

using CUresult = int;
constexpr CUresult kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2, kNotInitialized = 3, kNoDevice = 100,
                   kInvalidDevice = 101, kInvalidImage = 200, kInvalidContext = 201, kInvalidHandle = 400,
                   kNotFound = 500, kIllegalAddress = 700, kLaunchOutOfResources = 701, kAssert = 710,
                   kLaunchFailed = 719;
constexpr int kMaxDynamicSharedAttribute = 8;
constexpr int kDefaultSharedLimit = 48 * 1024, kOptinSharedLimit = 227 * 1024;

struct Module {
  std::set<std::string> functions;
};
struct Function {
  Module *module;
  std::string name;
  int max_dynamic_shared = kDefaultSharedLimit;
};
struct Stream {};
struct Event {
  std::chrono::steady_clock::time_point at;
  bool recorded = false;
};

} // namespace

extern "C" {

/// One recorded launch, as tegula_fake_cuda_launch returns it.
struct TegulaFakeCudaLaunch {
  char function[256];
  unsigned grid[3], block[3], shared_bytes;
  void *stream;
  size_t parameter_bytes;
  unsigned char parameters[4096];
};

} // extern "C"

namespace {

struct State {
  std::mutex mutex;
  bool initialized = false;
  int devices = 1;
  CUresult dead = kSuccess;           ///< a kernel faulted: every later call fails with this
  CUresult pending_fault = kSuccess;  ///< the next launch's kernel faults with this
  CUresult fault_at_sync = kSuccess;  ///< a launched kernel faulted: reported at the next sync
  std::map<std::string, CUresult> fail_once;
  std::set<Module *> modules;
  std::map<Function *, std::unique_ptr<Function>> functions;
  std::map<uintptr_t, size_t> allocations;
  std::set<Stream *> streams;
  std::set<Event *> events;
  std::vector<TegulaFakeCudaLaunch> launches;
  int modules_loaded = 0;
  bool record = true; ///< keep each launch (off: a benchmark's millions are only checked)
  size_t memory_limit = SIZE_MAX, memory_used = 0;
};

State &state() {
  static auto *s = new State; // never destroyed: the runtime may release modules at exit
  return *s;
}

/// The planted failure for `call` (once), the dead context's error, or success. Making
/// a context current checks nothing, so it succeeds on a dead one too.
CUresult planted(State &s, const char *call) {
  auto it = s.fail_once.find(call);
  if (it != s.fail_once.end()) {
    const CUresult r = it->second;
    s.fail_once.erase(it);
    return r;
  }
  return std::strcmp(call, "cuCtxSetCurrent") == 0 ? kSuccess : s.dead;
}

#define ENTER(call)                                                                                                    \
  State &s = state();                                                                                                  \
  std::lock_guard<std::mutex> lock(s.mutex);                                                                           \
  if (CUresult planted_result = planted(s, call); planted_result != kSuccess)                                          \
    return planted_result;                                                                                             \
  if (!s.initialized && std::strcmp(call, "cuInit") != 0 && std::strcmp(call, "cuDriverGetVersion") != 0 &&            \
      std::strncmp(call, "cuGetError", 10) != 0)                                                                       \
    return kNotInitialized;

/// The function symbols of a 64-bit ELF image for NVIDIA GPUs (EM_CUDA), or false if it
/// is not one. The image's size is where its section headers end (they come last).
bool read_image(const void *image, std::set<std::string> &functions) {
  const auto *bytes = static_cast<const unsigned char *>(image);
  Elf64_Ehdr header;
  std::memcpy(&header, bytes, sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_machine != 190 /* EM_CUDA */ || header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0)
    return false;
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  std::memcpy(sections.data(), bytes + header.e_shoff, header.e_shnum * sizeof(Elf64_Shdr));
  for (const Elf64_Shdr &section : sections) {
    if (section.sh_type != SHT_SYMTAB || section.sh_link >= sections.size())
      continue;
    const char *names = reinterpret_cast<const char *>(bytes + sections[section.sh_link].sh_offset);
    for (size_t at = 0; at + sizeof(Elf64_Sym) <= section.sh_size; at += sizeof(Elf64_Sym)) {
      Elf64_Sym symbol;
      std::memcpy(&symbol, bytes + section.sh_offset + at, sizeof symbol);
      if (ELF64_ST_TYPE(symbol.st_info) == STT_FUNC)
        functions.insert(names + symbol.st_name);
    }
  }
  return true;
}

const char *error_name(CUresult r) {
  switch (r) {
  case kSuccess: return "CUDA_SUCCESS";
  case kInvalidValue: return "CUDA_ERROR_INVALID_VALUE";
  case kOutOfMemory: return "CUDA_ERROR_OUT_OF_MEMORY";
  case kNotInitialized: return "CUDA_ERROR_NOT_INITIALIZED";
  case kNoDevice: return "CUDA_ERROR_NO_DEVICE";
  case kInvalidDevice: return "CUDA_ERROR_INVALID_DEVICE";
  case kInvalidImage: return "CUDA_ERROR_INVALID_IMAGE";
  case kInvalidContext: return "CUDA_ERROR_INVALID_CONTEXT";
  case kInvalidHandle: return "CUDA_ERROR_INVALID_HANDLE";
  case kNotFound: return "CUDA_ERROR_NOT_FOUND";
  case kIllegalAddress: return "CUDA_ERROR_ILLEGAL_ADDRESS";
  case kLaunchOutOfResources: return "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES";
  case kAssert: return "CUDA_ERROR_ASSERT";
  case kLaunchFailed: return "CUDA_ERROR_LAUNCH_FAILED";
  default: return nullptr;
  }
}

} // namespace

extern "C" {

CUresult cuInit(unsigned flags) {
  ENTER("cuInit");
  if (flags != 0)
    return kInvalidValue;
  if (s.devices == 0)
    return kNoDevice;
  s.initialized = true;
  return kSuccess;
}

CUresult cuDriverGetVersion(int *version) {
  if (!version)
    return kInvalidValue;
  *version = 13000;
  return kSuccess;
}

CUresult cuDeviceGetCount(int *count) {
  ENTER("cuDeviceGetCount");
  if (!count)
    return kInvalidValue;
  *count = s.devices;
  return kSuccess;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  ENTER("cuDeviceGet");
  if (!device)
    return kInvalidValue;
  if (ordinal < 0 || ordinal >= s.devices)
    return kInvalidDevice;
  *device = ordinal;
  return kSuccess;
}

CUresult cuDeviceGetName(char *name, int length, CUdevice device) {
  ENTER("cuDeviceGetName");
  if (!name || length <= 0 || device < 0 || device >= s.devices)
    return kInvalidValue;
  std::snprintf(name, static_cast<size_t>(length), "Tegula fake GPU %d", device);
  return kSuccess;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device) {
  ENTER("cuDeviceGetAttribute");
  if (!value || device < 0 || device >= s.devices)
    return kInvalidValue;
  switch (attribute) {
  case 75: *value = 9; return kSuccess;  // compute capability major
  case 76: *value = 0; return kSuccess;  // minor
  case 97: *value = kOptinSharedLimit; return kSuccess;
  default: return kInvalidValue;
  }
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice device) {
  ENTER("cuDevicePrimaryCtxRetain");
  if (!context || device < 0 || device >= s.devices)
    return kInvalidValue;
  static int contexts[64];
  *context = reinterpret_cast<CUcontext>(&contexts[device % 64]);
  return kSuccess;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
  ENTER("cuDevicePrimaryCtxRelease_v2");
  return device >= 0 && device < s.devices ? kSuccess : kInvalidDevice;
}

CUresult cuCtxSetCurrent(CUcontext context) {
  ENTER("cuCtxSetCurrent");
  return context ? kSuccess : kInvalidContext;
}

CUresult cuCtxSynchronize() {
  ENTER("cuCtxSynchronize");
  return kSuccess;
}

CUresult cuModuleLoadData(CUmodule *module, const void *image) {
  ENTER("cuModuleLoadData");
  if (!module || !image)
    return kInvalidValue;
  auto loaded = std::make_unique<Module>();
  if (!read_image(image, loaded->functions))
    return kInvalidImage;
  *module = reinterpret_cast<CUmodule>(loaded.get());
  s.modules.insert(loaded.release());
  ++s.modules_loaded;
  return kSuccess;
}

CUresult cuModuleUnload(CUmodule module) {
  ENTER("cuModuleUnload");
  auto *m = reinterpret_cast<Module *>(module);
  if (!s.modules.erase(m))
    return kInvalidHandle;
  for (auto it = s.functions.begin(); it != s.functions.end();)
    it = it->second->module == m ? s.functions.erase(it) : std::next(it);
  delete m;
  return kSuccess;
}

CUresult cuModuleGetFunction(CUfunction *function, CUmodule module, const char *name) {
  ENTER("cuModuleGetFunction");
  auto *m = reinterpret_cast<Module *>(module);
  if (!function || !name || !s.modules.count(m))
    return kInvalidHandle;
  if (!m->functions.count(name))
    return kNotFound;
  auto f = std::make_unique<Function>(Function{m, name});
  *function = reinterpret_cast<CUfunction>(f.get());
  s.functions.emplace(f.get(), std::move(f));
  return kSuccess;
}

CUresult cuFuncSetAttribute(CUfunction function, int attribute, int value) {
  ENTER("cuFuncSetAttribute");
  auto it = s.functions.find(reinterpret_cast<Function *>(function));
  if (it == s.functions.end())
    return kInvalidHandle;
  if (attribute != kMaxDynamicSharedAttribute || value < 0 || value > kOptinSharedLimit)
    return kInvalidValue;
  it->second->max_dynamic_shared = value;
  return kSuccess;
}

CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream stream, void **params, void **extra) {
  ENTER("cuLaunchKernel");
  auto it = s.functions.find(reinterpret_cast<Function *>(function));
  if (it == s.functions.end())
    return kInvalidHandle;
  if (stream && !s.streams.count(reinterpret_cast<Stream *>(stream)))
    return kInvalidHandle;
  if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || bx == 0 || by == 0 || bz == 0 ||
      uint64_t{bx} * by * bz > 1024)
    return kInvalidValue;
  if (static_cast<int>(shared) > it->second->max_dynamic_shared)
    return kInvalidValue; // above 48 KiB only after cuFuncSetAttribute
  // The parameters as one buffer (CU_LAUNCH_PARAM_BUFFER_POINTER = 1, _SIZE = 2, END = 0).
  if (params || !extra)
    return kInvalidValue;
  const void *buffer = nullptr;
  const size_t *size = nullptr;
  for (void **e = extra; *e; e += 2) {
    if (*e == reinterpret_cast<void *>(1))
      buffer = e[1];
    else if (*e == reinterpret_cast<void *>(2))
      size = static_cast<const size_t *>(e[1]);
    else
      return kInvalidValue;
  }
  TegulaFakeCudaLaunch launch{};
  if (!buffer || !size || *size > sizeof launch.parameters)
    return kInvalidValue;
  std::snprintf(launch.function, sizeof launch.function, "%s", it->second->name.c_str());
  launch.grid[0] = gx, launch.grid[1] = gy, launch.grid[2] = gz;
  launch.block[0] = bx, launch.block[1] = by, launch.block[2] = bz;
  launch.shared_bytes = shared;
  launch.stream = static_cast<void *>(stream);
  launch.parameter_bytes = *size;
  std::memcpy(launch.parameters, buffer, *size);
  if (s.record)
    s.launches.push_back(launch);
  if (s.pending_fault != kSuccess) {
    s.fault_at_sync = s.pending_fault;
    s.pending_fault = kSuccess;
  }
  return kSuccess;
}

CUresult cuMemAllocManaged(CUdeviceptr *pointer, size_t bytes, unsigned flags) {
  ENTER("cuMemAllocManaged");
  if (!pointer || bytes == 0 || flags != 1)
    return kInvalidValue;
  if (bytes > s.memory_limit - s.memory_used)
    return kOutOfMemory;
  void *p = std::aligned_alloc(256, (bytes + 255) / 256 * 256); // CUDA allocations are 256-byte aligned
  if (!p)
    return kOutOfMemory;
  *pointer = reinterpret_cast<uintptr_t>(p);
  s.allocations[*pointer] = bytes;
  s.memory_used += bytes;
  return kSuccess;
}

CUresult cuMemFree_v2(CUdeviceptr pointer) {
  ENTER("cuMemFree_v2");
  auto it = s.allocations.find(pointer);
  if (it == s.allocations.end())
    return kInvalidValue;
  s.memory_used -= it->second;
  s.allocations.erase(it);
  std::free(reinterpret_cast<void *>(pointer));
  return kSuccess;
}

CUresult cuStreamCreate(CUstream *stream, unsigned) {
  ENTER("cuStreamCreate");
  if (!stream)
    return kInvalidValue;
  auto *created = new Stream;
  s.streams.insert(created);
  *stream = reinterpret_cast<CUstream>(created);
  return kSuccess;
}

CUresult cuStreamDestroy_v2(CUstream stream) {
  ENTER("cuStreamDestroy_v2");
  auto *st = reinterpret_cast<Stream *>(stream);
  if (!s.streams.erase(st))
    return kInvalidHandle;
  delete st;
  return kSuccess;
}

/// Where a kernel's fault surfaces: the context dies with it.
CUresult synchronize(State &s) {
  if (s.fault_at_sync != kSuccess) {
    s.dead = s.fault_at_sync;
    s.fault_at_sync = kSuccess;
    return s.dead;
  }
  return kSuccess;
}

CUresult cuStreamSynchronize(CUstream stream) {
  ENTER("cuStreamSynchronize");
  if (stream && !s.streams.count(reinterpret_cast<Stream *>(stream)))
    return kInvalidHandle;
  return synchronize(s);
}

CUresult cuEventCreate(CUevent *event, unsigned) {
  ENTER("cuEventCreate");
  if (!event)
    return kInvalidValue;
  auto *created = new Event;
  s.events.insert(created);
  *event = reinterpret_cast<CUevent>(created);
  return kSuccess;
}

CUresult cuEventDestroy_v2(CUevent event) {
  ENTER("cuEventDestroy_v2");
  auto *e = reinterpret_cast<Event *>(event);
  if (!s.events.erase(e))
    return kInvalidHandle;
  delete e;
  return kSuccess;
}

CUresult cuEventRecord(CUevent event, CUstream stream) {
  ENTER("cuEventRecord");
  auto *e = reinterpret_cast<Event *>(event);
  if (!s.events.count(e) || (stream && !s.streams.count(reinterpret_cast<Stream *>(stream))))
    return kInvalidHandle;
  e->at = std::chrono::steady_clock::now();
  e->recorded = true;
  return kSuccess;
}

CUresult cuEventSynchronize(CUevent event) {
  ENTER("cuEventSynchronize");
  if (!s.events.count(reinterpret_cast<Event *>(event)))
    return kInvalidHandle;
  return synchronize(s);
}

CUresult cuEventElapsedTime(float *ms, CUevent start, CUevent end) {
  ENTER("cuEventElapsedTime");
  auto *a = reinterpret_cast<Event *>(start), *b = reinterpret_cast<Event *>(end);
  if (!ms || !s.events.count(a) || !s.events.count(b))
    return kInvalidHandle;
  if (!a->recorded || !b->recorded)
    return 600; // CUDA_ERROR_NOT_READY
  *ms = std::chrono::duration<float, std::milli>(b->at - a->at).count();
  return kSuccess;
}

CUresult cuGetErrorName(CUresult error, const char **name) {
  if (!name)
    return kInvalidValue;
  *name = error_name(error);
  return *name ? kSuccess : kInvalidValue;
}

CUresult cuGetErrorString(CUresult error, const char **text) {
  if (!text)
    return kInvalidValue;
  *text = error_name(error) ? "reported by the fake CUDA driver" : nullptr;
  return *text ? kSuccess : kInvalidValue;
}

// --- what tests ask of the fake ------------------------------------------------------

int tegula_fake_cuda_launches() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return static_cast<int>(state().launches.size());
}

int tegula_fake_cuda_launch(int i, TegulaFakeCudaLaunch *out) {
  std::lock_guard<std::mutex> lock(state().mutex);
  if (i < 0 || i >= static_cast<int>(state().launches.size()) || !out)
    return 0;
  *out = state().launches[static_cast<size_t>(i)];
  return 1;
}

int tegula_fake_cuda_modules_loaded() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().modules_loaded;
}

/// The dynamic shared memory the most recent function of `name` was allowed.
int tegula_fake_cuda_max_dynamic_shared(const char *name) {
  std::lock_guard<std::mutex> lock(state().mutex);
  int value = -1;
  for (auto &[key, function] : state().functions)
    if (function->name == name)
      value = function->max_dynamic_shared;
  return value;
}

int tegula_fake_cuda_live_allocations() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return static_cast<int>(state().allocations.size());
}

/// The next call of `call` returns `result` (once).
void tegula_fake_cuda_fail(const char *call, CUresult result) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().fail_once[call] = result;
}

/// The next launched kernel faults with `result`, reported at the next synchronization.
void tegula_fake_cuda_fault_next_launch(CUresult result) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().pending_fault = result;
}

void tegula_fake_cuda_record(int on) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().record = on != 0;
}

void tegula_fake_cuda_set_devices(int count) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().devices = count;
}

void tegula_fake_cuda_set_memory_limit(size_t bytes) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().memory_limit = bytes;
}

/// Forgets the launches and planted failures and revives a dead context.
void tegula_fake_cuda_reset() {
  std::lock_guard<std::mutex> lock(state().mutex);
  State &s = state();
  s.launches.clear();
  s.fail_once.clear();
  s.dead = s.pending_fault = s.fault_at_sync = kSuccess;
  s.memory_limit = SIZE_MAX;
  s.record = true;
  s.devices = 1;
}

} // extern "C"
