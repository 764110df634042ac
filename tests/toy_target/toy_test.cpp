// The toy target, added as one folder: it is in the registries (targets, drivers), its
// option and description field reach the description, its emit kind emits, and its
// kernels compute right while every launch goes through its driver.
#include "ToyExecutable.h"

#include "../e2e/testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"
#include "tegula/xcheck/xcheck.h"

#include <algorithm>

using namespace tegula;

TEST_CASE("the toy target is registered, with its option, description field and emit kind", "[toy]") {
  const TargetDescription d = describe_target("toy:k=3");
  CHECK(d.name == "toy");
  CHECK(d.attributes.at("k") == "3");
  CHECK(describe_target("toy").attributes.at("k") == "1");
  std::vector<std::string> names;
  for (const TargetDescription &t : available_targets())
    names.push_back(t.name);
  CHECK(std::find(names.begin(), names.end(), "toy") != names.end());
  const auto backends = xcheck::backends(); // it executes, so xcheck and the suite run it
  CHECK(std::find(backends.begin(), backends.end(), "toy") != backends.end());
  for (const char *bad : {"toy:k=0", "toy:k=x", "toy:colour=red"}) {
    INFO(bad);
    CHECK_THROWS_AS(describe_target(bad), Error);
  }
  auto traced = kernels::trace_vector_add(DType::F32, {});
  CHECK(emit(traced, "toy:k=3", "toy-report") == "toy kernel " + traced.name + ": 4 arguments, k=3\n");
  CHECK(compile_traced(traced, "toy:k=3") != compile_traced(traced, "toy:k=4")); // the option is in the key
}

TEST_CASE("toy kernels run through the toy driver and compute what the host computes", "[toy]") {
  const uint64_t seed = testing::case_seed("toy vector_add");
  const int64_t n = 1001;
  Buffer x(DType::F32, n), y(DType::F32, n), out(DType::F32, n);
  kernels::fill_uniform(x, seed);
  kernels::fill_uniform(y, seed + 1);
  out.fill_bytes(0xFF);
  const kernels::VectorAddConfig config{256};
  kernels::VectorAdd add(DType::F32, "toy:k=3", {}, config);
  REQUIRE(add.compiled().kernel().driver() == "toy");
  const int64_t before = toy::launch_count();
  add(x, y, out, n);
  CHECK(toy::launch_count() == before + 1);
  auto ref = kernels::reference_vector_add(x, y, n);
  kernels::CheckResult r = kernels::check(out, ref, kernels::vector_add_bound(ref, DType::F32));
  INFO(r.summary());
  CHECK(r.ok());

  Device device = Device::open("toy");
  CHECK(device.driver() == "toy");
  out.fill_bytes(0xFF);
  device.launch(add.compiled().kernel(), Grid((n + config.block - 1) / config.block), x, y, out, n);
  CHECK(toy::launch_count() == before + 2);
  CHECK(kernels::check(out, ref, kernels::vector_add_bound(ref, DType::F32)).ok());
  // A host kernel is not the toy driver's.
  kernels::VectorAdd host(DType::F32);
  CHECK_THROWS_AS(device.launch(host.compiled().kernel(), Grid(1), x, y, out, n), Error);
}
