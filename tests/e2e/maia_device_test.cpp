// The maia-sim device: buffers resident in simulated HBM, used in place by launches,
// freed and reused; wrong launches on it are refused with the reason.
#include "kernel_checks.h"

#include "tegula/maia/driver.h"
#include "tegula/compiler/compile.h"
#include "tegula/runtime/error.h"

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("library kernels run on buffers resident on a maia-sim device", "[e2e][maia]") {
  Device device = maia::sim_device();
  CHECK(device.driver() == "maia-sim");
  CHECK(Device::open("maia-sim").driver() == "maia-sim");
  CHECK(device.name().find("maia-sim") != std::string::npos);
  tegula::testing::check_gemm(Gemm(DType::BF16, "maia"), DType::BF16, 130, 70, 300, "resident gemm", &device);
  tegula::testing::check_vector_add(VectorAdd(DType::F32, "maia"), DType::F32, 3001, "resident vector_add", &device);
}

TEST_CASE("launches on a maia-sim device chain through resident buffers", "[e2e][maia]") {
  Device device = maia::sim_device();
  VectorAdd add(DType::F32, "maia");
  const int64_t n = 777;
  uint64_t seed = tegula::testing::case_seed("chain");
  INFO("seed " << seed);
  Buffer x = device.allocate(DType::F32, n), y = device.allocate(DType::F32, n);
  Buffer mid = device.allocate(DType::F32, n), out = device.allocate(DType::F32, n);
  CHECK(x.on_device());
  CHECK(x.device_address() != y.device_address());
  fill_uniform(x, seed);
  fill_uniform(y, seed + 1);
  mid.fill_bytes(0xFF);
  out.fill_bytes(0xFF);
  const void *before = mid.data();
  add(x, y, mid, n);   // mid = x + y, written in place in HBM
  add(mid, y, out, n); // out = mid + y reads the first launch's result there
  CHECK(mid.data() == before);
  for (int64_t i = 0; i < n; ++i) {
    float m = x.as<float>()[i] + y.as<float>()[i];
    CHECK(mid.as<float>()[i] == m);
    CHECK(out.as<float>()[i] == m + y.as<float>()[i]);
  }
  // Device::launch takes the same arguments as launch().
  Buffer again = device.allocate(DType::F32, n);
  again.fill_bytes(0xFF);
  device.launch(add.compiled().kernel(), Grid((n + 1023) / 1024), x, y, again, n);
  for (int64_t i = 0; i < n; ++i)
    CHECK(again.as<float>()[i] == mid.as<float>()[i]);
}

TEST_CASE("maia-sim HBM is freed with its buffers and reused", "[e2e][maia]") {
  maia::MachineSpec spec = maia::MachineSpec::defaults();
  spec.hbm_bytes = 4 << 20; // a 4 MiB device
  Device device = maia::sim_device(spec);
  for (int i = 0; i < 20; ++i) { // 20 x 3 MiB, one at a time
    Buffer b = device.allocate(DType::F32, (3 << 20) / 4);
    CHECK(b.on_device());
  }
  Buffer held = device.allocate(DType::F32, (3 << 20) / 4);
  try {
    Buffer more = device.allocate(DType::F32, (3 << 20) / 4);
    FAIL("a second 3 MiB buffer fit a 4 MiB device");
  } catch (const Error &e) {
    INFO(e.what());
    CHECK(e.code() == ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("does not fit") != std::string::npos);
  }
}

TEST_CASE("wrong launches on devices are refused with the reason", "[e2e][maia]") {
  Device maia = maia::sim_device(), other = maia::sim_device(), cpu = Device::cpu();
  VectorAdd onMaia(DType::F32, "maia"), onCpu(DType::F32, "cpu");
  const int64_t n = 100;
  Buffer x = maia.allocate(DType::F32, n), y = maia.allocate(DType::F32, n), out = maia.allocate(DType::F32, n);
  Buffer foreign = other.allocate(DType::F32, n);
  fill_uniform(x, 1);
  fill_uniform(y, 2);
  auto message = [](auto &&fn) -> std::string {
    try {
      fn();
    } catch (const Error &e) {
      return e.what();
    }
    return "";
  };
  std::string wrongKind = message([&] { maia.launch(onCpu.compiled().kernel(), Grid(1), x, y, out, n); });
  CHECK(wrongKind.find("runs on the cpu driver") != std::string::npos);
  std::string wrongKind2 = message([&] { cpu.launch(onMaia.compiled().kernel(), Grid(1), x, y, out, n); });
  CHECK(wrongKind2.find("runs on the maia-sim driver") != std::string::npos);
  std::string mixed = message([&] { onMaia(x, foreign, out, n); });
  CHECK(mixed.find("another maia-sim device") != std::string::npos);
  CHECK(mixed.find("'y'") != std::string::npos);
  std::string guard = message([&] { maia.allocate(DType::F32, n, BufferMode::GuardPage); });
  CHECK(guard.find("guard-page") != std::string::npos);
  // A bad launch is validated before anything runs, on the device as elsewhere.
  std::string grid = message([&] { maia.launch(onMaia.compiled().kernel(), Grid(0), x, y, out, n); });
  CHECK(grid.find("grid.x") != std::string::npos);
  // The device still works after each refusal.
  out.fill_bytes(0xFF);
  onMaia(x, y, out, n);
  for (int64_t i = 0; i < n; ++i)
    CHECK(out.as<float>()[i] == x.as<float>()[i] + y.as<float>()[i]);
}
