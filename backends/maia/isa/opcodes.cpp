// The opcode table: the one place that says what each opcode is called, which unit
// runs it and which instruction fields it reads. The encoder rejects, and the decoder
// refuses, nonzero bits in any field not listed here, so the table is also what keeps
// decode(encode(i)) == i.
#include "tegula/maia/isa.h"

#include <array>

namespace tegula::maia {

const std::vector<OpcodeInfo> &opcode_table() {
  // Operand order follows the field order of the word (rd, ra, rb, rc, re, imm, sem)
  // so that a disassembly reads left to right like the bit layout; wait and signal
  // name the semaphore first because it is what they act on.
  static const std::vector<OpcodeInfo> table = {
      {Opcode::Halt, "halt", Unit::Tcp, ""},
      {Opcode::Li, "li", Unit::Tcp, "rd,imm"},
      {Opcode::Addi, "addi", Unit::Tcp, "rd,ra,imm"},
      {Opcode::Muli, "muli", Unit::Tcp, "rd,ra,imm"},
      {Opcode::Shli, "shli", Unit::Tcp, "rd,ra,imm"},
      {Opcode::Ori, "ori", Unit::Tcp, "rd,ra,imm"},
      {Opcode::Add, "add", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Sub, "sub", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Mul, "mul", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Min, "min", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Blt, "blt", Unit::Tcp, "ra,rb,imm"},
      {Opcode::Bge, "bge", Unit::Tcp, "ra,rb,imm"},
      {Opcode::Bne, "bne", Unit::Tcp, "ra,rb,imm"},
      {Opcode::Jmp, "jmp", Unit::Tcp, "imm"},
      {Opcode::Pid, "pid", Unit::Tcp, "rd,imm"},
      {Opcode::Nprog, "nprog", Unit::Tcp, "rd,imm"},
      {Opcode::Arg, "arg", Unit::Tcp, "rd,imm"},
      {Opcode::Wait, "wait", Unit::Tcp, "sem,imm"},
      {Opcode::Signal, "signal", Unit::Tcp, "sem,imm"},
      {Opcode::Cbar, "cbar", Unit::Tcp, ""},
      {Opcode::Cpid, "cpid", Unit::Tcp, "rd,imm"},
      {Opcode::Cvtf, "cvtf", Unit::Tcp, "rd,ra"},
      {Opcode::Ldw, "ldw", Unit::Tcp, "rd,ra"},
      {Opcode::Div, "div", Unit::Tcp, "rd,ra,rb"},

      // rd/ra: destination/source address, rb rows, rc row bytes, re HBM stride,
      // imm TSRAM stride.
      {Opcode::DmaIn, "dma.in", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::DmaOut, "dma.out", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},

      // rd C, ra A, rb B, rc M, re N, imm K.
      {Opcode::Mma, "mma", Unit::Ttu, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::MmaT, "mma.t", Unit::Ttu, "rd,ra,rb,rc,re,imm,sem"},

      // Element-wise: rc holds the element count.
      {Opcode::VAdd, "vadd", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VSub, "vsub", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VMul, "vmul", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VMax, "vmax", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VExp, "vexp", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VCopy, "vcopy", Unit::Tvp, "rd,ra,rc,sem"},
      // The fill value is a scalar register (rb), not a TSRAM address.
      {Opcode::VFill, "vfill", Unit::Tvp, "rd,rb,rc,sem"},
      {Opcode::VToBf16, "vcvt.bf16", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VToF32, "vcvt.f32", Unit::Tvp, "rd,ra,rc,sem"},

      // Row ops on a matrix ra of re rows by rc columns; rb is the per-row vector of
      // vrowsub/vrowdiv. Rows live in re, not rb, so that rb can name that vector.
      {Opcode::VRowMax, "vrowmax", Unit::Tvp, "rd,ra,rc,re,sem"},
      {Opcode::VRowSum, "vrowsum", Unit::Tvp, "rd,ra,rc,re,sem"},
      {Opcode::VRowSub, "vrowsub", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      {Opcode::VRowDiv, "vrowdiv", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      {Opcode::VDiv, "vdiv", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VSqrt, "vsqrt", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VRsqrt, "vrsqrt", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VErf, "verf", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VSigmoid, "vsigmoid", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VLog, "vlog", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VRowMul, "vrowmul", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      // Column ops: rb is the per-column vector (rc elements) added to or multiplying
      // every row.
      {Opcode::VColAdd, "vcoladd", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      {Opcode::VColMul, "vcolmul", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      // ra: the first masked-off word of row 0, rb: the fill's bits, imm: the step of that
      // limit per row.
      {Opcode::VFillTail, "vfilltail", Unit::Tvp, "rd,ra,rb,rc,re,imm,sem"},
  };
  return table;
}

const OpcodeInfo *opcode_info(Opcode opcode) {
  // Indexed by the opcode byte: decode calls this for every word of an image.
  static const std::array<const OpcodeInfo *, 256> by_byte = [] {
    std::array<const OpcodeInfo *, 256> index{};
    for (const OpcodeInfo &info : opcode_table())
      index[static_cast<uint8_t>(info.opcode)] = &info;
    return index;
  }();
  return by_byte[static_cast<uint8_t>(opcode)];
}

const OpcodeInfo *opcode_info(std::string_view mnemonic) {
  for (const OpcodeInfo &info : opcode_table())
    if (info.mnemonic == mnemonic)
      return &info;
  return nullptr;
}

} // namespace tegula::maia
