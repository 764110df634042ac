// The host's driver: the entry point a CPU kernel is, and the functions CPU kernels
// call into the runtime (the bounds-check hook, device print and assert, the atomics).
// The compiler registers those with the JIT by name; AOT objects resolve them against
// the loaded runtime library.
#ifndef TEGULA_RUNTIME_CPU_ABI_H
#define TEGULA_RUNTIME_CPU_ABI_H

#include "tegula/runtime/kernel.h"

#include <cstddef>
#include <cstdint>
#include <memory>

extern "C" {
bool tegula_cpu_check_access(int64_t address, int64_t bytes, int32_t site);
void tegula_cpu_print_f64(int32_t site, int64_t index, double value);
void tegula_cpu_print_i64(int32_t site, int64_t index, int64_t value);
void tegula_cpu_assert_fail(int32_t site, int64_t index);

#define TEGULA_CPU_ATOMICS(T, SUFFIX)                                                      \
  T tegula_cpu_atomic_add_##SUFFIX(int64_t address, T value);                             \
  T tegula_cpu_atomic_max_##SUFFIX(int64_t address, T value);                             \
  T tegula_cpu_atomic_min_##SUFFIX(int64_t address, T value);                             \
  T tegula_cpu_atomic_xchg_##SUFFIX(int64_t address, T value);
TEGULA_CPU_ATOMICS(int32_t, i32)
TEGULA_CPU_ATOMICS(int64_t, i64)
TEGULA_CPU_ATOMICS(float, f32)
TEGULA_CPU_ATOMICS(double, f64)
#undef TEGULA_CPU_ATOMICS
int32_t tegula_cpu_atomic_cas_i32(int64_t address, int32_t expected, int32_t desired);
int64_t tegula_cpu_atomic_cas_i64(int64_t address, int64_t expected, int64_t desired);
}

namespace tegula {
/// `args[i]` points to the value of argument i (a buffer's data pointer for buffers);
/// `grid` holds program id x, y, z and grid size x, y, z.
using CpuEntry = void (*)(void **args, const int32_t *grid);
/// A kernel for the host's driver: an entry point and what keeps its code alive (a JIT
/// session, a dlopen handle).
Kernel host_kernel(KernelInfo info, CpuEntry entry, std::shared_ptr<void> owner);
/// The entry point of a kernel of the host's driver; null for another driver's kernel.
CpuEntry host_entry(const Kernel &kernel);

struct CpuRuntimeSymbol {
  const char *name;
  void *address;
};
/// Every function above, by name.
const CpuRuntimeSymbol *cpu_runtime_symbols(size_t *count);
} // namespace tegula

#endif
