// Atomics for CPU kernels, on std::atomic_ref over the kernel's address. Float max/min
// use a compare-exchange loop (there is no fetch_max), so a NaN never wins.
#include "tegula/runtime/cpu_abi.h"

#include <atomic>

namespace {

template <typename T> T &at(int64_t address) { return *reinterpret_cast<T *>(static_cast<uintptr_t>(address)); }

template <typename T, typename Better> T atomic_select(int64_t address, T value, Better better) {
  std::atomic_ref<T> ref(at<T>(address));
  T old = ref.load(std::memory_order_relaxed);
  while (better(value, old) && !ref.compare_exchange_weak(old, value, std::memory_order_acq_rel))
    ;
  return old;
}

} // namespace

extern "C" {

#define TEGULA_DEFINE_ATOMICS(T, SUFFIX)                                                   \
  __attribute__((visibility("default"))) T tegula_cpu_atomic_add_##SUFFIX(int64_t a, T v) { \
    return std::atomic_ref<T>(at<T>(a)).fetch_add(v, std::memory_order_acq_rel);          \
  }                                                                                        \
  __attribute__((visibility("default"))) T tegula_cpu_atomic_max_##SUFFIX(int64_t a, T v) { \
    return atomic_select<T>(a, v, [](T x, T y) { return x > y; });                         \
  }                                                                                        \
  __attribute__((visibility("default"))) T tegula_cpu_atomic_min_##SUFFIX(int64_t a, T v) { \
    return atomic_select<T>(a, v, [](T x, T y) { return x < y; });                         \
  }                                                                                        \
  __attribute__((visibility("default"))) T tegula_cpu_atomic_xchg_##SUFFIX(int64_t a, T v) { \
    return std::atomic_ref<T>(at<T>(a)).exchange(v, std::memory_order_acq_rel);           \
  }
TEGULA_DEFINE_ATOMICS(int32_t, i32)
TEGULA_DEFINE_ATOMICS(int64_t, i64)
TEGULA_DEFINE_ATOMICS(float, f32)
TEGULA_DEFINE_ATOMICS(double, f64)
#undef TEGULA_DEFINE_ATOMICS

__attribute__((visibility("default"))) int32_t tegula_cpu_atomic_cas_i32(int64_t a, int32_t expected, int32_t desired) {
  std::atomic_ref<int32_t>(at<int32_t>(a)).compare_exchange_strong(expected, desired, std::memory_order_acq_rel);
  return expected;
}

__attribute__((visibility("default"))) int64_t tegula_cpu_atomic_cas_i64(int64_t a, int64_t expected, int64_t desired) {
  std::atomic_ref<int64_t>(at<int64_t>(a)).compare_exchange_strong(expected, desired, std::memory_order_acq_rel);
  return expected;
}

} // extern "C"

