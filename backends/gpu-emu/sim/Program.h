// A GPU kernel as gpu-emu runs it: the code one thread runs, taken from the upstream
// dialects at a GPU target's emu-tap stage and written down as data (no MLIR here: the
// emulator is part of the LLVM-free runtime). Structured like the IR it comes from:
// blocks of instructions over numbered values, loops and branches holding blocks.
#ifndef TEGULA_BACKENDS_GPU_EMU_SIM_PROGRAM_H
#define TEGULA_BACKENDS_GPU_EMU_SIM_PROGRAM_H

#include "tegula/runtime/driver.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tegula::gpuemu {

enum class Scalar : uint8_t { I1, I8, I16, I32, I64, F16, BF16, F32, F64, Address };

/// A value's type: a scalar, or a vector of `width` of them.
struct ValueType {
  Scalar scalar = Scalar::I32;
  uint16_t width = 1;
};

int scalar_bits(Scalar s);
bool is_float(Scalar s);

enum class Op : uint16_t {
  Constant, // imm: the bits, for every element
  // Integers (two's complement at the type's width).
  AddI, SubI, MulI, DivSI, DivUI, RemSI, RemUI, AndI, OrI, XOrI, ShLI, ShRUI, ShRSI, MaxSI, MinSI, MaxUI, MinUI,
  CeilDivSI, FloorDivSI, AbsI,
  // Floats, rounded to the type once per operation.
  AddF, SubF, MulF, DivF, RemF, MaxNumF, MinNumF, MaximumF, MinimumF, PowF, NegF, AbsF, Exp, Exp2, Log, Log2,
  Sqrt, RSqrt, Tanh, Erf, Sin, Cos, Floor, Ceil, Round, Fma,
  CmpI, CmpF, // imm: the predicate, numbered as in arith
  Select,
  ExtSI, ExtUI, TruncI, ExtF, TruncF, SIToFP, UIToFP, FPToSI, FPToUI, Bitcast,
  // PTX cvt.rna.tf32.f32 (nvvm.convert.float.to.tf32, rna): args[0]: an f32; result:
  // its bits rounded to 10 mantissa bits, to nearest with ties away from zero, in an i32
  // (the 13 low bits zero).
  ToTf32,
  Extract,      // imm: the element
  FromElements, // args: one per element
  // Memory. Global addresses are host addresses of the launch's buffers; shared ones
  // are byte offsets into the block's shared memory.
  Offset,       // GEP: args[0] + args[1] * imm (bytes per element)
  LoadGlobal,   // args[0]: address; imm: the alignment the code promises
  StoreGlobal,  // args[0]: value, args[1]: address; imm: alignment
  AtomicGlobal, // args: address, value; imm: an AtomicKind; result: the old value
  CmpXchgGlobal, // args: address, compare, value; results: the old value, whether it was swapped
  View,         // a view of shared memory: args[0] + args[1] (bytes); imm: its size in bytes
  // Shared accesses of `type` (a scalar or a vector of `width` elements) at the index-th
  // element of the view; imm: the alignment the code promises (bytes).
  LoadShared,   // args[0]: view, args[1]: index
  StoreShared,  // args[0]: value, args[1]: view, args[2]: index
  ThreadId, BlockId, GridDim, BlockDim, // imm: the dimension (0, 1, 2)
  Shuffle,      // args: value, offset, width; imm: mode (0 xor, 1 idx, 2 up, 3 down); results: value, valid
  Barrier,
  // A warp's matrix multiply-accumulate (PTX mma.sync.aligned.row.col, f32
  // accumulators): m16n8k16 with 16-bit inputs (args: A's 4 registers of 2 halves each,
  // B's 2) or m16n8k8 with tf32 (A's 4 registers of one element, B's 2), then C's 4 f32;
  // imm: an MmaInput; results: D's 4 f32. Each lane holds the fragments the PTX ISA
  // assigns it.
  MmaSync,
  // A warp's ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared.b16: args: view, index
  // (of the view's elements: this lane's row of 16 bytes); imm: the number of matrices,
  // plus 256 for .trans, plus 512 where the elements are 32-bit (no .trans); results:
  // one 32-bit register per matrix, as a pair of 16-bit elements or one 32-bit one.
  LdMatrix,
  // A wavefront's v_mfma_f32_32x32x8{f16,bf16} (amdgpu.mfma m = n = 32, k = 8, one
  // block): args: A's 4 elements, B's 4, C's 16 f32 (three vectors); imm: an MmaInput;
  // result: D's 16 f32. Each lane holds the elements AMD's tables assign it.
  Mfma,
  Pack,         // args[0]: a vector; result: one integer of its elements' bits, element 0 lowest
  // PTX cp.async.{ca,cg}.shared.global (nvvm.cp.async.shared.global): args: the shared
  // address (bytes), the global address[, the source bytes, zero-filling the rest];
  // imm: the copy's bytes (4, 8 or 16). The source is read when the copy is issued, the
  // destination written only when a wait retires the copy's group: until then the
  // thread and its block see what was there before.
  CpAsync,
  CpAsyncCommit, // cp.async.commit_group: the thread's copies since its last commit become a group
  CpAsyncWait,   // cp.async.wait_group: imm: the newest groups that may stay pending; older ones land
  Print,        // gpu.printf: imm: the format (into Program::strings); args: its values
  Trap,         // llvm.intr.trap: the thread stops and the launch fails
  For,          // args: lower, upper, step, initial values; body: iv then iter args; results
  If,           // args[0]: condition; body (then), orelse (else, or -1); results
  Yield,        // args: the values a loop's or branch's block yields
  Return,
};

/// What an atomic read-modify-write stores (LLVM's atomicrmw operations): the old value
/// combined with the operand. Integers signed or unsigned as named; float max and min
/// are IEEE maxNum and minNum (a NaN operand loses to a number).
enum class AtomicKind : uint8_t { Add, FAdd, Max, Min, UMax, UMin, FMax, FMin, Xchg };

/// The inputs of an MmaSync: 16-bit ones two to a register, the first in its low half;
/// tf32 one to a register (an f32's bits, of which the instruction reads the 19 high).
enum class MmaInput : uint8_t { F16, BF16, TF32 };

struct Instr {
  Op op = Op::Constant;
  ValueType type;               ///< of the (first) result, or of the value stored
  std::vector<int32_t> args;    ///< value numbers
  std::vector<int32_t> results; ///< value numbers
  int64_t imm = 0;
  int32_t body = -1, orelse = -1; ///< block numbers
  int32_t site = -1;            ///< into Program::sites
};

struct Block {
  std::vector<int32_t> args; ///< values bound on entry (a loop's induction variable, then its iter args)
  std::vector<Instr> instrs;
};

/// One kernel of a gpu.module at the tap.
struct Program {
  std::string name;
  std::vector<ValueType> values;   ///< the type of each value number
  std::vector<int32_t> params;     ///< the kernel's arguments, in order
  std::vector<Block> blocks;
  int32_t entry = 0;
  int64_t threads = 0;             ///< of a block (known_block_size)
  int64_t warp_size = 32;
  int64_t shared_bytes = 0;        ///< the workgroup attribution
  int32_t shared_param = -1;       ///< the value that holds its base (offset 0)
  std::vector<std::string> sites;  ///< "file:line: op"
  std::vector<std::string> strings; ///< printf formats
};

/// The executable of the gpu-emu driver.
class EmuExecutable final : public Executable {
public:
  static constexpr const char *kDriver = "gpu-emu";
  explicit EmuExecutable(Program program) : program_(std::move(program)) {}
  std::string driver() const override { return kDriver; }
  const Program &program() const { return program_; }

private:
  Program program_;
};

} // namespace tegula::gpuemu

#endif
