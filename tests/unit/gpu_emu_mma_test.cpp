// gpu-emu's nvvm.mma.sync against the PTX ISA's fragment tables for
// mma.m16n8k16.row.col with f16 and bf16 inputs and f32 accumulators: every lane takes
// its A, B and C fragments from a buffer the host filled by the table, the warp
// multiplies, and each lane's D must be the table's elements of A B + C. Spot entries
// of the tables are checked one by one, and one matrix element at a time moves through
// a one-hot product to the single lane and register the table names.
#include "backends/gpu-emu/sim/Interpreter.h"
#include "backends/gpu-emu/sim/Numerics.h"
#include "backends/gpu-emu/target/Translate.h"

#include "tegula/kernels/reference.h"
#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/launch.h"

#include "../e2e/testing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>

using namespace tegula;

namespace {

// The tables, as the PTX ISA states them (groupID = lane / 4, threadID_in_group =
// lane % 4): where fragment element i of a lane sits in its matrix.
struct At {
  int row, col;
};
At a_at(int lane, int i) {
  return {lane / 4 + (i == 2 || i == 3 || i == 6 || i == 7 ? 8 : 0), lane % 4 * 2 + (i & 1) + (i >= 4 ? 8 : 0)};
}
At b_at(int lane, int i) { return {lane % 4 * 2 + (i & 1) + (i >= 2 ? 8 : 0), lane / 4}; }
At c_at(int lane, int i) { return {lane / 4 + (i >= 2 ? 8 : 0), lane % 4 * 2 + (i & 1)}; }

/// A kernel of one warp: lane l reads its 6 input registers (two 16-bit elements each)
/// at words 6 l.., its 4 accumulators at 4 l.., and writes D's 4 at 4 l...
std::string mma_kernel(bool bf16) {
  const std::string reg = bf16 ? "i32" : "vector<2xf16>";
  std::string text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mma(%in: !llvm.ptr<1>, %acc: !llvm.ptr<1>, %out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %c4 = arith.constant 4 : i32
      %c6 = arith.constant 6 : i32
      %i = arith.muli %lane, %c6 : i32
      %f = arith.muli %lane, %c4 : i32
      %pi = llvm.getelementptr %in[%i] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      %pf = llvm.getelementptr %acc[%f] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %po = llvm.getelementptr %out[%f] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
)";
  for (int r = 0; r < 6; ++r)
    text += "      %q" + std::to_string(r) + " = llvm.getelementptr %pi[" + std::to_string(r) +
            "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, i32\n      %r" + std::to_string(r) + " = llvm.load %q" +
            std::to_string(r) + " : !llvm.ptr<1> -> " + reg + "\n";
  for (int c = 0; c < 4; ++c)
    text += "      %s" + std::to_string(c) + " = llvm.getelementptr %pf[" + std::to_string(c) +
            "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, f32\n      %c" + std::to_string(c) + " = llvm.load %s" +
            std::to_string(c) + " : !llvm.ptr<1> -> f32\n";
  text += "      %d = nvvm.mma.sync A[%r0, %r1, %r2, %r3] B[%r4, %r5] C[%c0, %c1, %c2, %c3] {layoutA = "
          "#nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, " +
          std::string(bf16 ? "multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = "
                             "#nvvm.mma_type<bf16>, "
                           : "") +
          "shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (" + reg + ", " + reg +
          ", f32) -> !llvm.struct<(f32, f32, f32, f32)>\n";
  for (int c = 0; c < 4; ++c)
    text += "      %d" + std::to_string(c) + " = llvm.extractvalue %d[" + std::to_string(c) +
            "] : !llvm.struct<(f32, f32, f32, f32)>\n      %o" + std::to_string(c) + " = llvm.getelementptr %po[" +
            std::to_string(c) + "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, f32\n" + "      llvm.store %d" +
            std::to_string(c) + ", %o" + std::to_string(c) + " : f32, !llvm.ptr<1>\n";
  text += "      gpu.return\n    }\n  }\n}\n";
  return text;
}

Kernel emulated(const std::string &text) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect, mlir::NVVM::NVVMDialect,
                  mlir::scf::SCFDialect>();
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context, "mma.mlir");
  REQUIRE(module);
  mlir::FailureOr<gpuemu::Program> program = gpuemu::translate_to_program(*module, 32);
  REQUIRE(mlir::succeeded(program));
  KernelInfo info;
  info.name = program->name;
  info.args = {{ArgSpec::Kind::Buffer, DType::I32, "in"},
               {ArgSpec::Kind::Buffer, DType::F32, "acc"},
               {ArgSpec::Kind::Buffer, DType::F32, "out"}};
  return Kernel(info, std::make_shared<const gpuemu::EmuExecutable>(std::move(*program)));
}

/// The bits of `v` in the 16-bit format (exact: the inputs are drawn in it).
uint16_t half_bits(double v, bool bf16) {
  return static_cast<uint16_t>(gpuemu::from_double(bf16 ? gpuemu::Scalar::BF16 : gpuemu::Scalar::F16, v));
}

/// Runs the warp on A (16 x 16), B (16 x 8) and C (16 x 8), each lane given its
/// fragments by the tables; returns D as the lanes hold it, [lane][i].
std::array<std::array<float, 4>, 32> run(const Kernel &k, bool bf16, const double (&a)[16][16],
                                         const double (&b)[16][8], const double (&c)[16][8]) {
  Buffer in(DType::I32, 32 * 6), acc(DType::F32, 32 * 4), out(DType::F32, 32 * 4);
  auto words = in.as<uint32_t>();
  auto accs = acc.as<float>();
  for (int lane = 0; lane < 32; ++lane) {
    for (int r = 0; r < 4; ++r) { // a_{2r} in the low half of register r
      const At lo = a_at(lane, 2 * r), hi = a_at(lane, 2 * r + 1);
      words[lane * 6 + r] = half_bits(a[lo.row][lo.col], bf16) | uint32_t{half_bits(a[hi.row][hi.col], bf16)} << 16;
    }
    for (int r = 0; r < 2; ++r) {
      const At lo = b_at(lane, 2 * r), hi = b_at(lane, 2 * r + 1);
      words[lane * 6 + 4 + r] = half_bits(b[lo.row][lo.col], bf16) | uint32_t{half_bits(b[hi.row][hi.col], bf16)} << 16;
    }
    for (int i = 0; i < 4; ++i)
      accs[lane * 4 + i] = static_cast<float>(c[c_at(lane, i).row][c_at(lane, i).col]);
  }
  out.fill_bytes(0xFF);
  launch(k, Grid(1), in, acc, out);
  std::array<std::array<float, 4>, 32> d;
  auto v = out.as<float>();
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i)
      d[lane][i] = v[lane * 4 + i];
  return d;
}

} // namespace

TEST_CASE("the PTX ISA's m16n8k16 fragment tables, entry by entry", "[gpu-emu][mma]") {
  // A few entries read off the ISA's figures: lane 0 holds A's (0,0), (0,1), (8,0), (8,1),
  // (0,8), (0,9), (8,8), (8,9); lane 5 (group 1, thread 1) holds a6 at (9,10).
  const At lane0[8] = {{0, 0}, {0, 1}, {8, 0}, {8, 1}, {0, 8}, {0, 9}, {8, 8}, {8, 9}};
  for (int i = 0; i < 8; ++i) {
    CHECK(a_at(0, i).row == lane0[i].row);
    CHECK(a_at(0, i).col == lane0[i].col);
  }
  CHECK((a_at(5, 6).row == 9 && a_at(5, 6).col == 10));
  // B: lane 31 (group 7, thread 3) holds rows 6, 7, 14, 15 of column 7.
  CHECK((b_at(31, 0).row == 6 && b_at(31, 1).row == 7 && b_at(31, 2).row == 14 && b_at(31, 3).row == 15));
  CHECK(b_at(31, 0).col == 7);
  // C and D: lane 9 (group 2, thread 1) holds (2,2), (2,3), (10,2), (10,3).
  CHECK((c_at(9, 0).row == 2 && c_at(9, 0).col == 2 && c_at(9, 3).row == 10 && c_at(9, 3).col == 3));
}

TEST_CASE("gpu-emu's mma.sync m16n8k16 multiplies f16 and bf16 fragments as the PTX ISA lays them out",
          "[gpu-emu][mma]") {
  for (bool bf16 : {false, true}) {
    const std::string what = bf16 ? "bf16" : "f16";
    INFO(what);
    Kernel k = emulated(mma_kernel(bf16));
    // Random inputs, exactly representable in the 16-bit format, and an accumulator.
    const uint64_t seed = testing::case_seed("mma " + what);
    INFO("seed " << seed);
    Buffer draws(DType::F32, 16 * 16 + 16 * 8 + 16 * 8);
    kernels::fill_uniform(draws, seed, -2.0, 2.0);
    auto r = draws.as<float>();
    double a[16][16], b[16][8], c[16][8];
    size_t next = 0;
    auto quantize = [&](double v) {
      return gpuemu::to_double(bf16 ? gpuemu::Scalar::BF16 : gpuemu::Scalar::F16, half_bits(v, bf16));
    };
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
    for (int lane = 0; lane < 32; ++lane)
      for (int i = 0; i < 4; ++i) {
        const At at = c_at(lane, i);
        double expected = c[at.row][at.col];
        for (int kk = 0; kk < 16; ++kk)
          expected += a[at.row][kk] * b[kk][at.col];
        INFO("lane " << lane << " d" << i << " = D(" << at.row << "," << at.col << ")");
        CHECK(std::fabs(d[lane][i] - expected) <= 1e-6 * (1 + std::fabs(expected)));
      }
    // One element at a time: A(r, k) = 1 and B(k, n) = 1, everything else 0, puts a 1 in
    // D(r, n) alone, in the lane and register the table names.
    for (auto [row, kk, col] : {std::array<int, 3>{0, 0, 0}, {9, 10, 3}, {15, 15, 7}, {4, 7, 5}}) {
      double oa[16][16] = {}, ob[16][8] = {}, oc[16][8] = {};
      oa[row][kk] = 1;
      ob[kk][col] = 1;
      auto one = run(k, bf16, oa, ob, oc);
      for (int lane = 0; lane < 32; ++lane)
        for (int i = 0; i < 4; ++i) {
          const bool here = lane == row % 8 * 4 + col / 2 && i == row / 8 * 2 + col % 2;
          INFO("A(" << row << "," << kk << ") B(" << kk << "," << col << "): lane " << lane << " d" << i);
          CHECK(one[lane][i] == (here ? 1.0f : 0.0f));
        }
    }
  }
}

TEST_CASE("gpu-emu refuses an mma.sync it does not model, and one run by part of a warp", "[gpu-emu][mma]") {
  // f16 accumulators: a valid mma.sync that gpu-emu does not model, so it refuses it.
  const char *f16_acc = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @mma(%a: vector<2xf16>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %d = nvvm.mma.sync A[%a, %a, %a, %a] B[%a, %a] C[%a, %a] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, vector<2xf16>) -> !llvm.struct<(vector<2xf16>, vector<2xf16>)>
      gpu.return
    }
  }
}
)";
  {
    mlir::DialectRegistry registry;
    registry
        .insert<mlir::arith::ArithDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect, mlir::NVVM::NVVMDialect>();
    mlir::MLIRContext context(registry);
    std::string diagnostic;
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      diagnostic = d.str();
      return mlir::success();
    });
    auto module = mlir::parseSourceString<mlir::ModuleOp>(f16_acc, &context, "mma.mlir");
    REQUIRE(module);
    CHECK(mlir::failed(gpuemu::translate_to_program(*module, 32)));
    CHECK(diagnostic.find("gpu-emu models nvvm.mma.sync m16n8k16 row.col with f16 or bf16 inputs and f32 "
                          "accumulators") != std::string::npos);
  }
  // Lanes 16..31 skip the mma: the warp is not converged.
  std::string partial = mma_kernel(false);
  const std::string call = "      %d = nvvm.mma.sync";
  const size_t at = partial.find(call), end = partial.find('\n', at);
  const std::string mma = partial.substr(at, end - at);
  partial.replace(at, end - at,
                  "      %c16 = arith.constant 16 : i32\n      %low = arith.cmpi ult, %lane, %c16 : i32\n"
                  "      %z = arith.constant 0.0 : f32\n"
                  "      %d0, %d1, %d2, %d3 = scf.if %low -> (f32, f32, f32, f32) {\n" +
                      mma.substr(0, mma.find("%d = ")) + "%m = " + mma.substr(mma.find("nvvm.")) +
                      "\n        %e0 = llvm.extractvalue %m[0] : !llvm.struct<(f32, f32, f32, f32)>\n"
                      "        scf.yield %e0, %e0, %e0, %e0 : f32, f32, f32, f32\n"
                      "      } else {\n        scf.yield %z, %z, %z, %z : f32, f32, f32, f32\n      }");
  for (int c = 0; c < 4; ++c) { // the extracts after the call now come from the branch
    const std::string extract = "      %d" + std::to_string(c) + " = llvm.extractvalue %d[" + std::to_string(c) +
                                "] : !llvm.struct<(f32, f32, f32, f32)>\n";
    partial.erase(partial.find(extract), extract.size());
  }
  Kernel k = emulated(partial);
  Buffer in(DType::I32, 32 * 6), acc(DType::F32, 32 * 4), out(DType::F32, 32 * 4);
  in.fill_bytes(0);
  acc.fill_bytes(0);
  std::string fault;
  try {
    launch(k, Grid(1), in, acc, out);
  } catch (const Error &e) {
    fault = e.what();
  }
  CHECK(fault.find("a warp operation run by 16 of the 32 threads of warp 0 (the warp is not converged)") !=
        std::string::npos);
  CHECK(fault.find("(nvvm.mma.sync)") != std::string::npos);
}
