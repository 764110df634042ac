// The instruction set of Tegula's Maia-style tile control processor (TCP).
//
// Every instruction is one 64-bit word:
//   [63:56] opcode   [55:51] rd   [50:46] ra   [45:41] rb   [40:36] rc   [35:31] re
//   [30:26] sem      [25:0]  imm (signed, 26 bits)
// Scalar registers x0..x31 hold 64-bit integers; x0 reads as zero and ignores writes.
// TSRAM and HBM addresses are byte addresses held in registers.
//
// The TCP runs scalar and control instructions itself, one per cycle, and issues DMA,
// tensor-unit (TTU) and vector-unit (TVP) commands to per-unit in-order queues. Those
// commands run asynchronously; when one finishes it adds 1 to semaphore `sem` of its
// tile (sem 0 means "signal nothing"). WAIT blocks the TCP until a semaphore holds at
// least `imm`, then subtracts `imm`. Nothing else orders the units: a program that
// reads a TSRAM buffer another unit is still writing has a race, and the simulator
// reports it (happens-before over semaphores, not observed timing).
#ifndef TEGULA_MAIA_ISA_H
#define TEGULA_MAIA_ISA_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tegula::maia {

enum class Opcode : uint8_t {
  // Scalar and control (TCP).
  Halt = 0x00,  ///< end of the program instance
  Li = 0x01,    ///< rd = imm
  Addi = 0x02,  ///< rd = ra + imm
  Muli = 0x03,  ///< rd = ra * imm
  Shli = 0x04,  ///< rd = ra << imm
  Ori = 0x05,   ///< rd = ra | imm (imm zero-extended from 26 bits)
  Add = 0x06,   ///< rd = ra + rb
  Sub = 0x07,   ///< rd = ra - rb
  Mul = 0x08,   ///< rd = ra * rb
  Min = 0x09,   ///< rd = min(ra, rb) (signed)
  Blt = 0x0A,   ///< if ra < rb (signed): pc += imm (in instructions)
  Bge = 0x0B,   ///< if ra >= rb: pc += imm
  Bne = 0x0C,   ///< if ra != rb: pc += imm
  Jmp = 0x0D,   ///< pc += imm
  Pid = 0x0E,   ///< rd = program id along axis imm (0..2)
  Nprog = 0x0F, ///< rd = number of programs along axis imm
  Arg = 0x10,   ///< rd = kernel argument imm (an HBM address or an integer)
  Wait = 0x11,  ///< block until semaphore sem >= imm, then subtract imm (imm 0 means 1)
  Signal = 0x12, ///< semaphore sem += imm (imm 0 means 1)
  Cbar = 0x13,   ///< cluster barrier: block until every tile of this program's cluster group arrives
  Cpid = 0x14,   ///< rd = this instance's coordinate along axis imm in its cluster group's square (0 or 1; 0 unless the grid is dealt in squares)
  Cvtf = 0x15,   ///< rd = the f32 bit pattern of x[ra] converted to float (round to nearest even)
  Ldw = 0x16,    ///< rd = the 32-bit word at HBM address x[ra], sign-extended (waits the DMA latency)
  Div = 0x17,    ///< rd = x[ra] / x[rb] (signed, toward zero; a zero divisor faults)
  And = 0x18,    ///< rd = ra & rb
  Or = 0x19,     ///< rd = ra | rb
  Xor = 0x1A,    ///< rd = ra ^ rb
  Shl = 0x1B,    ///< rd = ra << (rb & 63)
  Shr = 0x1C,    ///< rd = ra >> (rb & 63), arithmetic
  Shru = 0x1D,   ///< rd = ra >> (rb & 63), logical

  // DMA engine: 2-D strided copies. The near side (rd of dma.in, ra of dma.out) is TSRAM,
  // or the cluster's CSRAM when the address has kCsramWindow set; the far side is HBM,
  // or CSRAM the same way. Strides: re on the far side, imm on the near side.
  DmaIn = 0x20,  ///< near[rd] <- far[ra]: rb rows of rc bytes, far row stride re, near row stride imm (0: rc)
  DmaOut = 0x21, ///< far[rd] <- near[ra]: rb rows of rc bytes, far row stride re, near row stride imm (0: rc)
  // DMA atomics on HBM: for each element of rb rows of rc bytes (HBM row stride re, TSRAM
  // rows dense), of the element type in imm: old = far[i]; far[i] = op(old, near[i]);
  // near[i] = old. A command is atomic: no other command touches HBM between its read
  // and its write of an element.
  DmaAdd = 0x22,
  DmaMax = 0x23,
  DmaMin = 0x24,
  DmaXchg = 0x25,
  // Indexed DMA, one element per index: element i (of rc, of the type in imm) moves
  // between TSRAM and HBM address x[ra-or-rd] + off[i] * size, off being the i64
  // element offsets at TSRAM x[rb]; re is a TSRAM mask (one byte per element; x0 as re:
  // no mask) and masked-off elements are not touched on either side. Elements go in
  // index order, so a later one wins, and an atomic sees the earlier ones' updates.
  DmaGather = 0x26,  ///< TSRAM rd[i] <- HBM x[ra] + off[i]
  DmaScatter = 0x27, ///< HBM x[rd] + off[i] <- TSRAM ra[i]
  DmaAddX = 0x28,    ///< old = HBM x[rd] + off[i]; it becomes old + ra[i]; ra[i] = old
  DmaMaxX = 0x29,
  DmaMinX = 0x2A,
  DmaXchgX = 0x2B,
  /// ra holds rc compare values then rc new values: where HBM x[rd] + off[i] equals
  /// compare i (bitwise) it becomes new i; compare i becomes the old value.
  DmaCasX = 0x2C,

  // Tensor unit.
  Mma = 0x30, ///< C[rd] (f32, rc x re) += A[ra] (bf16, rc x imm) * B[rb] (bf16, imm x re); dense row-major
  MmaT = 0x31, ///< C[rd] (f32, rc x re) += A[ra] (bf16, rc x imm) * B[rb]^T, B stored (bf16, re x imm)

  // Vector unit: f32 arrays in TSRAM of rc elements. The row ops read a row-major matrix
  // of re rows x rc columns; rb is the per-row vector of VRowSub/VRowDiv.
  VAdd = 0x40,  ///< rd[i] = ra[i] + rb[i]
  VSub = 0x41,  ///< rd[i] = ra[i] - rb[i]
  VMul = 0x42,  ///< rd[i] = ra[i] * rb[i]
  VMax = 0x43,  ///< rd[i] = max(ra[i], rb[i])
  VExp = 0x44,  ///< rd[i] = exp(ra[i])
  VCopy = 0x45, ///< rd[i] = ra[i] (4-byte words)
  VFill = 0x46, ///< rd[i] = bit pattern of x[rb] (low 32 bits) for rc words
  VToBf16 = 0x47, ///< bf16 rd[i] = round-to-nearest-even(f32 ra[i])
  VToF32 = 0x48,  ///< f32 rd[i] = bf16 ra[i]
  VRowMax = 0x49, ///< rd[r] = max over c of ra[r*rc + c], for re rows
  VRowSum = 0x4A, ///< rd[r] = sum over c (in column order) of ra[r*rc + c], for re rows
  VRowSub = 0x4B, ///< rd[r*rc + c] = ra[r*rc + c] - rb[r], for re rows
  VRowDiv = 0x4C, ///< rd[r*rc + c] = ra[r*rc + c] / rb[r], for re rows
  VDiv = 0x4D,     ///< rd[i] = ra[i] / rb[i]
  VSqrt = 0x4E,    ///< rd[i] = sqrt(ra[i])
  VRsqrt = 0x4F,   ///< rd[i] = 1 / sqrt(ra[i])
  VErf = 0x50,     ///< rd[i] = erf(ra[i])
  VSigmoid = 0x51, ///< rd[i] = 1 / (1 + exp(-ra[i]))
  VLog = 0x52,     ///< rd[i] = log(ra[i])
  VRowMul = 0x53,  ///< rd[r*rc + c] = ra[r*rc + c] * rb[r], for re rows
  VColAdd = 0x54,  ///< rd[r*rc + c] = ra[r*rc + c] + rb[c], for re rows
  VColMul = 0x55,  ///< rd[r*rc + c] = ra[r*rc + c] * rb[c], for re rows
  /// Row r of re rows of rc words: words from min(max(x[ra] + r * imm, 0), rc) on get the
  /// bit pattern x[rb] (a masked-off tail; imm = 1 follows a diagonal).
  VFillTail = 0x56,

  // Typed vector unit: arrays of rc elements of the element type in imm (ElemType),
  // integer or float. Integers wrap at their width; float results are rounded once to
  // the type (f16 and bf16 as the correctly rounded result of the f32 operation). The
  // f32-only ops above stay the fast path for f32 tiles.
  VtAdd = 0x60,  ///< rd[i] = ra[i] + rb[i]
  VtSub = 0x61,  ///< rd[i] = ra[i] - rb[i]
  VtMul = 0x62,  ///< rd[i] = ra[i] * rb[i]
  VtDiv = 0x63,  ///< rd[i] = ra[i] / rb[i] (integers: signed, toward zero; a zero divisor faults)
  VtRem = 0x64,  ///< rd[i] = ra[i] - (ra[i] / rb[i]) * rb[i] (integers only)
  VtMax = 0x65,  ///< rd[i] = max(ra[i], rb[i]) (signed; floats: a NaN operand is dropped)
  VtMin = 0x66,  ///< rd[i] = min(ra[i], rb[i]) (as VtMax)
  VtAnd = 0x67,  ///< rd[i] = ra[i] & rb[i] (integers only)
  VtOr = 0x68,   ///< rd[i] = ra[i] | rb[i]
  VtXor = 0x69,  ///< rd[i] = ra[i] ^ rb[i]
  VtShl = 0x6A,  ///< rd[i] = ra[i] << rb[i] (0 for counts outside [0, width))
  VtShr = 0x6B,  ///< rd[i] = ra[i] >> rb[i], arithmetic (sign fill past the width)
  VtShrU = 0x6C, ///< rd[i] = ra[i] >> rb[i], logical (0 past the width)
  // Comparisons: rd[i] is one byte, 1 where the relation holds, else 0. Floats: lt, le
  // and eq are false and ne true when either side is a NaN.
  VtLt = 0x70,
  VtLe = 0x71,
  VtEq = 0x72,
  VtNe = 0x73,
  VtLtU = 0x74, ///< unsigned (integers only)
  VtLeU = 0x75,
  /// rd[i] = ra[i] (a byte) != 0 ? rb[i] : re[i], for rc elements of the type.
  VtSel = 0x78,
  /// rd[i] = ra[i] converted; imm holds the source type in bits [3:0] and the result
  /// type in [7:4]. Floats to integers truncate toward zero and saturate (NaN gives 0).
  VtCvt = 0x79,
  /// rd[i] = the low bits of x[rb] (all 64 for 8-byte types) for rc elements.
  VtFill = 0x7A,
  /// rd[i] = x[ra] + i for rc elements (an integer type).
  VtIota = 0x7B,
  // Typed row operations on a matrix ra of re rows by rc columns, dense row-major.
  VtRowBcast = 0x80, ///< rd[r*rc + c] = ra[r]
  VtRowSum = 0x81,   ///< rd[r] = sum over c, in column order, rounded to the type at each step
  VtRowMax = 0x82,   ///< rd[r] = max over c (floats: a NaN is dropped)
  VtRowMin = 0x83,   ///< rd[r] = min over c
  VtTrans = 0x84,    ///< rd (rc rows by re columns) = the transpose of ra
  VtScanSum = 0x85,  ///< rd[r*rc + c] = sum of ra[r*rc + c'] for c' <= c, in column order
  VtScanMax = 0x86,  ///< rd[r*rc + c] = max of ra[r*rc + c'] for c' <= c
  VtScanMin = 0x87,  ///< rd[r*rc + c] = min of ra[r*rc + c'] for c' <= c
  VtRowRev = 0x88,   ///< rd[r*rc + c] = ra[r*rc + rc - 1 - c]
  /// rd[r] (i32) = the column of row r's first maximum (minimum): column 0, then each
  /// later column that compares strictly greater (less); a NaN never compares so.
  VtRowArgMax = 0x89,
  VtRowArgMin = 0x8A,
  /// rd[r*rc + c] += ra[r] * rb[c] for re rows by rc columns: a rank-1 update, each
  /// element rounded once (a fused multiply-add; integers wrap). A dot of K steps is K
  /// of these on the vector unit, where the tensor unit takes bf16 only.
  VtGer = 0x8B,
  // Typed functions of floats: rd[i] = f(ra[i]) for rc elements, evaluated in the
  // type's precision (f16 and bf16 in f32, rounded once) with the host's C library.
  VtExp = 0x90,
  VtLog = 0x91,
  VtSqrt = 0x92,
  VtRsqrt = 0x93,
  VtErf = 0x94,
  VtSigmoid = 0x95,
  VtTanh = 0x96,
  VtSin = 0x97,
  VtCos = 0x98,
  VtExp2 = 0x99,
  VtLog2 = 0x9A,

  // Debugging, on the vector unit's queue (ordered with its commands by semaphores).
  // x[rb] names a site of the kernel's debug-site table (its KernelInfo's sites).
  /// Hands rc elements of the type in imm at TSRAM ra to the host's debug log, tagged
  /// with the program instance and the site; the driver prints them after the launch.
  DbgPrint = 0xA0,
  /// Fails the launch (an assertion failure naming the site, the program instance and
  /// the first element) when a byte of the rc-byte mask at TSRAM ra is 0.
  DbgAssert = 0xA1,
};

/// Element types of the typed vector unit. Unsigned types only say how a conversion
/// reads its source (zero-extended); arithmetic on them is that of the signed type.
enum class ElemType : uint8_t { I8 = 1, I16, I32, I64, U8, U16, U32, U64, F16, BF16, F32, F64 };
inline constexpr int kElemTypes = 12;
bool is_elem_type(int64_t code);
int elem_bytes(ElemType type);
bool elem_is_float(ElemType type);
bool elem_is_unsigned(ElemType type);
std::string_view elem_name(ElemType type);
std::optional<ElemType> parse_elem(std::string_view name);
/// The imm of a VtCvt.
inline int32_t conversion_imm(ElemType from, ElemType to) {
  return static_cast<int32_t>(static_cast<uint8_t>(from) | (static_cast<uint8_t>(to) << 4));
}

/// A DMA address with this bit set names a byte of the issuing tile's cluster SRAM
/// (the offset is the address without the bit).
inline constexpr uint64_t kCsramWindow = uint64_t{1} << 62;

enum class Unit : uint8_t { Tcp, Dma, Ttu, Tvp };

/// What an opcode is called, which unit runs it and which fields it reads.
struct OpcodeInfo {
  Opcode opcode;
  std::string_view mnemonic;
  Unit unit;
  /// Operand fields in assembler order, e.g. "rd,ra,imm" or "sem,imm". `type` is imm
  /// holding an ElemType (written `i32`), `types` imm holding a conversion (`i32.f32`).
  std::string_view operands;
};

/// How an opcode's imm is written: a number, an element type or a conversion.
enum class ImmForm : uint8_t { Number, Type, Conversion };
ImmForm imm_form(Opcode opcode);
/// Whether `imm` is a value that form allows (a known type or pair of types).
bool imm_valid(ImmForm form, int32_t imm);

const std::vector<OpcodeInfo> &opcode_table();
const OpcodeInfo *opcode_info(Opcode opcode);
const OpcodeInfo *opcode_info(std::string_view mnemonic);

struct Instruction {
  Opcode opcode = Opcode::Halt;
  uint8_t rd = 0, ra = 0, rb = 0, rc = 0, re = 0, sem = 0;
  int32_t imm = 0; ///< signed, must fit in 26 bits

  bool operator==(const Instruction &) const = default;
};

inline constexpr int kRegisters = 32;
inline constexpr int kSemaphores = 32;
inline constexpr int32_t kImmMin = -(1 << 25), kImmMax = (1 << 25) - 1;

/// Packs an instruction; throws Error(InvalidArgument) naming the field out of range,
/// or a field the opcode does not use that is not 0.
uint64_t encode(const Instruction &instruction);
/// Unpacks a word; nullopt for an unknown opcode or nonzero bits in unused fields.
std::optional<Instruction> decode(uint64_t word);

/// How a launch's grid becomes the program instances the tiles run.
enum class GridMapping : uint32_t {
  /// One instance per point of the grid.
  Direct = 0,
  /// The 2-D grid (G0, G1) is dealt in 2x2 squares, one square to each cluster group
  /// of four tiles, so that instances which read the same operand slices run together
  /// and share them through cluster SRAM. A square at the grid's edge is completed by
  /// instances past its end (pid 0 = G0 or pid 1 = G1), which the program must keep
  /// from writing memory. `cpid` gives an instance's place in its square. Needs
  /// clusters of four tiles and a grid whose third dimension is 1.
  ClusterSquares = 1,
};

/// A program: instructions plus the source line of each (for reports), if known.
struct Program {
  std::vector<Instruction> code;
  std::vector<std::string> source; ///< parallel to code; may be empty
  GridMapping grid_mapping = GridMapping::Direct;
};

/// Assembler text: an optional first directive `.grid cluster-squares` (see
/// GridMapping), then one instruction per line, `mnemonic operands`, operands separated
/// by commas: registers `x0`..`x31`, semaphores `s0`..`s31`, immediates as decimal or
/// 0x hex, and `label` / `label:` for branch targets. `#` starts a comment.
/// A branch to a label gets imm = label's index - branch's index. ori's immediate may
/// also be written as an unsigned 26-bit mask (up to 0x3ffffff), which is how it prints.
/// Throws Error(InvalidArgument) naming the line and what is wrong.
Program assemble(std::string_view text);
/// The text form of one instruction (labels are printed as relative offsets).
std::string disassemble(const Instruction &instruction);
std::string disassemble(const Program &program);

/// Binary program image: magic "TGMA", version, instruction count, grid mapping, then
/// little-endian words.
std::vector<uint8_t> to_binary(const Program &program);
/// Throws Error(LoadError) naming the word that is malformed.
Program from_binary(const std::vector<uint8_t> &bytes);

} // namespace tegula::maia

#endif
