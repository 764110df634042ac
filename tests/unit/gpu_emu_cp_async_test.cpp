// gpu-emu's cp.async (nvvm.cp.async.shared.global, PTX cp.async.{ca,cg}.shared.global
// with cp.async.commit_group and cp.async.wait_group) against the PTX ISA's description:
// a copy belongs to the group its thread's next commit closes; wait_group N returns when
// at most the N newest committed groups are pending, and only then are the older groups'
// bytes guaranteed in shared memory. gpu-emu lands a copy exactly then, so a read before
// the wait sees the bytes that were there before (a missing wait reads stale data); a
// source size below the copy's size zero-fills the rest; both addresses must be aligned
// to the copy's size; a copy over bytes another thread read since the last barrier is a
// race, since the hardware may land it at once.
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
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tegula;

namespace {

constexpr int kThreads = 32;
constexpr double kStale = -3.0; // what shared memory holds before the copies land

/// One warp. Thread t fills its two 16-byte slots of shared memory (bytes 16 t and
/// 512 + 16 t) with kStale, copies in[8 t ..] into the first slot and commits, copies
/// in[256 + 8 t ..] into the second and commits, then runs WAIT (a cp.async.wait.group,
/// or nothing) and writes both slots to out[16 t ..]. `shift` moves the first copy's
/// destination (bytes) and `steal` makes each thread copy into its neighbour's first
/// slot after the warp read them.
std::string copy_kernel(const std::string &wait, const std::string &cache = "cg", int bytes = 16,
                        const std::string &source = "", int shift = 0, bool steal = false) {
  std::string text = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @copy(%in: !llvm.ptr<1>, %out: !llvm.ptr<1>) workgroup(%s : memref<1024xi8, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %view = memref.view %s[%c0][] : memref<1024xi8, #gpu.address_space<workgroup>> to memref<512xf16, #gpu.address_space<workgroup>>
      %t = gpu.thread_id x
      %lane = arith.index_cast %t : index to i32
      %z = arith.constant 0 : i32
      %one = arith.constant 1 : i32
      %c8 = arith.constant 8 : i32
      %c16 = arith.constant 16 : i32
      %c256 = arith.constant 256 : i32
      %c512 = arith.constant 512 : i32
      %stale = arith.constant STALE : f16
      %first = arith.muli %lane, %c8 : i32
      %second = arith.addi %first, %c256 : i32
      scf.for %i = %z to %c8 step %one : i32 {
        %a = arith.addi %first, %i : i32
        %ai = arith.index_cast %a : i32 to index
        memref.store %stale, %view[%ai] : memref<512xf16, #gpu.address_space<workgroup>>
        %b = arith.addi %second, %i : i32
        %bi = arith.index_cast %b : i32 to index
        memref.store %stale, %view[%bi] : memref<512xf16, #gpu.address_space<workgroup>>
      }
      STEAL
      %base = memref.extract_aligned_pointer_as_index %view : memref<512xf16, #gpu.address_space<workgroup>> -> index
      %base64 = arith.index_cast %base : index to i64
      %shared = llvm.inttoptr %base64 : i64 to !llvm.ptr<3>
      %owner = DESTINATION
      %d0 = arith.muli %owner, %c16 : i32
      %d1 = arith.addi %d0, %c512 : i32
      %shift = arith.constant SHIFT : i32
      %d0s = arith.addi %d0, %shift : i32
      %dst0 = llvm.getelementptr %shared[%d0s] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
      %dst1 = llvm.getelementptr %shared[%d1] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, i8
      %src0 = llvm.getelementptr %in[%first] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16
      %src1 = llvm.getelementptr %in[%second] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16
      SOURCE_SIZE
      nvvm.cp.async.shared.global %dst0, %src0, BYTES, cache = CACHE SOURCE : !llvm.ptr<3>, !llvm.ptr<1>SOURCE_TYPE
      nvvm.cp.async.commit.group
      nvvm.cp.async.shared.global %dst1, %src1, BYTES, cache = CACHE SOURCE : !llvm.ptr<3>, !llvm.ptr<1>SOURCE_TYPE
      nvvm.cp.async.commit.group
      WAIT
      %o = arith.muli %lane, %c16 : i32
      scf.for %i = %z to %c8 step %one : i32 {
        %a = arith.addi %first, %i : i32
        %ai = arith.index_cast %a : i32 to index
        %va = memref.load %view[%ai] : memref<512xf16, #gpu.address_space<workgroup>>
        %oa = arith.addi %o, %i : i32
        %pa = llvm.getelementptr %out[%oa] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16
        llvm.store %va, %pa : f16, !llvm.ptr<1>
        %b = arith.addi %second, %i : i32
        %bi = arith.index_cast %b : i32 to index
        %vb = memref.load %view[%bi] : memref<512xf16, #gpu.address_space<workgroup>>
        %ob = arith.addi %oa, %c8 : i32
        %pb = llvm.getelementptr %out[%ob] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f16
        llvm.store %vb, %pb : f16, !llvm.ptr<1>
      }
      gpu.return
    }
  }
}
)";
  auto put = [&](const std::string &key, const std::string &value) {
    for (size_t at; (at = text.find(key)) != std::string::npos;)
      text.replace(at, key.size(), value);
  };
  // The neighbour's first slot, read by the whole warp before the copies are issued.
  put("STEAL", steal ? "gpu.barrier\n      %peek = memref.load %view[%c0] : memref<512xf16, #gpu.address_space<workgroup>>"
                     : "");
  put("DESTINATION", steal ? "arith.xori %lane, %one : i32" : "arith.addi %lane, %z : i32");
  put("SOURCE_SIZE", source.empty() ? "" : "%size = arith.constant " + source + " : i32");
  put("SOURCE_TYPE", source.empty() ? "" : ", i32");
  put("SOURCE", source.empty() ? "" : ", %size");
  put("STALE", "-3.0");
  put("SHIFT", std::to_string(shift));
  put("BYTES", std::to_string(bytes));
  put("CACHE", cache);
  put("WAIT", wait);
  return text;
}

mlir::FailureOr<gpuemu::Program> translated(const std::string &text, mlir::MLIRContext &context) {
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context, "cp_async.mlir");
  REQUIRE(module);
  return gpuemu::translate_to_program(*module, 32);
}

mlir::DialectRegistry dialects() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect, mlir::memref::MemRefDialect,
                  mlir::NVVM::NVVMDialect, mlir::scf::SCFDialect>();
  return registry;
}

Kernel emulated(const std::string &text) {
  mlir::MLIRContext context(dialects());
  mlir::FailureOr<gpuemu::Program> program = translated(text, context);
  REQUIRE(mlir::succeeded(program));
  KernelInfo info;
  info.name = program->name;
  info.args = {{ArgSpec::Kind::Buffer, DType::F16, "in"}, {ArgSpec::Kind::Buffer, DType::F16, "out"}};
  return Kernel(info, std::make_shared<const gpuemu::EmuExecutable>(std::move(*program)));
}

struct Run {
  std::vector<double> in, out; ///< out: [thread][first slot 8, second slot 8]
};

Run run(const Kernel &k) {
  Buffer in = testing::random_buffer(DType::F16, 2 * 8 * kThreads, "cp.async in");
  Buffer out(DType::F16, 16 * kThreads);
  out.fill_bytes(0xFF); // NaNs: an element never written shows
  launch(k, Grid(1), in, out);
  Run r;
  for (int64_t i = 0; i < 2 * 8 * kThreads; ++i)
    r.in.push_back(gpuemu::to_double(gpuemu::Scalar::F16, in.as<uint16_t>()[i]));
  for (int64_t i = 0; i < 16 * kThreads; ++i)
    r.out.push_back(gpuemu::to_double(gpuemu::Scalar::F16, out.as<uint16_t>()[i]));
  return r;
}

/// Whether every thread's slot (0 or 1) holds its copy's source (else kStale).
void check_slot(const Run &r, int slot, bool landed) {
  for (int t = 0; t < kThreads; ++t)
    for (int e = 0; e < 8; ++e) {
      INFO("thread " << t << " slot " << slot << " element " << e);
      CHECK(r.out[16 * t + 8 * slot + e] == (landed ? r.in[256 * slot + 8 * t + e] : kStale));
    }
}

std::string fault_of(const std::string &text) {
  Kernel k = emulated(text);
  Buffer in(DType::F16, 2 * 8 * kThreads), out(DType::F16, 16 * kThreads);
  in.fill_bytes(0x3C);
  try {
    launch(k, Grid(1), in, out);
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("gpu-emu lands a cp.async group only at the wait that retires it", "[gpu-emu][cp.async]") {
  SECTION("wait_group 0: both groups land") {
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 0")));
    check_slot(r, 0, true);
    check_slot(r, 1, true);
  }
  SECTION("wait_group 1: the older group lands, the newer may stay pending and reads stale") {
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 1")));
    check_slot(r, 0, true);
    check_slot(r, 1, false);
  }
  SECTION("wait_group 2: both may stay pending") {
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 2")));
    check_slot(r, 0, false);
    check_slot(r, 1, false);
  }
  SECTION("no wait: the reads see what was there before") {
    const Run r = run(emulated(copy_kernel("")));
    check_slot(r, 0, false);
    check_slot(r, 1, false);
  }
  SECTION("cp.async.ca of 16 bytes behaves the same") {
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 0", "ca")));
    check_slot(r, 0, true);
    check_slot(r, 1, true);
  }
}

TEST_CASE("gpu-emu's cp.async with a smaller source size fills the rest with zeros", "[gpu-emu][cp.async]") {
  for (int source : {0, 6, 16}) {
    INFO("source bytes " << source);
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 0", "cg", 16, std::to_string(source))));
    for (int t = 0; t < kThreads; ++t)
      for (int slot = 0; slot < 2; ++slot)
        for (int e = 0; e < 8; ++e) {
          INFO("thread " << t << " slot " << slot << " element " << e);
          CHECK(r.out[16 * t + 8 * slot + e] == (2 * e < source ? r.in[256 * slot + 8 * t + e] : 0.0));
        }
  }
}

TEST_CASE("gpu-emu's cp.async of 4 and 8 bytes copies that many", "[gpu-emu][cp.async]") {
  for (int bytes : {4, 8}) {
    INFO(bytes << " bytes");
    const Run r = run(emulated(copy_kernel("nvvm.cp.async.wait.group 0", "ca", bytes)));
    for (int t = 0; t < kThreads; ++t)
      for (int e = 0; e < 8; ++e) {
        INFO("thread " << t << " element " << e);
        CHECK(r.out[16 * t + e] == (2 * e < bytes ? r.in[8 * t + e] : kStale));
      }
  }
}

TEST_CASE("gpu-emu faults a misaligned cp.async and one over bytes another thread read", "[gpu-emu][cp.async]") {
  const std::string misaligned = fault_of(copy_kernel("nvvm.cp.async.wait.group 0", "cg", 16, "", 8));
  CHECK(misaligned.find("a 16-byte cp.async from global address") != std::string::npos);
  CHECK(misaligned.find("to shared byte 8: both must be 16-byte aligned (thread 0)") != std::string::npos);
  CHECK(misaligned.find("cp_async.mlir") != std::string::npos);
  const std::string race = fault_of(copy_kernel("nvvm.cp.async.wait.group 0", "cg", 16, "", 0, true));
  CHECK(race.find("a shared-memory race: thread 1's cp.async may land on byte 0 that other threads read since the "
                  "last barrier") != std::string::npos);
  const std::string oversized = fault_of(copy_kernel("nvvm.cp.async.wait.group 0", "cg", 16, "20"));
  CHECK(oversized.find("told to read 20 source bytes, more than it copies") != std::string::npos);
}

TEST_CASE("gpu-emu refuses loads and stores through a shared-memory pointer", "[gpu-emu][cp.async]") {
  // Shared memory is modelled through memrefs (checked per buffer) and cp.async; a
  // pointer made for cp.async is not a way around those checks.
  mlir::MLIRContext context(dialects());
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  CHECK(mlir::failed(translated(
      copy_kernel("nvvm.cp.async.wait.group 0\n      %bad = llvm.load %dst0 : !llvm.ptr<3> -> f16"), context)));
  CHECK(diagnostics.find("gpu-emu models shared memory through memrefs and cp.async, not llvm.load") !=
        std::string::npos);
}
