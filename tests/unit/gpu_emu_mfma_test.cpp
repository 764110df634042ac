// gpu-emu's amdgpu.mfma (v_mfma_f32_32x32x8{f16,bf16}, one block) against AMD's CDNA
// tables, written here from the instruction set's description: lane l (of 64) holds A's
// row l % 32, columns 4 (l / 32) .. + 3; B's column l % 32, rows 4 (l / 32) .. + 3; and
// of C and D, column l % 32, rows 8 (r / 4) + 4 (l / 32) + r % 4 in its 16 registers r.
// Every lane takes its fragments from buffers the host filled by the table; each D must
// be the table's elements of A B + C; one-hot products put a single 1 in the lane and
// register the table names; a wavefront of 32 lanes is refused.
#include "backends/gpu-emu/sim/Interpreter.h"
#include "backends/gpu-emu/sim/Numerics.h"
#include "backends/gpu-emu/target/Translate.h"

#include "tegula/kernels/reference.h"
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/launch.h"

#include "../e2e/testing.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>

using namespace tegula;

namespace {

struct At {
  int row, col;
};
At a_at(int lane, int i) { return {lane % 32, 4 * (lane / 32) + i}; }
At b_at(int lane, int i) { return {4 * (lane / 32) + i, lane % 32}; }
At c_at(int lane, int r) { return {8 * (r / 4) + 4 * (lane / 32) + r % 4, lane % 32}; }

/// A kernel of one wavefront: lane l reads A's 4 elements at in[4 l], B's at
/// in[256 + 4 l], C's 16 at acc[16 l], and writes D's 16 at out[16 l].
std::string mfma_kernel(bool bf16, int lanes) {
  const std::string half = bf16 ? "bf16" : "f16";
  std::string text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mfma(%in: !llvm.ptr<1>, %acc: !llvm.ptr<1>, %out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: LANES, 1, 1>} {
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %c4 = arith.constant 4 : i32
      %c16 = arith.constant 16 : i32
      %c256 = arith.constant 256 : i32
      %i = arith.muli %lane, %c4 : i32
      %j = arith.addi %i, %c256 : i32
      %f = arith.muli %lane, %c16 : i32
      %pa = llvm.getelementptr %in[%i] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, HALF
      %pb = llvm.getelementptr %in[%j] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, HALF
      %pc = llvm.getelementptr %acc[%f] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %po = llvm.getelementptr %out[%f] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %a = llvm.load %pa {alignment = 8 : i64} : !llvm.ptr<1> -> vector<4xHALF>
      %b = llvm.load %pb {alignment = 8 : i64} : !llvm.ptr<1> -> vector<4xHALF>
      %c = llvm.load %pc {alignment = 64 : i64} : !llvm.ptr<1> -> vector<16xf32>
      %d = amdgpu.mfma 32x32x8 %a * %b + %c blgp = none : vector<4xHALF>, vector<4xHALF>, vector<16xf32>
      llvm.store %d, %po {alignment = 64 : i64} : vector<16xf32>, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";
  for (size_t at; (at = text.find("HALF")) != std::string::npos;)
    text.replace(at, 4, half);
  text.replace(text.find("LANES"), 5, std::to_string(lanes));
  return text;
}

Kernel emulated(const std::string &text, int64_t wave) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::amdgpu::AMDGPUDialect, mlir::arith::ArithDialect, mlir::gpu::GPUDialect,
                  mlir::LLVM::LLVMDialect>();
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context, "mfma.mlir");
  REQUIRE(module);
  mlir::FailureOr<gpuemu::Program> program = gpuemu::translate_to_program(*module, wave);
  REQUIRE(mlir::succeeded(program));
  KernelInfo info;
  info.name = program->name;
  info.args = {{ArgSpec::Kind::Buffer, DType::I32, "in"},
               {ArgSpec::Kind::Buffer, DType::F32, "acc"},
               {ArgSpec::Kind::Buffer, DType::F32, "out"}};
  return Kernel(info, std::make_shared<const gpuemu::EmuExecutable>(std::move(*program)));
}

gpuemu::Scalar half_of(bool bf16) { return bf16 ? gpuemu::Scalar::BF16 : gpuemu::Scalar::F16; }

/// Runs the wavefront on A (32 x 8), B (8 x 32) and C (32 x 32), each lane given its
/// fragments by the tables; returns D as the lanes hold it, [lane][r].
std::array<std::array<float, 16>, 64> run(const Kernel &k, bool bf16, const double (&a)[32][8],
                                          const double (&b)[8][32], const double (&c)[32][32]) {
  Buffer in(DType::I32, 256), acc(DType::F32, 64 * 16), out(DType::F32, 64 * 16);
  auto halves = in.as<uint16_t>();
  for (int lane = 0; lane < 64; ++lane) {
    for (int i = 0; i < 4; ++i) {
      halves[4 * lane + i] = static_cast<uint16_t>(gpuemu::from_double(half_of(bf16), a[a_at(lane, i).row][a_at(lane, i).col]));
      halves[256 + 4 * lane + i] =
          static_cast<uint16_t>(gpuemu::from_double(half_of(bf16), b[b_at(lane, i).row][b_at(lane, i).col]));
    }
    for (int r = 0; r < 16; ++r)
      acc.as<float>()[16 * lane + r] = static_cast<float>(c[c_at(lane, r).row][c_at(lane, r).col]);
  }
  out.fill_bytes(0xFF);
  launch(k, Grid(1), in, acc, out);
  std::array<std::array<float, 16>, 64> d;
  for (int lane = 0; lane < 64; ++lane)
    for (int r = 0; r < 16; ++r)
      d[lane][r] = out.as<float>()[16 * lane + r];
  return d;
}

} // namespace

TEST_CASE("gpu-emu's MFMA 32x32x8 multiplies f16 and bf16 fragments as AMD's tables lay them out", "[gpu-emu][mfma]") {
  // Entries of the tables: lane 33 holds A(1, 4..7) and B(4..7, 1); its D registers 4
  // and 15 are D(12, 1) and D(31, 1).
  CHECK((a_at(33, 0).row == 1 && a_at(33, 0).col == 4 && b_at(33, 3).row == 7 && b_at(33, 3).col == 1));
  CHECK((c_at(33, 4).row == 12 && c_at(33, 15).row == 31 && c_at(33, 15).col == 1));
  for (bool bf16 : {false, true}) {
    const std::string what = bf16 ? "bf16" : "f16";
    INFO(what);
    Kernel k = emulated(mfma_kernel(bf16, 64), 64);
    const uint64_t seed = testing::case_seed("mfma " + what);
    INFO("seed " << seed);
    Buffer draws(DType::F32, 32 * 8 + 8 * 32 + 32 * 32);
    kernels::fill_uniform(draws, seed, -2.0, 2.0);
    auto r = draws.as<float>();
    double a[32][8], b[8][32], c[32][32];
    size_t next = 0;
    auto quantize = [&](double v) { return gpuemu::to_double(half_of(bf16), gpuemu::from_double(half_of(bf16), v)); };
    for (auto &row : a)
      for (double &x : row)
        x = quantize(r[next++]);
    for (auto &row : b)
      for (double &x : row)
        x = quantize(r[next++]);
    for (auto &row : c)
      for (double &x : row)
        x = r[next++];
    auto d = run(k, bf16, a, b, c);
    for (int lane = 0; lane < 64; ++lane)
      for (int reg = 0; reg < 16; ++reg) {
        const At at = c_at(lane, reg);
        double expected = c[at.row][at.col];
        for (int kk = 0; kk < 8; ++kk)
          expected += a[at.row][kk] * b[kk][at.col];
        INFO("lane " << lane << " d" << reg << " = D(" << at.row << "," << at.col << ")");
        CHECK(std::fabs(d[lane][reg] - expected) <= 1e-6 * (1 + std::fabs(expected)));
      }
    for (auto [row, kk, col] : {std::array<int, 3>{0, 0, 0}, {12, 5, 1}, {31, 7, 31}, {5, 2, 17}}) {
      double oa[32][8] = {}, ob[8][32] = {}, oc[32][32] = {};
      oa[row][kk] = 1;
      ob[kk][col] = 1;
      auto one = run(k, bf16, oa, ob, oc);
      for (int lane = 0; lane < 64; ++lane)
        for (int reg = 0; reg < 16; ++reg) {
          const bool here = lane == col + 32 * (row / 4 % 2) && reg == 4 * (row / 8) + row % 4;
          INFO("A(" << row << "," << kk << ") B(" << kk << "," << col << "): lane " << lane << " d" << reg);
          CHECK(one[lane][reg] == (here ? 1.0f : 0.0f));
        }
    }
  }
}

TEST_CASE("gpu-emu runs MFMA on 64-lane wavefronts only", "[gpu-emu][mfma]") {
  Kernel k = emulated(mfma_kernel(true, 32), 32);
  Buffer in(DType::I32, 256), acc(DType::F32, 64 * 16), out(DType::F32, 64 * 16);
  in.fill_bytes(0x3F);
  acc.fill_bytes(0);
  std::string fault;
  try {
    launch(k, Grid(1), in, acc, out);
  } catch (const Error &e) {
    fault = e.what();
  }
  CHECK(fault.find("v_mfma_f32_32x32x8 runs on 64-lane wavefronts, this kernel's have 32 lanes") !=
        std::string::npos);
}
