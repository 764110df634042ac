// The table of runtime functions CPU kernels call, by name, for the JIT's symbol map.
#include "tegula/runtime/cpu_abi.h"

namespace tegula {

const CpuRuntimeSymbol *cpu_runtime_symbols(size_t *count) {
#define TEGULA_SYMBOLS(SUFFIX)                                                             \
  {"tegula_cpu_atomic_add_" #SUFFIX, reinterpret_cast<void *>(&tegula_cpu_atomic_add_##SUFFIX)}, \
      {"tegula_cpu_atomic_max_" #SUFFIX, reinterpret_cast<void *>(&tegula_cpu_atomic_max_##SUFFIX)}, \
      {"tegula_cpu_atomic_min_" #SUFFIX, reinterpret_cast<void *>(&tegula_cpu_atomic_min_##SUFFIX)}, \
      {"tegula_cpu_atomic_xchg_" #SUFFIX, reinterpret_cast<void *>(&tegula_cpu_atomic_xchg_##SUFFIX)},
  static const CpuRuntimeSymbol symbols[] = {
      TEGULA_SYMBOLS(i32) TEGULA_SYMBOLS(i64) TEGULA_SYMBOLS(f32) TEGULA_SYMBOLS(f64)
      {"tegula_cpu_atomic_cas_i32", reinterpret_cast<void *>(&tegula_cpu_atomic_cas_i32)},
      {"tegula_cpu_atomic_cas_i64", reinterpret_cast<void *>(&tegula_cpu_atomic_cas_i64)},
      {"tegula_cpu_check_access", reinterpret_cast<void *>(&tegula_cpu_check_access)},
      {"tegula_cpu_print_f64", reinterpret_cast<void *>(&tegula_cpu_print_f64)},
      {"tegula_cpu_print_i64", reinterpret_cast<void *>(&tegula_cpu_print_i64)},
      {"tegula_cpu_assert_fail", reinterpret_cast<void *>(&tegula_cpu_assert_fail)},
  };
#undef TEGULA_SYMBOLS
  *count = sizeof(symbols) / sizeof(symbols[0]);
  return symbols;
}

} // namespace tegula
