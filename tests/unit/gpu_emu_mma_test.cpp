// gpu-emu's nvvm.mma.sync against the PTX ISA's fragment tables for
// mma.m16n8k16.row.col with f16 and bf16 inputs and m16n8k8.row.col with tf32 ones (of
// which it reads the 19 high bits), f32 accumulators; and its cvt.rna.tf32.f32, which
// rounds to 10 mantissa bits, to nearest with ties away from zero. Every lane takes
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
#include <limits>
#include <random>
#include <string>
#include <vector>

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

/// The inputs an mma.sync kernel takes: 16-bit pairs (m16n8k16) or tf32 (m16n8k8).
enum class Input { F16, BF16, TF32 };

/// A kernel of one warp: lane l reads its 6 input registers (two 16-bit elements or one
/// tf32 each) at words 6 l.., its 4 accumulators at 4 l.., and writes D's 4 at 4 l...
std::string mma_kernel(Input input) {
  const std::string reg = input == Input::F16 ? "vector<2xf16>" : "i32";
  const std::string ptxType = input == Input::BF16 ? "bf16" : "tf32";
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
          (input == Input::F16 ? std::string()
                               : "multiplicandAPtxType = #nvvm.mma_type<" + ptxType +
                                     ">, multiplicandBPtxType = #nvvm.mma_type<" + ptxType + ">, ") +
          "shape = #nvvm.shape<m = 16, n = 8, k = " + (input == Input::TF32 ? "8" : "16") + ">} : (" + reg + ", " +
          reg + ", f32) -> !llvm.struct<(f32, f32, f32, f32)>\n";
  for (int c = 0; c < 4; ++c)
    text += "      %d" + std::to_string(c) + " = llvm.extractvalue %d[" + std::to_string(c) +
            "] : !llvm.struct<(f32, f32, f32, f32)>\n      %o" + std::to_string(c) + " = llvm.getelementptr %po[" +
            std::to_string(c) + "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, f32\n" + "      llvm.store %d" +
            std::to_string(c) + ", %o" + std::to_string(c) + " : f32, !llvm.ptr<1>\n";
  text += "      gpu.return\n    }\n  }\n}\n";
  return text;
}

Kernel emulated(const std::string &text, std::vector<ArgSpec> args = {{ArgSpec::Kind::Buffer, DType::I32, "in"},
                                                                       {ArgSpec::Kind::Buffer, DType::F32, "acc"},
                                                                       {ArgSpec::Kind::Buffer, DType::F32, "out"}}) {
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
  info.args = std::move(args);
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

// The tables for m16n8k8 .tf32 (C and D as m16n8k16's).
At tf32_a_at(int lane, int i) { return {lane / 4 + (i == 1 || i == 3 ? 8 : 0), lane % 4 + (i >= 2 ? 4 : 0)}; }
At tf32_b_at(int lane, int i) { return {lane % 4 + (i == 1 ? 4 : 0), lane / 4}; }

/// Runs the warp on the registers' raw bits of A (16 x 8) and B (8 x 8), each lane
/// given its fragments by the tables, and C (16 x 8); returns D as the lanes hold it.
std::array<std::array<float, 4>, 32> run_tf32(const Kernel &k, const uint32_t (&a)[16][8],
                                              const uint32_t (&b)[8][8], const double (&c)[16][8]) {
  Buffer in(DType::I32, 32 * 6), acc(DType::F32, 32 * 4), out(DType::F32, 32 * 4);
  auto words = in.as<uint32_t>();
  for (int lane = 0; lane < 32; ++lane) {
    for (int i = 0; i < 4; ++i)
      words[lane * 6 + i] = a[tf32_a_at(lane, i).row][tf32_a_at(lane, i).col];
    for (int i = 0; i < 2; ++i)
      words[lane * 6 + 4 + i] = b[tf32_b_at(lane, i).row][tf32_b_at(lane, i).col];
    for (int i = 0; i < 4; ++i)
      acc.as<float>()[lane * 4 + i] = static_cast<float>(c[c_at(lane, i).row][c_at(lane, i).col]);
  }
  out.fill_bytes(0xFF);
  launch(k, Grid(1), in, acc, out);
  std::array<std::array<float, 4>, 32> d;
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i)
      d[lane][i] = out.as<float>()[lane * 4 + i];
  return d;
}

/// `x` rounded to 11 significant bits, ties away from zero (normal f32 values only).
double tf32_reference(float x) {
  int e = 0;
  std::frexp(std::fabs(static_cast<double>(x)), &e);
  const double rounded = std::round(std::ldexp(std::fabs(static_cast<double>(x)), 11 - e)); // ties away
  return std::copysign(std::ldexp(rounded, e - 11), static_cast<double>(x));
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
    Kernel k = emulated(mma_kernel(bf16 ? Input::BF16 : Input::F16));
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

TEST_CASE("gpu-emu's cvt.rna.tf32.f32 rounds to 10 mantissa bits, ties away from zero", "[gpu-emu][tf32]") {
  using gpuemu::bits_of;
  using gpuemu::float_of;
  using gpuemu::round_to_tf32;
  CHECK(round_to_tf32(bits_of(1.0f)) == bits_of(1.0f));
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: away from zero, either sign.
  CHECK(float_of(round_to_tf32(bits_of(1.0f + 0x1p-11f))) == 1.0f + 0x1p-10f);
  CHECK(float_of(round_to_tf32(bits_of(-1.0f - 0x1p-11f))) == -1.0f - 0x1p-10f);
  CHECK(float_of(round_to_tf32(bits_of(1.0f + 0x1p-12f))) == 1.0f);
  CHECK(float_of(round_to_tf32(bits_of(1.0f + 0x1p-11f + 0x1p-20f))) == 1.0f + 0x1p-10f);
  // The largest finite f32 carries into the exponent: infinity. Infinity and NaN stay.
  CHECK(std::isinf(float_of(round_to_tf32(bits_of(std::numeric_limits<float>::max())))));
  CHECK(round_to_tf32(bits_of(-INFINITY)) == bits_of(-INFINITY));
  CHECK(std::isnan(float_of(round_to_tf32(bits_of(std::numeric_limits<float>::quiet_NaN())))));
  CHECK(std::isnan(float_of(round_to_tf32(0x7f800001u)))); // a NaN whose payload is all in the low bits
  // Random normal values against the rounding done in double.
  const uint64_t seed = testing::case_seed("tf32 rounding");
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> mantissa(1.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(-100, 100);
  for (int i = 0; i < 10000; ++i) {
    const float x = std::ldexp(mantissa(random), exponent(random)) * (i % 2 ? -1.0f : 1.0f);
    INFO(x);
    const uint32_t r = round_to_tf32(bits_of(x));
    CHECK((r & 0x1fffu) == 0);
    CHECK(static_cast<double>(float_of(r)) == tf32_reference(x));
  }

  // The same through a kernel: nvvm.convert.float.to.tf32 with rna.
  const char *text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @cvt(%in: !llvm.ptr<1>, %out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %p = llvm.getelementptr %in[%lane] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %x = llvm.load %p : !llvm.ptr<1> -> f32
      %r = nvvm.convert.float.to.tf32 %x {rnd = #nvvm.fp_rnd_mode<rna>}
      %q = llvm.getelementptr %out[%lane] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      llvm.store %r, %q : i32, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {{ArgSpec::Kind::Buffer, DType::F32, "in"}, {ArgSpec::Kind::Buffer, DType::I32, "out"}});
  Buffer in(DType::F32, 32), out(DType::I32, 32);
  kernels::fill_uniform(in, seed, -3.0, 3.0);
  out.fill_bytes(0xFF);
  launch(k, Grid(1), in, out);
  for (int l = 0; l < 32; ++l) {
    INFO("lane " << l);
    CHECK(out.as<uint32_t>()[l] == round_to_tf32(bits_of(in.as<float>()[l])));
  }
}

TEST_CASE("gpu-emu's mma.sync m16n8k8 multiplies tf32 fragments as the PTX ISA lays them out", "[gpu-emu][tf32]") {
  Kernel k = emulated(mma_kernel(Input::TF32));
  const uint64_t seed = testing::case_seed("mma tf32");
  INFO("seed " << seed);
  Buffer draws(DType::F32, 16 * 8 + 8 * 8 + 16 * 8);
  kernels::fill_uniform(draws, seed, -2.0, 2.0);
  auto r = draws.as<float>();
  // Random f32 inputs with their low 13 bits set at random too: the instruction reads
  // only the 19 high bits, so the product is that of the truncated values.
  std::mt19937_64 random(seed);
  uint32_t a[16][8], b[8][8];
  double c[16][8];
  size_t next = 0;
  auto draw = [&] { return gpuemu::bits_of(r[next++]) | static_cast<uint32_t>(random() & 0x1fffu); };
  auto truncated = [](uint32_t bits) { return static_cast<double>(gpuemu::float_of(bits & 0xffffe000u)); };
  for (auto &row : a)
    for (uint32_t &x : row)
      x = draw();
  for (auto &row : b)
    for (uint32_t &x : row)
      x = draw();
  for (auto &row : c)
    for (double &x : row)
      x = r[next++];
  auto d = run_tf32(k, a, b, c);
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i) {
      const At at = c_at(lane, i);
      double expected = c[at.row][at.col];
      for (int kk = 0; kk < 8; ++kk)
        expected += truncated(a[at.row][kk]) * truncated(b[kk][at.col]);
      INFO("lane " << lane << " d" << i << " = D(" << at.row << "," << at.col << ")");
      CHECK(std::fabs(d[lane][i] - expected) <= 1e-6 * (1 + std::fabs(expected)));
    }
  // One element at a time: A(r, k) = 1 and B(k, n) = 1 put a 1 in D(r, n) alone.
  for (auto [row, kk, col] : {std::array<int, 3>{0, 0, 0}, {9, 5, 3}, {15, 7, 7}, {4, 2, 6}, {12, 6, 1}}) {
    uint32_t oa[16][8] = {}, ob[8][8] = {};
    double oc[16][8] = {};
    oa[row][kk] = gpuemu::bits_of(1.0f);
    ob[kk][col] = gpuemu::bits_of(1.0f);
    auto one = run_tf32(k, oa, ob, oc);
    for (int lane = 0; lane < 32; ++lane)
      for (int i = 0; i < 4; ++i) {
        const bool here = lane == row % 8 * 4 + col / 2 && i == row / 8 * 2 + col % 2;
        INFO("A(" << row << "," << kk << ") B(" << kk << "," << col << "): lane " << lane << " d" << i);
        CHECK(one[lane][i] == (here ? 1.0f : 0.0f));
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
    CHECK(diagnostic.find("gpu-emu models nvvm.mma.sync m16n8k16 row.col with f16 or bf16 inputs and m16n8k8 "
                          "row.col with tf32 inputs, f32 accumulators") != std::string::npos);
  }
  // Lanes 16..31 skip the mma: the warp is not converged.
  std::string partial = mma_kernel(Input::F16);
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
