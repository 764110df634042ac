// gpu-emu's ldmatrix (nvgpu.ldmatrix, PTX ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}
// .shared.b16) against the PTX ISA's description: lanes 8q .. 8q + 7 give the rows of
// matrix q, and lane l receives the pair at row l / 4, columns 2 (l % 4) and
// 2 (l % 4) + 1 of each matrix, or with .trans the pair at rows 2 (l % 4) and
// 2 (l % 4) + 1 of column l / 4. Shared memory holds 128 rows of 8 distinct f16 values
// and each lane names a random row; every lane's every element is checked. The bank
// counters see 8 rows at a 16-byte stride as one wavefront per matrix and at a 128-byte
// stride as eight; a row address that is not 16-byte aligned is a fault.
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

/// One warp: each thread copies 32 of the 1024 input elements to shared memory, the
/// warp waits, lane l loads its row index from addr[l] and runs one ldmatrix, and
/// writes its pair of each matrix to out[8 l + 2 q ..].
std::string ldmatrix_kernel(int matrices, bool transpose) {
  std::string text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @ld(%in: !llvm.ptr<1>, %addr: !llvm.ptr<1>, %out: !llvm.ptr<1>) workgroup(%s : memref<2048xi8, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %view = memref.view %s[%c0][] : memref<2048xi8, #gpu.address_space<workgroup>> to memref<1024xf16, #gpu.address_space<workgroup>>
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %z = arith.constant 0 : i32
      %n = arith.constant 32 : i32
      %one = arith.constant 1 : i32
      scf.for %i = %z to %n step %one : i32 {
        %base = arith.muli %i, %n : i32
        %e = arith.addi %base, %lane : i32
        %p = llvm.getelementptr %in[%e] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16
        %v = llvm.load %p {alignment = 2 : i64} : !llvm.ptr<1> -> f16
        %ei = arith.index_cast %e : i32 to index
        memref.store %v, %view[%ei] : memref<1024xf16, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %pa = llvm.getelementptr %addr[%lane] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      %row = llvm.load %pa {alignment = 4 : i64} : !llvm.ptr<1> -> i32
      %ri = arith.index_cast %row : i32 to index
      %m = nvgpu.ldmatrix %view[%ri] {numTiles = MATRICES : i32, transpose = TRANSPOSE} : memref<1024xf16, #gpu.address_space<workgroup>> -> vector<MATRICESx2xf16>
      %c8 = arith.constant 8 : i32
      %o = arith.muli %lane, %c8 : i32
)";
  for (int q = 0; q < matrices; ++q) {
    const std::string n = std::to_string(q);
    text += "      %x" + n + " = vector.extract %m[" + n + "] : vector<2xf16> from vector<MATRICESx2xf16>\n" +
            "      %w" + n + " = llvm.bitcast %x" + n + " : vector<2xf16> to i32\n" + "      %q" + n +
            " = llvm.getelementptr %out[%o] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16\n" + "      %r" + n +
            " = llvm.getelementptr %q" + n + "[" + std::to_string(2 * q) +
            "] : (!llvm.ptr<1>) -> !llvm.ptr<1>, f16\n" + "      llvm.store %w" + n + ", %r" + n +
            " {alignment = 4 : i64} : i32, !llvm.ptr<1>\n";
  }
  text += "      gpu.return\n    }\n  }\n}\n";
  for (size_t at; (at = text.find("MATRICES")) != std::string::npos;)
    text.replace(at, 8, std::to_string(matrices));
  text.replace(text.find("TRANSPOSE"), 9, transpose ? "true" : "false");
  return text;
}

Kernel emulated(const std::string &text) {
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
  info.args = {{ArgSpec::Kind::Buffer, DType::F16, "in"},
               {ArgSpec::Kind::Buffer, DType::I32, "addr"},
               {ArgSpec::Kind::Buffer, DType::F16, "out"}};
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
