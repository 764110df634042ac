// The maia target's back end executed: maia-dialect kernels are emitted as programs and
// run on the simulator, their results compared with fp64 references.
#include "tegula/compiler/maia.h"
#include "tegula/kernels/reference.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace tegula;
using namespace tegula::maia;

namespace {

std::string read(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Vector add with a tail: each program adds up to 256 floats; the last takes
// min(256, n - start) of them, and an scf.if picks the byte count.
const char *kVectorAdd = R"(
func.func @vadd() attributes {maia.kernel} {
  %x = maia.arg 0
  %y = maia.arg 1
  %out = maia.arg 2
  %n = maia.arg 3
  %pid = maia.program_id 0
  %block = arith.constant 256 : i64
  %four = arith.constant 4 : i64
  %one = arith.constant 1 : i64
  %start = arith.muli %pid, %block : i64
  %left = arith.subi %n, %start : i64
  %count = arith.minsi %left, %block : i64
  %full = arith.cmpi sge, %left, %block : i64
  %bytes = scf.if %full -> (i64) {
    %b = arith.constant 1024 : i64
    scf.yield %b : i64
  } else {
    %b = arith.muli %count, %four : i64
    scf.yield %b : i64
  }
  %off = arith.muli %start, %four : i64
  %xs = arith.addi %x, %off : i64
  %ys = arith.addi %y, %off : i64
  %os = arith.addi %out, %off : i64
  %tx = arith.constant 0 : i64
  %ty = arith.constant 1024 : i64
  maia.dma_in %tx, %xs, %one, %bytes, %bytes sem 1
  maia.dma_in %ty, %ys, %one, %bytes, %bytes sem 1
  maia.wait sem 1 count 2
  maia.vbinary add %ty, %tx, %ty, %count sem 2
  maia.wait sem 2 count 1
  maia.dma_out %os, %ty, %one, %bytes, %bytes sem 3
  maia.wait sem 3 count 1
  return
}
)";

} // namespace

TEST_CASE("a maia-dialect vector add with a tail runs on the simulator", "[maia][target]") {
  Program program = emit_maia_program(kVectorAdd, "vadd.mlir");
  for (int64_t n : {1, 255, 256, 257, 1000}) {
    Simulator sim;
    uint64_t x = sim.hbm().allocate(n * 4, "x"), y = sim.hbm().allocate(n * 4, "y"), out = sim.hbm().allocate(n * 4, "out");
    auto *hx = reinterpret_cast<float *>(sim.hbm().host(x, n * 4));
    auto *hy = reinterpret_cast<float *>(sim.hbm().host(y, n * 4));
    for (int64_t i = 0; i < n; ++i) {
      hx[i] = static_cast<float>(kernels::philox_uniform(3, i));
      hy[i] = static_cast<float>(kernels::philox_uniform(4, i));
    }
    std::memset(sim.hbm().host(out, n * 4), 0xFF, n * 4);
    sim.run(program, {(n + 255) / 256, 1, 1},
            {static_cast<int64_t>(x), static_cast<int64_t>(y), static_cast<int64_t>(out), n});
    const float *ho = reinterpret_cast<const float *>(sim.hbm().host(out, n * 4));
    for (int64_t i = 0; i < n; ++i)
      REQUIRE(ho[i] == hx[i] + hy[i]);
  }
}

TEST_CASE("a maia-dialect GEMM with an scf.for K loop matches the fp64 reference", "[maia][target]") {
  Program program = emit_maia_program(read(TEGULA_MAIA_GEMM_KERNEL), "gemm-kernel.mlir");
  const int64_t M = 128, N = 192, K = 96;
  uint64_t seed = 11;
  INFO("seed " << seed);
  Simulator sim;
  Buffer A(DType::BF16, M * K), B(DType::BF16, K * N), C(DType::F32, M * N);
  kernels::fill_uniform(A, seed);
  kernels::fill_uniform(B, seed + 1);
  uint64_t a = sim.hbm().allocate(A.bytes(), "a"), b = sim.hbm().allocate(B.bytes(), "b"), c = sim.hbm().allocate(C.bytes(), "c");
  std::memcpy(sim.hbm().host(a, A.bytes()), A.data(), A.bytes());
  std::memcpy(sim.hbm().host(b, B.bytes()), B.data(), B.bytes());
  std::memset(sim.hbm().host(c, C.bytes()), 0xFF, C.bytes());
  SimStats stats = sim.run(program, {N / 64, M / 64, 1},
                           {static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c), K * 2, N * 2, N * 4});
  std::memcpy(C.data(), sim.hbm().host(c, C.bytes()), C.bytes());
  std::vector<double> absProduct;
  auto ref = kernels::reference_gemm(A, B, M, N, K, &absProduct);
  auto result = kernels::check(C, ref, kernels::gemm_bound(absProduct, K));
  INFO(result.summary());
  CHECK(result.ok());
  CHECK(stats.macs == static_cast<uint64_t>(M * N * K));
}

TEST_CASE("the emitter names what the ISA cannot express", "[maia][target]") {
  // 31 values live at once: one more than the allocatable registers.
  std::string text = "func.func @k() attributes {maia.kernel} {\n";
  for (int i = 0; i < 31; ++i)
    text += "  %v" + std::to_string(i) + " = maia.arg " + std::to_string(i) + "\n";
  text += "  %s0 = arith.addi %v0, %v1 : i64\n";
  for (int i = 2; i < 31; ++i)
    text += "  %s" + std::to_string(i - 1) + " = arith.addi %s" + std::to_string(i - 2) + ", %v" + std::to_string(i) +
            " : i64\n";
  text += "  maia.vfill %s29, %s29, %s29 sem 0\n  return\n}\n";
  try {
    emit_maia_program(text, "pressure.mlir");
    FAIL("31 live scalars were accepted");
  } catch (const Error &e) {
    INFO(e.what());
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("more than 30 scalars are live") != std::string::npos);
  }
  CHECK_THROWS_AS(emit_maia_program("func.func @k() { return }", "nokernel.mlir"), Error);
  CHECK_THROWS_AS(emit_maia_program("func.func @k( {", "bad.mlir"), Error);
}
