// The host driver's executable: an entry point and what keeps its code alive.
#ifndef TEGULA_LIB_RUNTIME_CPU_DRIVER_H
#define TEGULA_LIB_RUNTIME_CPU_DRIVER_H

#include "tegula/runtime/cpu_abi.h"
#include "tegula/runtime/driver.h"

namespace tegula::detail {

struct CpuExecutable final : Executable {
  static constexpr const char *kDriver = "cpu";
  CpuExecutable(CpuEntry entry, std::shared_ptr<void> owner) : entry(entry), owner(std::move(owner)) {}
  std::string driver() const override { return kDriver; }
  CpuEntry entry;
  std::shared_ptr<void> owner;
};

void registerCpuDriver();

} // namespace tegula::detail

#endif
