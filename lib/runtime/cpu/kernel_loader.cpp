// Loading AOT kernels: a shared object exporting the entry and a NUL-terminated
// signature string.
#include "tegula/runtime/cpu_abi.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"

#include <dlfcn.h>

namespace tegula {

Kernel Kernel::load_shared_object(const std::string &path, const std::string &name) {
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    throw Error(ErrorCode::LoadError, "cannot open '" + path + "': " + (why ? why : "unknown"));
  }
  std::shared_ptr<void> owner(handle, [](void *h) { dlclose(h); });
  auto entry = reinterpret_cast<CpuEntry>(dlsym(handle, entry_symbol(name).c_str()));
  auto info = static_cast<const char *>(dlsym(handle, info_symbol(name).c_str()));
  if (!entry || !info)
    throw Error(ErrorCode::LoadError, "'" + path + "' has no kernel named '" + name + "'");
  KernelInfo parsed = KernelInfo::parse(info);
  if (parsed.name != name)
    throw Error(ErrorCode::LoadError, "'" + path + "' describes kernel '" + parsed.name +
                                          "' under the symbol of '" + name + "'");
  return host_kernel(std::move(parsed), entry, std::move(owner));
}

} // namespace tegula
