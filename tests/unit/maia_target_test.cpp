// The maia target's back end executed: maia-dialect kernels are emitted as programs and
// run on the simulator, their results compared with fp64 references.
#include "tegula/maia/emit.h"
#include "tegula/kernels/reference.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <algorithm>

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
  // 31 values live at once, one more than the allocatable registers: argument reads,
  // which are rebuilt next to their uses, or HBM words read by ldw, which are not.
  auto pressure = [](bool loads) {
    std::string text = "func.func @k() attributes {maia.kernel} {\n  %p = maia.arg 0\n";
    for (int i = 0; i < 31; ++i)
      text += "  %v" + std::to_string(i) + " = " + (loads ? "maia.ldw %p" : "maia.arg " + std::to_string(i + 1)) + "\n";
    text += "  %s0 = arith.addi %v0, %v1 : i64\n";
    for (int i = 2; i < 31; ++i)
      text += "  %s" + std::to_string(i - 1) + " = arith.addi %s" + std::to_string(i - 2) + ", %v" + std::to_string(i) +
              " : i64\n";
    return text + "  maia.vfill %s29, %s29, %s29 sem 0\n  return\n}\n";
  };
  Program rebuilt = emit_maia_program(pressure(false), "pressure.mlir");
  CHECK(std::count_if(rebuilt.code.begin(), rebuilt.code.end(),
                      [](const Instruction &i) { return i.opcode == Opcode::Arg; }) >= 31);
  try {
    emit_maia_program(pressure(true), "pressure.mlir");
    FAIL("31 live scalars were accepted");
  } catch (const Error &e) {
    INFO(e.what());
    CHECK(e.code() == ErrorCode::CompileError);
    CHECK(std::string(e.what()).find("more than 30 scalars are live") != std::string::npos);
  }
  CHECK_THROWS_AS(emit_maia_program("func.func @k() { return }", "nokernel.mlir"), Error);
  CHECK_THROWS_AS(emit_maia_program("func.func @k( {", "bad.mlir"), Error);
}

TEST_CASE("a branch inside a loop keeps its condition's operands alive", "[maia][target]") {
  // The comparison is made once before the loop; the if re-reads it every iteration,
  // while the loop body allocates new scalars that must not take its registers.
  const char *text = R"(
func.func @k() attributes {maia.kernel} {
  %out = maia.arg 0
  %a = maia.arg 1
  %b = maia.arg 2
  %c = arith.cmpi slt, %a, %b : i64
  %zero = arith.constant 0 : i64
  %four = arith.constant 4 : i64
  %one = arith.constant 1 : i64
  scf.for %i = %zero to %four step %one : i64 {
    %x = arith.addi %i, %i : i64
    %y = arith.muli %x, %x : i64
    %z = arith.addi %y, %x : i64
    %v = scf.if %c -> (i64) {
      scf.yield %one : i64
    } else {
      %two = arith.constant 2 : i64
      scf.yield %two : i64
    }
    %slot = arith.muli %i, %four : i64
    %addr = arith.addi %slot, %z : i64
    %count = arith.constant 1 : i64
    maia.vfill %slot, %v, %count sem 1
    maia.wait sem 1 count 1
  }
  %bytes = arith.constant 16 : i64
  maia.dma_out %out, %zero, %one, %bytes, %bytes sem 2
  maia.wait sem 2 count 1
  return
}
)";
  Program program = emit_maia_program(text, "branch.mlir");
  Simulator sim;
  uint64_t out = sim.hbm().allocate(16, "out");
  sim.run(program, {1, 1, 1}, {static_cast<int64_t>(out), 1, 3});
  const int32_t *words = reinterpret_cast<const int32_t *>(sim.hbm().host(out, 16));
  for (int i = 0; i < 4; ++i)
    CHECK(words[i] == 1); // a < b on every iteration
}

TEST_CASE("loop results are moved out as one parallel copy, the same on every emission", "[maia][target]") {
  // Four carried scalars rotating; the first result is unused, so its register is free
  // for the others, and the exit copy must not clobber a value it still has to read.
  const char *text = R"(
func.func @k() attributes {maia.kernel} {
  %out = maia.arg 0
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %three = arith.constant 3 : i64
  %a0 = arith.constant 10 : i64
  %b0 = arith.constant 20 : i64
  %c0 = arith.constant 30 : i64
  %d0 = arith.constant 40 : i64
  %r:4 = scf.for %i = %zero to %three step %one iter_args(%a = %a0, %b = %b0, %c = %c0, %d = %d0) -> (i64, i64, i64, i64) : i64 {
    %a1 = arith.addi %a, %one : i64
    scf.yield %b, %c, %d, %a1 : i64, i64, i64, i64
  }
  %s1 = arith.addi %r#1, %r#2 : i64
  %s = arith.addi %s1, %r#3 : i64
  %n = arith.constant 1 : i64
  maia.vfill %zero, %s, %n sem 1
  maia.wait sem 1 count 1
  %bytes = arith.constant 4 : i64
  maia.dma_out %out, %zero, %one, %bytes, %bytes sem 2
  maia.wait sem 2 count 1
  return
}
)";
  std::string first;
  for (int attempt = 0; attempt < 5; ++attempt) {
    Program program = emit_maia_program(text, "rotate.mlir");
    std::string listing = disassemble(program);
    if (attempt == 0)
      first = listing;
    CHECK(listing == first); // register allocation is deterministic
    Simulator sim;
    uint64_t out = sim.hbm().allocate(4, "out");
    sim.run(program, {1, 1, 1}, {static_cast<int64_t>(out)});
    // After 3 rotations (a, b, c, d) = (40, 11, 21, 31): b + c + d = 63.
    CHECK(*reinterpret_cast<const int32_t *>(sim.hbm().host(out, 4)) == 63);
  }
}
