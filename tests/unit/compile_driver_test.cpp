// The compiler driver: targets, staged pipelines, emission, the in-memory cache.
#include "tegula/compiler/compile.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace tegula;
using namespace tegula::kernels;

TEST_CASE("unknown targets are refused with the list of available ones", "[compiler]") {
  auto traced = trace_vector_add(DType::F32, {});
  try {
    compile_traced(traced, "opencl");
    FAIL("compiled for a target that is not built");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::Unsupported);
    CHECK(std::string(e.what()).find("cpu") != std::string::npos);
  }
}

TEST_CASE("targets come from the registry, as data, with their options", "[compiler][targets]") {
  std::vector<std::string> names;
  for (const TargetDescription &d : available_targets()) {
    names.push_back(d.name);
    CHECK(!d.summary.empty());
    CHECK(!d.emit_kinds.empty());
    CHECK(d.compute_units >= 1);
    REQUIRE(d.emit_kind("tile") != nullptr); // every target prints its input IR
    CHECK(d.emit_kind("tile")->after_stage == "tile");
  }
  CHECK(names == std::vector<std::string>{"cpu", "maia", "cuda", "rocm", "gpu-emu", "toy"}); // toy: tests/toy_target
  CHECK(describe_target("host").name == "cpu");
  // Options after the colon belong to the target: unknown ones and bad values are
  // named; an option that changes the code changes the cache key.
  auto traced = trace_vector_add(DType::F32, {});
  for (const char *bad : {"cpu:fast", "maia:cluster-sharing=maybe", "maia:colour=blue", "maia:no-such.machine",
                          "cuda:sm_70", "cuda:num-warps=3", "cuda:num-warps=64", "rocm:gfx1100", "rocm:wave=32",
                          "rocm:num-warps=32"}) {
    INFO(bad);
    try {
      compile_traced(traced, bad);
      FAIL("a bad target option was accepted");
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::InvalidArgument);
    }
  }
  auto gemm = trace_gemm(DType::BF16, {128, 128, 128});
  auto shared = compile_traced(gemm, "maia"), alone = compile_traced(gemm, "maia:cluster-sharing=off");
  CHECK(shared != alone);
  CHECK(compile_traced(gemm, "maia:cluster-sharing=on") == shared); // the default, spelled out
  // A machine description file: its quantities are the description's.
  char path[] = "/tmp/tegula-machine-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(path) << "[chip]\nclusters = 2\ntiles_per_cluster = 2\n[tile]\ntsram_bytes = 1 MiB\n";
  TargetDescription small = describe_target(std::string("maia:") + path);
  CHECK(small.compute_units == 4);
  CHECK(small.onchip_bytes == 1048576);
  CHECK(describe_target("maia").compute_units == 64);
  std::remove(path);
  // The GPU targets: one lowering, the vendor's warp as data.
  CHECK(describe_target("cuda").warp_size == 32);
  CHECK(describe_target("rocm:gfx90a").warp_size == 64);
  CHECK(describe_target("cuda:sm_90,num-warps=8").attributes.at("num_warps") == "8");
  CHECK(describe_target("cuda:num-warps=32").attributes.at("max_threads") == "1024");
  try { // 32 wavefronts of 64 lanes are more threads than a block has
    describe_target("rocm:gfx942,num-warps=32");
    FAIL("32 wavefronts were accepted");
  } catch (const Error &e) {
    CHECK(std::string(e.what()).find("rocm:gfx942 runs at most 1024 threads in a block, 16 warps of 64; "
                                     "num-warps=32 asks for 2048") != std::string::npos);
  }
  CHECK(describe_target("cuda:sm_90").onchip_bytes == 232448);
}

TEST_CASE("the GPU targets compile without running: their kernels come out as code, a launch needs a driver",
          "[compiler][gpu]") {
  auto traced = trace_vector_add(DType::F32, {});
  std::string ptx = emit(traced, "cuda:sm_90", "ptx");
  CHECK(ptx.find(".target sm_90") != std::string::npos);
  CHECK(ptx.find(".entry vector_add_f32") != std::string::npos);
  std::string assembly = emit(traced, "rocm:gfx90a", "asm");
  CHECK(assembly.find("gfx90a") != std::string::npos);
  // A cuda kernel is built for the runtime's cuda driver; without NVIDIA's driver
  // library its launch is refused, saying so (cuda_driver_tests runs it on a fake one).
  auto kernel = compile_traced(traced, "cuda");
  CHECK(kernel->kernel().driver() == "cuda");
  const char *before = std::getenv("TEGULA_LIBCUDA");
  const std::string saved = before ? before : "";
  setenv("TEGULA_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
  Buffer x(DType::F32, 4), y(DType::F32, 4), out(DType::F32, 4);
  try {
    kernel->launch(Grid(1), x, y, out, 4);
    FAIL("a cuda kernel launched without a CUDA driver");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::Unsupported);
    CHECK(std::string(e.what()).find("no CUDA driver: /nonexistent/libcuda.so.1 could not be loaded") !=
          std::string::npos);
  }
  if (before)
    setenv("TEGULA_LIBCUDA", saved.c_str(), 1);
  else
    unsetenv("TEGULA_LIBCUDA");
  // AMD's kernels have no driver in this build: they are emitted, not built.
  try {
    compile_traced(traced, "rocm");
    FAIL("a rocm kernel was built to run in a build without a ROCm driver");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("does not run them") != std::string::npos);
  }
}

TEST_CASE("a GPU kernel over the shared memory it may declare takes dynamic shared memory, up to the block's",
          "[compiler][gpu]") {
  // A 128 x 128 x 128 f32 GEMM on the vector units keeps A (padded rows) and B in shared
  // memory: 131,584 bytes. Past the 48 KiB a kernel declares statically on NVIDIA, it is
  // the block's dynamic shared memory on sm_90 (227 KiB a block), which the kernel
  // states; gfx942 has its 64 KiB of LDS and nothing beyond, so the compile refuses it
  // with the figures, and on sm_90 so it does BK = 256 (262,656 bytes).
  auto refused = [](const dsl::TracedKernel &traced, const char *target, const std::string &figures) {
    INFO(target);
    try {
      emit(traced, target, "llvm");
      FAIL("the kernel compiled");
    } catch (const Error &e) {
      INFO(e.what());
      CHECK(e.code() == ErrorCode::CompileError);
      CHECK(std::string(e.what()).find(figures) != std::string::npos);
    }
  };
  GemmConfig config{128, 128, 128};
  config.num_warps = 8;
  auto traced = trace_gemm(DType::F32, config);
  CHECK(describe_target("cuda:sm_90").attributes.at("static_shared_bytes") == "49152");
  CHECK(describe_target("rocm:gfx942").attributes.at("static_shared_bytes") == "65536");
  const std::string report = emit(traced, "cuda:sm_90", "resources");
  INFO(report);
  CHECK(report.find("dynamic_shared_bytes: 131584\n") != std::string::npos);
  refused(traced, "rocm:gfx942",
          "kernel 'gemm_f32' needs 131584 bytes of shared memory in 2 buffers, and a block of the target has 65536");
  config.BK = 256;
  refused(trace_gemm(DType::F32, config), "cuda:sm_90",
          "kernel 'gemm_f32' needs 262656 bytes of shared memory in 2 buffers, and a block of the target has 232448");
}

TEST_CASE("the CPU pipeline has named stages, each printable", "[compiler]") {
  auto traced = trace_gemm(DType::F32, {32, 32, 16});
  std::vector<StageIR> stages;
  std::string llvmDialect = emit(traced, "cpu", "llvm-dialect", {}, &stages);
  std::vector<std::string> names;
  for (auto &s : stages)
    names.push_back(s.stage);
  CHECK(names == std::vector<std::string>{"tile", "linalg", "bufferized", "loops", "llvm"});
  CHECK(stages[0].ir.find("tile.dot") != std::string::npos);
  CHECK(stages[1].ir.find("linalg.matmul") != std::string::npos);
  CHECK(stages[2].ir.find("memref") != std::string::npos);
  // Ops appear as "= dialect.op" or at the start of a line; the access-site table in a
  // module attribute legitimately names tile ops.
  for (const char *op : {"= tile.", " tile.desc_store", " tile.store", "= linalg.", " linalg.", "= scf.", " scf.",
                         "memref.alloc"})
    CHECK(llvmDialect.find(op) == std::string::npos);
}

TEST_CASE("emission produces LLVM IR, assembly and objects", "[compiler]") {
  auto traced = trace_vector_add(DType::F32, {});
  std::string ir = emit(traced, "cpu", "llvm");
  CHECK(ir.find("define void @vector_add_f32(") != std::string::npos);
  CHECK(ir.find("__tegula_info_vector_add_f32") != std::string::npos);
  std::string assembly = emit(traced, "cpu", "asm");
  CHECK(assembly.find("vector_add_f32:") != std::string::npos);
  std::string object = emit(traced, "cpu", "obj");
  REQUIRE(object.size() > 4);
  CHECK(object.substr(0, 4) == std::string("\x7f" "ELF"));
}

TEST_CASE("an AOT shared object runs through the runtime loader", "[compiler]") {
  auto traced = trace_vector_add(DType::F32, {});
  std::string so = emit(traced, "cpu", "so");
  std::string path = "/tmp/tegula_unit_vadd_" + std::to_string(getpid()) + ".so";
  {
    std::ofstream file(path, std::ios::binary);
    file.write(so.data(), static_cast<std::streamsize>(so.size()));
  }
  Kernel k = Kernel::load_shared_object(path, "vector_add_f32");
  CHECK_THROWS_AS(Kernel::load_shared_object(path, "no_such_kernel"), Error);
  std::remove(path.c_str());
  CHECK(k.info().args.size() == 4);
  const int64_t n = 1031;
  Buffer x(DType::F32, n), y(DType::F32, n), out(DType::F32, n);
  for (int64_t i = 0; i < n; ++i) {
    x.as<float>()[i] = static_cast<float>(i) * 0.5f;
    y.as<float>()[i] = 3.0f - static_cast<float>(i);
  }
  out.fill_bytes(0xFF);
  launch(k, Grid((n + 1023) / 1024), x, y, out, n);
  for (int64_t i = 0; i < n; ++i)
    REQUIRE(out.as<float>()[i] == static_cast<float>(i) * 0.5f + (3.0f - static_cast<float>(i)));
}

TEST_CASE("the compile cache is keyed by IR, target and options", "[compiler]") {
  clear_compile_cache();
  auto traced = trace_vector_add(DType::F32, {});
  auto first = compile_traced(traced, "cpu");
  INFO("cold compile of vector_add: " << first->compile_ms() << " ms");
  auto again = compile_traced(traced, "cpu");
  CHECK(first.get() == again.get());
  CompileOptions checked;
  checked.bounds_check = true;
  auto bounded = compile_traced(traced, "cpu", checked);
  CHECK(bounded.get() != first.get());
  CHECK(bounded->info().bounds_checked);
  auto other = compile_traced(trace_vector_add(DType::F32, {512}), "cpu");
  CHECK(other.get() != first.get());
  CHECK(compile_cache_size() == 3);
}

TEST_CASE("malformed kernel IR is a compile error, not a crash", "[compiler]") {
  dsl::TracedKernel bad;
  bad.name = "bad";
  bad.ir = "func.func @bad( {";
  try {
    compile_traced(bad, "cpu");
    FAIL("malformed IR compiled");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("parse") != std::string::npos);
  }
  bad.ir = "func.func @bad(%p: !tile.ptr<f32>) attributes {tile.kernel} {\n"
           "  %r = tile.range 0 to 4 : tensor<8xi32>\n  return\n}\n";
  CHECK_THROWS_AS(compile_traced(bad, "cpu"), Error);
}
