// The LLVM-free runtime on its own: buffers, the kernel-info record, launch validation
// and the program-instance loop, driven by a host function standing in for a kernel.
#include "tegula/runtime/cpu_abi.h"
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdint>
#include <cstring>
#include <unistd.h>

using namespace tegula;

namespace {

// Stands in for a compiled kernel with signature (i32 *out, i32 n): every program
// instance writes its linear id into out[id] (if id < n), so a test can see that each
// instance ran exactly once with the right coordinates.
void fake_entry(void **args, const int32_t *grid) {
  int32_t *out = *static_cast<int32_t **>(args[0]);
  int32_t n = *static_cast<int32_t *>(args[1]);
  int64_t id = grid[0] + int64_t{grid[3]} * (grid[1] + int64_t{grid[4]} * grid[2]);
  if (id < n)
    out[id] += static_cast<int32_t>(id) + 1;
}

Kernel fake_kernel() {
  KernelInfo info;
  info.name = "fake";
  info.args = {{ArgSpec::Kind::Buffer, DType::I32, "out"}, {ArgSpec::Kind::Scalar, DType::I32, "n"}};
  return host_kernel(info, &fake_entry, nullptr);
}

template <typename F> ErrorCode code_of(F &&f) {
  try {
    f();
  } catch (const Error &e) {
    return e.code();
  }
  FAIL("no error thrown");
  return ErrorCode::InvalidArgument;
}

template <typename F> std::string message_of(F &&f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("dtype names and sizes round-trip", "[runtime]") {
  for (DType d : {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I1, DType::I8, DType::I32, DType::I64}) {
    auto back = dtype_from_name(dtype_name(d));
    REQUIRE(back.has_value());
    CHECK(*back == d);
  }
  CHECK(dtype_size(DType::BF16) == 2);
  CHECK(dtype_size(DType::I64) == 8);
  CHECK_FALSE(dtype_from_name("f8").has_value());
}

TEST_CASE("guard-page buffers end where a protected page begins", "[runtime]") {
  for (size_t count : {1, 7, 1024, 1025}) {
    Buffer b(DType::F32, count, BufferMode::GuardPage);
    REQUIRE(b.mode() == BufferMode::GuardPage);
    auto end = reinterpret_cast<uintptr_t>(b.data()) + b.bytes();
    CHECK(end % static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)) == 0);
    b.fill_bytes(0x11); // every byte writable
    CHECK(b.as<uint8_t>()[b.bytes() - 1] == 0x11);
  }
}

TEST_CASE("buffers move without copying storage", "[runtime]") {
  Buffer a(DType::I32, 10);
  void *data = a.data();
  Buffer b = std::move(a);
  CHECK(b.data() == data);
  CHECK(a.empty());
}

TEST_CASE("kernel info survives serialize/parse", "[runtime]") {
  KernelInfo info;
  info.name = "gemm_bf16";
  info.bounds_checked = true;
  info.args = {{ArgSpec::Kind::Buffer, DType::BF16, "a", 16}, {ArgSpec::Kind::Scalar, DType::I32, "M", 8}};
  info.sites = {"tile.load at gemm.cpp:12:3", "tile.store at gemm.cpp:20:1",
                "assertion \"two\nlines \\ and a backslash\" at k.cpp:3:1"};
  KernelInfo back = KernelInfo::parse(info.serialize());
  CHECK(back.name == info.name);
  CHECK(back.bounds_checked);
  REQUIRE(back.args.size() == 2);
  CHECK(back.args[0].dtype == DType::BF16);
  CHECK(back.args[1].name == "M");
  CHECK(back.args[0].multiple_of == 16);
  CHECK(back.args[1].multiple_of == 8);
  CHECK(back.sites == info.sites);
}

TEST_CASE("corrupt kernel info is rejected with the line", "[runtime]") {
  CHECK(code_of([] { KernelInfo::parse("garbage"); }) == ErrorCode::LoadError);
  std::string msg = message_of([] { KernelInfo::parse("tegula-kernel 1\nname k\narg buffer f99 x\n"); });
  CHECK(msg.find("line 3") != std::string::npos);
  CHECK(msg.find("f99") != std::string::npos);
  CHECK(code_of([] { KernelInfo::parse("tegula-kernel 1\narg scalar i32 n\n"); }) == ErrorCode::LoadError);
  CHECK(code_of([] { KernelInfo::parse("tegula-kernel 2\nname k\n"); }) == ErrorCode::LoadError);
  for (const char *promise : {"multiple_of=0", "multiple_of=x", "multiple=4", "multiple_of=4x"}) {
    INFO(promise);
    msg = message_of([&] { KernelInfo::parse(std::string("tegula-kernel 1\nname k\narg scalar i32 n ") + promise + "\n"); });
    CHECK(msg.find("line 3") != std::string::npos);
    CHECK(msg.find("multiple_of=<n>") != std::string::npos);
  }
}

TEST_CASE("a launch holds every argument to what the kernel was compiled to assume", "[runtime]") {
  KernelInfo info = fake_kernel().info();
  REQUIRE(info.args.size() == 2);
  info.args[1].multiple_of = 4; // n, the element count
  Buffer out(DType::I32, 8);
  std::vector<Arg> wrong{out, int64_t{6}};
  std::string msg = message_of([&] { validate_launch(info, Grid(1), wrong); });
  CHECK(msg.find("argument 1 ('n') of kernel 'fake' is 6, not a multiple of 4, which the kernel was compiled to assume") !=
        std::string::npos);
  std::vector<Arg> right{out, int64_t{8}};
  CHECK(message_of([&] { validate_launch(info, Grid(1), right); }).empty());
  // A buffer at an address off the alignment it was compiled to assume (device memory
  // at 0x1004, where the kernel assumes 16).
  info.args[0].multiple_of = 16;
  std::vector<int32_t> host(8);
  Buffer odd = Buffer::device_memory(DType::I32, 8, host.data(), &host, 0x1004, nullptr);
  std::vector<Arg> misaligned{odd, int64_t{8}};
  msg = message_of([&] { validate_launch(info, Grid(1), misaligned); });
  CHECK(msg.find("is at an address 4 bytes past a multiple of 16") != std::string::npos);
}

TEST_CASE("loading a missing shared object is an error, not a crash", "[runtime]") {
  CHECK(code_of([] { Kernel::load_shared_object("/nonexistent/k.so", "k"); }) == ErrorCode::LoadError);
}

TEST_CASE("launch runs every program instance exactly once", "[runtime]") {
  Kernel k = fake_kernel();
  for (int threads : {1, 2, 3}) {
    const Grid grid(5, 3, 2);
    const int32_t n = 5 * 3 * 2;
    Buffer out(DType::I32, n);
    out.fill_bytes(0);
    std::vector<Arg> args{out, int64_t{n}};
    LaunchOptions options;
    options.threads = threads;
    launch(k, grid, args, options);
    for (int32_t i = 0; i < n; ++i)
      CHECK(out.as<int32_t>()[i] == i + 1);
  }
}

TEST_CASE("launch validation names what is wrong", "[runtime]") {
  Kernel k = fake_kernel();
  Buffer out(DType::I32, 4);
  Buffer wrong(DType::F32, 4);
  Buffer empty;
  CHECK(code_of([&] { launch(k, Grid(1), out); }) == ErrorCode::ArgumentCount);
  CHECK(code_of([&] { launch(k, Grid(1), wrong, 4); }) == ErrorCode::DTypeMismatch);
  CHECK(code_of([&] { launch(k, Grid(1), empty, 4); }) == ErrorCode::NullBuffer);
  CHECK(code_of([&] { launch(k, Grid(1), static_cast<Buffer *>(nullptr), 4); }) == ErrorCode::NullBuffer);
  CHECK(code_of([&] { launch(k, Grid(1), 3, 4); }) == ErrorCode::ArgumentType);
  CHECK(code_of([&] { launch(k, Grid(1), out, out); }) == ErrorCode::ArgumentType);
  CHECK(code_of([&] { launch(k, Grid(1), out, 2.5); }) == ErrorCode::DTypeMismatch);
  CHECK(code_of([&] { launch(k, Grid(1), out, int64_t{1} << 40); }) == ErrorCode::InvalidArgument);
  CHECK(code_of([&] { launch(k, Grid(0), out, 4); }) == ErrorCode::InvalidGrid);
  CHECK(code_of([&] { launch(k, Grid(1, -2), out, 4); }) == ErrorCode::InvalidGrid);
  CHECK(code_of([&] { launch(k, Grid(1, 1, kMaxGridDim + 1), out, 4); }) == ErrorCode::InvalidGrid);
  std::string msg = message_of([&] { launch(k, Grid(1), wrong, 4); });
  CHECK(msg.find("argument 0 ('out')") != std::string::npos);
  CHECK(msg.find("i32") != std::string::npos);
  CHECK(code_of([&] { launch(Kernel(), Grid(1), out, 4); }) == ErrorCode::InvalidArgument);
}

TEST_CASE("a CPU device allocates buffers and launches on its threads", "[runtime]") {
  Device device = Device::cpu(2);
  int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CHECK(device.threads() == std::min(2, hardware));
  CHECK(Device::cpu(100000).threads() == hardware);
  CHECK(device.name().find("cpu") != std::string::npos);
  Buffer out = device.allocate(DType::I32, 12, BufferMode::GuardPage);
  out.fill_bytes(0);
  device.launch(fake_kernel(), Grid(4, 3), out, int64_t{12});
  for (int32_t i = 0; i < 12; ++i)
    CHECK(out.as<int32_t>()[i] == i + 1);
  CHECK(code_of([] { Device::cpu(-1); }) == ErrorCode::InvalidArgument);
}
