// Kernels that must not compile. Each CASE_* is built by its own ctest, which expects
// the compiler to reject it; without any CASE_* the file compiles (the control test),
// so a failure means the rejection, not a broken file.
#include "tegula/dsl.h"

using namespace tegula::dsl;


void control(Ptr<f32> x, Int n) {
  auto i = arange(16);
  auto ok = i < n;
  store(x + i, where(ok, load(x + i, ok, 0.0), 1.0), ok);
#ifdef CASE_symbolic_bool_if
  // A traced bool is not a C++ bool: this must not compile.
  if (i < n) {
  }
#endif
#ifdef CASE_dtype_mix
  // f32 + i32 without a cast.
  auto bad = load(x + i) + i;
  (void)bad;
#endif
#ifdef CASE_dot_dtype
  // dot accepts f32/f16/bf16 (or i8 with i32 accumulation), never i32 operands.
  auto a = zeros<i32>({16, 16});
  auto acc = zeros<f32>({16, 16});
  auto bad = dot(a, a, acc);
  (void)bad;
#endif
#ifdef CASE_carry_non_tile
  int counter = 0;
  for (auto k : range(0, n, 16).carry(counter)) {
    (void)k;
  }
#endif
}
