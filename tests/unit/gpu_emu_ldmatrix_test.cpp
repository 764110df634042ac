// gpu-emu's ldmatrix (nvgpu.ldmatrix, PTX ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}
// .shared.b16) against the PTX ISA's description: lanes 8q .. 8q + 7 give the rows of
// matrix q, and lane l receives the pair at row l / 4, columns 2 (l % 4) and
// 2 (l % 4) + 1 of each matrix, or with .trans the pair at rows 2 (l % 4) and
// 2 (l % 4) + 1 of column l / 4. Shared memory holds 128 rows of 8 distinct f16 values
// and each lane names a random row; every lane's every element is checked. The bank
// counters see 8 rows at a 16-byte stride as one wavefront per matrix and at a 128-byte
// stride as eight; a row address that is not 16-byte aligned is a fault. Of 32-bit
// elements (tf32's operands), each 16-byte row holds 4, and lane l receives the one at
// row l / 4, column l % 4 of each matrix.
#include "backends/gpu-emu/sim/Interpreter.h"
#include "backends/gpu-emu/sim/Numerics.h"
#include "backends/gpu-emu/target/Translate.h"

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/launch.h"

#include "../e2e/testing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace tegula;

namespace {

constexpr int kRows = 128; // rows of 8 f16 in shared memory

/// One warp: each thread copies its share of the 2048 input bytes (1024 f16, or with
/// `words` 512 f32) to shared memory, the warp waits, lane l loads its row index (in
/// elements) from addr[l] and runs one ldmatrix, and writes its 32-bit register of each
/// matrix q to out[8 l + 2 q ..] (elements of the same type).
std::string ldmatrix_kernel(int matrices, bool transpose, bool words = false) {
  std::string text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @ld(%in: !llvm.ptr<1>, %addr: !llvm.ptr<1>, %out: !llvm.ptr<1>) workgroup(%s : memref<2048xi8, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %view = memref.view %s[%c0][] : memref<2048xi8, #gpu.address_space<workgroup>> to memref<COUNTxELEM, #gpu.address_space<workgroup>>
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %z = arith.constant 0 : i32
      %n = arith.constant 32 : i32
      %copies = arith.constant COPIES : i32
      %one = arith.constant 1 : i32
      scf.for %i = %z to %copies step %one : i32 {
        %base = arith.muli %i, %n : i32
        %e = arith.addi %base, %lane : i32
        %p = llvm.getelementptr %in[%e] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, ELEM
        %v = llvm.load %p : !llvm.ptr<1> -> ELEM
        %ei = arith.index_cast %e : i32 to index
        memref.store %v, %view[%ei] : memref<COUNTxELEM, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %pa = llvm.getelementptr %addr[%lane] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      %row = llvm.load %pa {alignment = 4 : i64} : !llvm.ptr<1> -> i32
      %ri = arith.index_cast %row : i32 to index
      %m = nvgpu.ldmatrix %view[%ri] {numTiles = MATRICES : i32, transpose = TRANSPOSE} : memref<COUNTxELEM, #gpu.address_space<workgroup>> -> vector<MATRICESxPAIRxELEM>
      %c8 = arith.constant 8 : i32
      %o = arith.muli %lane, %c8 : i32
)";
  for (int q = 0; q < matrices; ++q) {
    const std::string n = std::to_string(q);
    text += "      %x" + n + " = vector.extract %m[" + n + "] : vector<PAIRxELEM> from vector<MATRICESxPAIRxELEM>\n" +
            "      %w" + n + " = llvm.bitcast %x" + n + " : vector<PAIRxELEM> to i32\n" + "      %q" + n +
            " = llvm.getelementptr %out[%o] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, ELEM\n" + "      %r" + n +
            " = llvm.getelementptr %q" + n + "[" + std::to_string(2 * q) +
            "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, ELEM\n" + "      llvm.store %w" + n + ", %r" + n +
            " {alignment = 4 : i64} : i32, !llvm.ptr<1>\n";
  }
  text += "      gpu.return\n    }\n  }\n}\n";
  const std::pair<std::string, std::string> fills[] = {{"MATRICES", std::to_string(matrices)},
                                                       {"TRANSPOSE", transpose ? "true" : "false"},
                                                       {"COUNT", words ? "512" : "1024"},
                                                       {"COPIES", words ? "16" : "32"},
                                                       {"PAIR", words ? "1" : "2"},
                                                       {"ELEM", words ? "f32" : "f16"}};
  for (const auto &[key, value] : fills)
    for (size_t at; (at = text.find(key)) != std::string::npos;)
      text.replace(at, key.size(), value);
  return text;
}

Kernel emulated(const std::string &text, bool words = false) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect, mlir::memref::MemRefDialect,
                  mlir::nvgpu::NVGPUDialect, mlir::scf::SCFDialect, mlir::vector::VectorDialect>();
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context, "ldmatrix.mlir");
  REQUIRE(module);
  mlir::FailureOr<gpuemu::Program> program = gpuemu::translate_to_program(*module, 32);
  REQUIRE(mlir::succeeded(program));
  KernelInfo info;
  info.name = program->name;
  const DType element = words ? DType::F32 : DType::F16;
  info.args = {{ArgSpec::Kind::Buffer, element, "in"},
               {ArgSpec::Kind::Buffer, DType::I32, "addr"},
               {ArgSpec::Kind::Buffer, element, "out"}};
  return Kernel(info, std::make_shared<const gpuemu::EmuExecutable>(std::move(*program)));
}

/// Shared element e holds e + 1 (exact in f16 up to 2048): every element distinct, none 0.
double value_at(int64_t element) { return static_cast<double>(element + 1); }

struct Run {
  std::vector<double> out; ///< [lane][matrix][pair element]
  gpuemu::AccessCounters counters;
};

Run run(const Kernel &k, const std::vector<int32_t> &rows) {
  Buffer in(DType::F16, kRows * 8), addr(DType::I32, 32), out(DType::F16, 32 * 8);
  auto bits = in.as<uint16_t>();
  for (int64_t e = 0; e < kRows * 8; ++e)
    bits[e] = static_cast<uint16_t>(gpuemu::from_double(gpuemu::Scalar::F16, value_at(e)));
  for (int l = 0; l < 32; ++l)
    addr.as<int32_t>()[l] = rows[l] * 8;
  out.fill_bytes(0xFF); // NaNs: an element never written shows
  launch(k, Grid(1), in, addr, out);
  Run r;
  for (int64_t i = 0; i < 32 * 8; ++i)
    r.out.push_back(gpuemu::to_double(gpuemu::Scalar::F16, out.as<uint16_t>()[i]));
  for (const auto &[site, counters] : gpuemu::last_report().shared)
    if (site.find("nvgpu.ldmatrix") != std::string::npos)
      r.counters = counters;
  return r;
}

} // namespace

TEST_CASE("gpu-emu's ldmatrix gives each lane the PTX ISA's pairs, with and without .trans", "[gpu-emu][ldmatrix]") {
  const uint64_t seed = testing::case_seed("ldmatrix");
  INFO("seed " << seed);
  std::mt19937_64 random(seed);
  for (int matrices : {1, 2, 4}) {
    for (bool transpose : {false, true}) {
      INFO(matrices << " matrices" << (transpose ? ", .trans" : ""));
      Kernel k = emulated(ldmatrix_kernel(matrices, transpose));
      std::vector<int32_t> rows(32);
      for (int32_t &row : rows)
        row = static_cast<int32_t>(random() % kRows);
      const Run r = run(k, rows);
      for (int lane = 0; lane < 32; ++lane)
        for (int q = 0; q < matrices; ++q)
          for (int j = 0; j < 2; ++j) {
            // Row i of matrix q starts at the row lane 8q + i named.
            const int row = transpose ? 2 * (lane % 4) + j : lane / 4;
            const int col = transpose ? lane / 4 : 2 * (lane % 4) + j;
            INFO("lane " << lane << " matrix " << q << " element " << j);
            CHECK(r.out[lane * 8 + 2 * q + j] == value_at(rows[8 * q + row] * 8 + col));
          }
    }
  }
}

TEST_CASE("gpu-emu counts ldmatrix's bank wavefronts per matrix", "[gpu-emu][ldmatrix]") {
  Kernel k = emulated(ldmatrix_kernel(4, false));
  std::vector<int32_t> consecutive(32), strided(32);
  for (int l = 0; l < 32; ++l) {
    consecutive[l] = l;       // 16-byte stride: 8 rows over all 32 banks
    strided[l] = (l % 8) * 8 + l / 8; // 128-byte stride within a matrix: one bank group
  }
  const Run fast = run(k, consecutive);
  CHECK(fast.counters.requests == 1);
  CHECK(fast.counters.sectors == 4);
  CHECK(fast.counters.ideal == 4);
  const Run slow = run(k, strided);
  CHECK(slow.counters.requests == 1);
  CHECK(slow.counters.sectors == 32);
}

TEST_CASE("gpu-emu refuses an ldmatrix row that is not 16-byte aligned", "[gpu-emu][ldmatrix]") {
  Kernel k = emulated(ldmatrix_kernel(1, false));
  Buffer in(DType::F16, kRows * 8), addr(DType::I32, 32), out(DType::F16, 32 * 8);
  in.fill_bytes(0x3C); // 1.0 in every f16
  for (int l = 0; l < 32; ++l)
    addr.as<int32_t>()[l] = l == 3 ? 8 * 3 + 4 : 8 * l; // lane 3: 8 bytes into its row
  std::string fault;
  try {
    launch(k, Grid(1), in, addr, out);
  } catch (const Error &e) {
    fault = e.what();
  }
  CHECK(fault.find("ldmatrix row address 56 of thread 3 is not 16-byte aligned") != std::string::npos);
  CHECK(fault.find("ldmatrix.mlir") != std::string::npos);
}

TEST_CASE("gpu-emu's ldmatrix of 32-bit elements gives lane l row l / 4, column l % 4", "[gpu-emu][tf32]") {
  // 128 rows of 4 distinct f32 in shared memory; lane l names the row that matrix l / 8
  // reads as its row l % 8.
  for (int matrices : {1, 2, 4}) {
    INFO(matrices << " matrices");
    Kernel k = emulated(ldmatrix_kernel(matrices, false, /*words=*/true), /*words=*/true);
    const uint64_t seed = testing::case_seed("ldmatrix 32-bit " + std::to_string(matrices));
    INFO("seed " << seed);
    std::mt19937_64 random(seed);
    Buffer in(DType::F32, 512), addr(DType::I32, 32), out(DType::F32, 32 * 8);
    for (int e = 0; e < 512; ++e)
      in.as<float>()[e] = static_cast<float>(e + 1);
    std::vector<int32_t> rows(32);
    for (int l = 0; l < 32; ++l) {
      rows[l] = static_cast<int32_t>(random() % 128);
      addr.as<int32_t>()[l] = rows[l] * 4;
    }
    out.fill_bytes(0xFF);
    launch(k, Grid(1), in, addr, out);
    for (int lane = 0; lane < 32; ++lane)
      for (int q = 0; q < matrices; ++q) {
        INFO("lane " << lane << " matrix " << q);
        CHECK(out.as<float>()[lane * 8 + 2 * q] == static_cast<float>(rows[8 * q + lane / 4] * 4 + lane % 4 + 1));
      }
  }
}
