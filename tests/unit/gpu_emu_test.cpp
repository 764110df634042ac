// gpu-emu on small kernels written at the tap (upstream dialects, one thread's code):
// its semantics (threads, warps, shuffles, shared memory, barriers, divergence) against
// values computed here, and each fault it must report, with the kernel's source line.
#include "backends/gpu-emu/sim/Interpreter.h"
#include "backends/gpu-emu/sim/Numerics.h"
#include "backends/gpu-emu/target/Translate.h"

#include "tegula/runtime/buffer.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/launch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

using namespace tegula;

namespace {

/// The kernel of `text` (one gpu.func at the tap) as a gpu-emu kernel taking `args`.
Kernel emulated(const std::string &text, std::vector<ArgSpec> args, int64_t warp_size = 32) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect, mlir::vector::VectorDialect>();
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context, "planted.mlir");
  REQUIRE(module);
  mlir::FailureOr<gpuemu::Program> program = gpuemu::translate_to_program(*module, warp_size);
  REQUIRE(mlir::succeeded(program));
  KernelInfo info;
  info.name = program->name;
  info.args = std::move(args);
  return Kernel(info, std::make_shared<const gpuemu::EmuExecutable>(std::move(*program)));
}

ArgSpec buffer(const char *name, DType dtype = DType::F32) { return {ArgSpec::Kind::Buffer, dtype, name}; }
ArgSpec scalar(const char *name) { return {ArgSpec::Kind::Scalar, DType::I32, name}; }

/// The fault a launch reports (empty when it runs clean).
std::string fault_of(const std::function<void()> &run, ErrorCode *code = nullptr) {
  try {
    run();
  } catch (const Error &e) {
    if (code)
      *code = e.code();
    return e.what();
  }
  return "";
}

// Thread t of each block writes the sum of its warp's thread ids, by a shuffle
// butterfly, plus 1000 * block: the warp size and the shuffle are the vendor's.
const char *kWarpSum = R"(
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @warp_sum(%out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %t = gpu.thread_id x
      %b = gpu.block_id x
      %t32 = arith.index_cast %t : index to i32
      %b32 = arith.index_cast %b : index to i32
      %c1 = arith.constant 1 : i32
      %c2 = arith.constant 2 : i32
      %c4 = arith.constant 4 : i32
      %c8 = arith.constant 8 : i32
      %c16 = arith.constant 16 : i32
      %w = arith.constant WARP : i32
      %s1, %v1 = gpu.shuffle xor %t32, %c1, %w : i32
      %a1 = arith.addi %t32, %s1 : i32
      %s2, %v2 = gpu.shuffle xor %a1, %c2, %w : i32
      %a2 = arith.addi %a1, %s2 : i32
      %s3, %v3 = gpu.shuffle xor %a2, %c4, %w : i32
      %a3 = arith.addi %a2, %s3 : i32
      %s4, %v4 = gpu.shuffle xor %a3, %c8, %w : i32
      %a4 = arith.addi %a3, %s4 : i32
      %s5, %v5 = gpu.shuffle xor %a4, %c16, %w : i32
      %a5 = arith.addi %a4, %s5 : i32
      %k = arith.constant 1000 : i32
      %bk = arith.muli %b32, %k : i32
      %r = arith.addi %a5, %bk : i32
      %c128 = arith.constant 128 : i32
      %row = arith.muli %b32, %c128 : i32
      %i = arith.addi %row, %t32 : i32
      %p = llvm.getelementptr %out[%i] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      llvm.store %r, %p {alignment = 4 : i64} : i32, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";

std::string with_warp(std::string text, int warp) {
  return text.replace(text.find("WARP"), 4, std::to_string(warp));
}

} // namespace

TEST_CASE("gpu-emu runs every thread of every block, with the vendor's warp in shuffles", "[gpu-emu]") {
  for (int warp : {32, 64}) {
    INFO("warp size " << warp);
    // With 64-lane warps, partners up to 16 stay within each half of the wavefront: the
    // sums are over 32 lanes either way, as the butterfly only reaches 5 bits.
    Kernel k = emulated(with_warp(kWarpSum, warp), {buffer("out", DType::I32)}, warp);
    Buffer out(DType::I32, 3 * 128);
    out.fill_bytes(0xFF);
    launch(k, Grid(3), out);
    auto v = out.as<int32_t>();
    for (int b = 0; b < 3; ++b)
      for (int t = 0; t < 128; ++t) {
        const int group = t / 32 * 32;
        const int expected = 32 * group + 31 * 32 / 2 + 1000 * b;
        INFO("block " << b << " thread " << t);
        REQUIRE(v[b * 128 + t] == expected);
      }
    // Each warp's store covers consecutive 4-byte elements: as few 32-byte sectors as
    // its bytes need.
    const auto &global = gpuemu::last_report().global;
    REQUIRE(global.size() == 1);
    const gpuemu::AccessCounters &store = global.begin()->second;
    CHECK(store.requests == 3 * 128 / warp);
    CHECK(store.sectors == 3 * 128 * 4 / 32);
    CHECK(store.ideal == store.sectors);
  }
}

TEST_CASE("gpu-emu reports a global access outside the launch's buffers with its line", "[gpu-emu]") {
  // Thread t stores element t + n of a buffer of n.
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @past_end(%out: !llvm.ptr<1>, %n: i32) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %t = gpu.thread_id x
      %t32 = arith.index_cast %t : index to i32
      %i = arith.addi %t32, %n : i32
      %p = llvm.getelementptr %out[%i] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %one = arith.constant 1.0 : f32
      llvm.store %one, %p {alignment = 4 : i64} : f32, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {buffer("out"), scalar("n")});
  Buffer out(DType::F32, 16);
  ErrorCode code{};
  std::string fault = fault_of([&] { launch(k, Grid(1), out, 16); }, &code);
  CHECK(code == ErrorCode::OutOfBounds);
  CHECK(fault.find("outside every buffer of the launch") != std::string::npos);
  CHECK(fault.find("planted.mlir:10 (llvm.store)") != std::string::npos);
  // In bounds it runs clean.
  Kernel fits = emulated(text, {buffer("out"), scalar("n")});
  Buffer big(DType::F32, 64);
  CHECK(fault_of([&] { launch(fits, Grid(1), big, 16); }).empty());
}

TEST_CASE("gpu-emu reports a vector access that is not as aligned as the code promised", "[gpu-emu]") {
  // A 16-byte load from element 1: on a GPU a misaligned vector access faults.
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @misaligned(%in: !llvm.ptr<1>, %out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c1 = arith.constant 1 : i32
      %p = llvm.getelementptr %in[%c1] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      %v = llvm.load %p {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {buffer("in"), buffer("out")});
  Buffer in(DType::F32, 64), out(DType::F32, 4);
  std::memset(in.data(), 0, in.bytes());
  ErrorCode code{};
  std::string fault = fault_of([&] { launch(k, Grid(1), in, out); }, &code);
  CHECK(code == ErrorCode::DeviceFault);
  CHECK(fault.find("promised 16-byte aligned") != std::string::npos);
  CHECK(fault.find("planted.mlir:7 (llvm.load)") != std::string::npos);
}

namespace {

// Thread t writes t to shared word t, optionally waits, then reads word (t + 1) % 64.
std::string exchange(bool barrier, bool skipWrite, bool divergentBarrier) {
  std::string text = R"(
module {
  gpu.module @m {
    gpu.func @exchange(%out: !llvm.ptr<1>) workgroup(%s : memref<256xi8, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %view = memref.view %s[%c0][] : memref<256xi8, #gpu.address_space<workgroup>> to memref<64xi32, #gpu.address_space<workgroup>>
      %t = gpu.thread_id x
      %t32 = arith.index_cast %t : index to i32
      %c5 = arith.constant 5 : i32
      %first = arith.cmpi ult, %t32, %c5 : i32
      %write = arith.constant WRITE : i1
      %or = arith.ori %write, %first : i1
      scf.if %or {
        memref.store %t32, %view[%t] : memref<64xi32, #gpu.address_space<workgroup>>
      }
      BARRIER
      %c1 = arith.constant 1 : i32
      %c64 = arith.constant 64 : i32
      %n = arith.addi %t32, %c1 : i32
      %m = arith.remui %n, %c64 : i32
      %mi = arith.index_cast %m : i32 to index
      %v = memref.load %view[%mi] : memref<64xi32, #gpu.address_space<workgroup>>
      %p = llvm.getelementptr %out[%t32] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      llvm.store %v, %p {alignment = 4 : i64} : i32, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";
  text.replace(text.find("WRITE"), 5, skipWrite ? "0" : "1");
  const std::string wait = !barrier ? "" : divergentBarrier ? "scf.if %first {\n        gpu.barrier\n      }" : "gpu.barrier";
  text.replace(text.find("BARRIER"), 7, wait);
  return text;
}

} // namespace

TEST_CASE("gpu-emu: shared memory is per block and barriers order it", "[gpu-emu]") {
  Kernel k = emulated(exchange(true, false, false), {buffer("out", DType::I32)});
  Buffer out(DType::I32, 64);
  out.fill_bytes(0xFF);
  REQUIRE(fault_of([&] { launch(k, Grid(2), out); }).empty());
  for (int t = 0; t < 64; ++t)
    CHECK(out.as<int32_t>()[t] == (t + 1) % 64);
}

TEST_CASE("gpu-emu reports a shared-memory race between barriers", "[gpu-emu]") {
  Kernel k = emulated(exchange(false, false, false), {buffer("out", DType::I32)});
  Buffer out(DType::I32, 64);
  ErrorCode code{};
  std::string fault = fault_of([&] { launch(k, Grid(1), out); }, &code);
  CHECK(code == ErrorCode::DeviceFault);
  CHECK(fault.find("a shared-memory race: thread 0 reads byte 4 that thread 1 wrote since the last barrier") !=
        std::string::npos);
  CHECK(fault.find("planted.mlir:22 (memref.load)") != std::string::npos);
}

TEST_CASE("gpu-emu reports a read of shared memory that nothing wrote", "[gpu-emu]") {
  Kernel k = emulated(exchange(true, true, false), {buffer("out", DType::I32)});
  Buffer out(DType::I32, 64);
  std::string fault = fault_of([&] { launch(k, Grid(1), out); });
  // Threads 0..4 wrote words 0..4; thread 4 reads word 5.
  CHECK(fault.find("thread 4 reads byte 20 of shared memory that nothing wrote") != std::string::npos);
}

TEST_CASE("gpu-emu reports a barrier that only part of the block reaches", "[gpu-emu]") {
  Kernel k = emulated(exchange(true, false, true), {buffer("out", DType::I32)});
  Buffer out(DType::I32, 64);
  std::string fault = fault_of([&] { launch(k, Grid(1), out); });
  CHECK(fault.find("a barrier reached by 5 of the block's 64 threads") != std::string::npos);
  CHECK(fault.find("(gpu.barrier)") != std::string::npos);
}

TEST_CASE("gpu-emu reports a warp operation of a warp that is not converged", "[gpu-emu]") {
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @diverged(%out: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %t = gpu.thread_id x
      %t32 = arith.index_cast %t : index to i32
      %c16 = arith.constant 16 : i32
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      %low = arith.cmpi ult, %t32, %c16 : i32
      %r = scf.if %low -> (i32) {
        %s, %v = gpu.shuffle xor %t32, %c1, %c32 : i32
        scf.yield %s : i32
      } else {
        scf.yield %t32 : i32
      }
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {buffer("out", DType::I32)});
  Buffer out(DType::I32, 32);
  std::string fault = fault_of([&] { launch(k, Grid(1), out); });
  CHECK(fault.find("a warp operation run by 16 of the 32 threads of warp 0 (the warp is not converged)") !=
        std::string::npos);
  CHECK(fault.find("planted.mlir:12 (gpu.shuffle)") != std::string::npos);
}

TEST_CASE("gpu-emu rounds f16 and bf16 once per operation, to nearest even", "[gpu-emu]") {
  // Every f16 pattern survives the round trip; ties go to even.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff))
      continue; // NaN payloads are not kept
    INFO(h);
    REQUIRE(gpuemu::from_double(gpuemu::Scalar::F16, gpuemu::to_double(gpuemu::Scalar::F16, h)) == h);
  }
  CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 1.0 + 1.0 / 2048) == 0x3c00); // tie between 1 and 1+2^-10: even
  CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 1.0 + 3.0 / 2048) == 0x3c02); // tie: to the even neighbour above
    CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 5.9604644775390625e-08) == 0x0001); // the smallest subnormal
  CHECK(gpuemu::from_double(gpuemu::Scalar::BF16, 1.0 + 1.0 / 256) == 0x3f80); // tie: even
  CHECK(gpuemu::from_double(gpuemu::Scalar::BF16, 1.0 + 3.0 / 256) == 0x3f82);
  CHECK(gpuemu::to_double(gpuemu::Scalar::BF16, 0x3f82) == 1.015625);
  // Straight from double: just above a tie rounds up, where going through f32 would
  // land on the tie and round to even (the cast conformance cases caught that).
  CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 1.0 + 0x1p-11 + 0x1p-40) == 0x3c01);
  CHECK(gpuemu::from_double(gpuemu::Scalar::BF16, 1.0 + 0x1p-8 + 0x1p-40) == 0x3f81);
  CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 65519.99) == 0x7bff);
  CHECK(gpuemu::from_double(gpuemu::Scalar::F16, 65520.0) == 0x7c00);
}

TEST_CASE("gpu-emu: atomics are indivisible per thread and follow LLVM's operations", "[gpu-emu]") {
  // Thread t adds 1 to counts[t % 4] and keeps what it saw; takes the maxnum of t (a NaN
  // for odd t) into top[0]; swaps t into slot[0] where the slot holds 0 (only one thread
  // can see 0), recording whether it did.
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @atomics(%counts: !llvm.ptr<1>, %seen: !llvm.ptr<1>, %top: !llvm.ptr<1>, %slot: !llvm.ptr<1>,
                      %won: !llvm.ptr<1>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %t = gpu.thread_id x
      %t32 = arith.index_cast %t : index to i32
      %c1 = arith.constant 1 : i32
      %c3 = arith.constant 3 : i32
      %c0 = arith.constant 0 : i32
      %which = arith.andi %t32, %c3 : i32
      %p = llvm.getelementptr %counts[%which] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      %old = llvm.atomicrmw add %p, %c1 acq_rel : !llvm.ptr<1>, i32
      %q = llvm.getelementptr %seen[%t32] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      llvm.store %old, %q {alignment = 4 : i64} : i32, !llvm.ptr<1>
      %odd = arith.andi %t32, %c1 : i32
      %isOdd = arith.cmpi ne, %odd, %c0 : i32
      %tf = arith.sitofp %t32 : i32 to f32
      %nan = arith.constant 0x7FC00000 : f32
      %v = arith.select %isOdd, %nan, %tf : f32
      %m = llvm.atomicrmw fmax %top, %v acq_rel : !llvm.ptr<1>, f32
      %plus = arith.addi %t32, %c1 : i32
      %x = llvm.cmpxchg %slot, %c0, %plus acq_rel acquire : !llvm.ptr<1>, i32
      %ok = llvm.extractvalue %x[1] : !llvm.struct<(i32, i1)>
      %okw = arith.extui %ok : i1 to i32
      %r = llvm.getelementptr %won[%t32] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i32
      llvm.store %okw, %r {alignment = 4 : i64} : i32, !llvm.ptr<1>
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {buffer("counts", DType::I32), buffer("seen", DType::I32), buffer("top"),
                             buffer("slot", DType::I32), buffer("won", DType::I32)});
  Buffer counts(DType::I32, 4), seen(DType::I32, 128), top(DType::F32, 1), slot(DType::I32, 1), won(DType::I32, 128);
  for (int i = 0; i < 4; ++i)
    counts.as<int32_t>()[i] = 10 * i;
  top.as<float>()[0] = -5.0f;
  slot.as<int32_t>()[0] = 0;
  REQUIRE(fault_of([&] { launch(k, Grid(2), counts, seen, top, slot, won); }).empty());
  for (int i = 0; i < 4; ++i)
    CHECK(counts.as<int32_t>()[i] == 10 * i + 64); // 32 threads per slot, two blocks
  // Every value a slot held during the last block was seen by exactly one of its threads.
  for (int i = 0; i < 4; ++i) {
    std::vector<int> histogram(64, 0);
    for (int t = i; t < 128; t += 4) {
      const int32_t v = seen.as<int32_t>()[t] - 10 * i;
      REQUIRE(v >= 0);
      REQUIRE(v < 64);
      ++histogram[v];
    }
    for (int v = 32; v < 64; ++v)
      CHECK(histogram[v] == 1);
  }
  CHECK(top.as<float>()[0] == 126.0f); // the NaNs never win over a number
  CHECK(slot.as<int32_t>()[0] != 0);
  int winners = 0;
  for (int t = 0; t < 128; ++t)
    winners += won.as<int32_t>()[t];
  CHECK(winners == 0); // the first block's winner took the slot; none in the last block
}

TEST_CASE("gpu-emu reports an atomic outside the buffers or off its natural alignment", "[gpu-emu]") {
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @bad_atomic(%p: !llvm.ptr<1>, %at: i32) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c1 = arith.constant 1 : i64
      %q = llvm.getelementptr %p[%at] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, i8
      %old = llvm.atomicrmw add %q, %c1 acq_rel : !llvm.ptr<1>, i64
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {buffer("p", DType::I64), scalar("at")});
  Buffer p(DType::I64, 4);
  std::memset(p.data(), 0, p.bytes());
  ErrorCode code{};
  std::string fault = fault_of([&] { launch(k, Grid(1), p, 4); }, &code);
  CHECK(code == ErrorCode::DeviceFault);
  CHECK(fault.find("8-byte atomic at an address 4 bytes past its natural alignment") != std::string::npos);
  CHECK(fault.find("planted.mlir:7 (llvm.atomicrmw)") != std::string::npos);
  fault = fault_of([&] { launch(k, Grid(1), p, 32); }, &code);
  CHECK(code == ErrorCode::OutOfBounds);
  CHECK(fault.find("an atomic of 8 bytes outside every buffer") != std::string::npos);
  CHECK(fault_of([&] { launch(k, Grid(1), p, 8); }).empty());
  CHECK(reinterpret_cast<int64_t *>(p.data())[1] == 32);
}

TEST_CASE("gpu-emu: printf formats as C does and a trap fails the launch quoting the thread's line", "[gpu-emu]") {
  // Every thread prints its id, a widened float and an i64; thread 37 then traps.
  const char *text = R"(
module {
  gpu.module @m {
    gpu.func @trapping() kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %t = gpu.thread_id x
      %t32 = arith.index_cast %t : index to i32
      %f = arith.sitofp %t32 : i32 to f32
      %third = arith.constant 3.0 : f32
      %q = arith.divf %f, %third : f32
      %d = arith.extf %q : f32 to f64
      %big = arith.constant -5000000000 : i64
      gpu.printf "t=%d q=%.9g big=%lld 100%%\0A", %t32, %d, %big : i32, f64, i64
      %c37 = arith.constant 37 : i32
      %is = arith.cmpi eq, %t32, %c37 : i32
      scf.if %is {
        llvm.intr.trap
      }
      gpu.return
    }
  }
}
)";
  Kernel k = emulated(text, {});
  ErrorCode code{};
  std::string fault = fault_of([&] { launch(k, Grid(1)); }, &code);
  CHECK(code == ErrorCode::AssertionFailed);
  CHECK(fault.find("thread 37 trapped after printing \"t=37 q=12.333333 big=-5000000000 100%\"") != std::string::npos);
  CHECK(fault.find("planted.mlir:16 (llvm.intr.trap)") != std::string::npos);
}
