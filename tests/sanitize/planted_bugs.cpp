// Deliberate bugs, one per sanitizer, that a sanitized build must report: the tests
// built from this file are expected to fail (WILL_FAIL), which shows the sanitizer
// stages of scripts/test are live rather than quietly uninstrumented.
#include <cstdio>
#include <functional>
#include <thread>

namespace {

#if defined(PLANT_USE_AFTER_SCOPE)
// The shape of the bug the JIT once had: a reference bound to a temporary callable
// that is called after the temporary is gone.
int use_after_scope() {
  const std::function<int()> *kept = nullptr;
  {
    std::function<int()> temporary = [] { return 42; };
    kept = &temporary;
  }
  return (*kept)();
}
#endif

#if defined(PLANT_DATA_RACE)
int counter = 0;
int data_race() {
  std::thread a([] {
    for (int i = 0; i < 100000; ++i)
      ++counter;
  });
  std::thread b([] {
    for (int i = 0; i < 100000; ++i)
      ++counter;
  });
  a.join();
  b.join();
  return counter;
}
#endif

} // namespace

int main() {
#if defined(PLANT_USE_AFTER_SCOPE)
  std::printf("%d\n", use_after_scope());
#elif defined(PLANT_DATA_RACE)
  std::printf("%d\n", data_race());
#endif
  return 0;
}
