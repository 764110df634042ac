// The opcode table: the one place that says what each opcode is called, which unit
// runs it and which instruction fields it reads. The encoder rejects, and the decoder
// refuses, nonzero bits in any field not listed here, so the table is also what keeps
// decode(encode(i)) == i.
#include "tegula/maia/isa.h"

#include <array>
#include <optional>

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
      {Opcode::And, "and", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Or, "or", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Xor, "xor", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Shl, "shl", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Shr, "shr", Unit::Tcp, "rd,ra,rb"},
      {Opcode::Shru, "shru", Unit::Tcp, "rd,ra,rb"},

      // rd/ra: destination/source address, rb rows, rc row bytes, re HBM stride,
      // imm TSRAM stride.
      {Opcode::DmaIn, "dma.in", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::DmaOut, "dma.out", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},
      // Atomics: rd HBM, ra TSRAM (dense rows, receives the old values), rb rows, rc row
      // bytes, re HBM row stride, the element type.
      {Opcode::DmaAdd, "dma.add", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaMax, "dma.max", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaMin, "dma.min", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaXchg, "dma.xchg", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaGather, "dma.gather", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaScatter, "dma.scatter", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaAddX, "dma.add.x", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaMaxX, "dma.max.x", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaMinX, "dma.min.x", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaXchgX, "dma.xchg.x", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::DmaCasX, "dma.cas.x", Unit::Dma, "rd,ra,rb,rc,re,type,sem"},

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

      // Typed vector unit: the element type is the last operand before the semaphore.
      {Opcode::VtAdd, "vt.add", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtSub, "vt.sub", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtMul, "vt.mul", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtDiv, "vt.div", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtRem, "vt.rem", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtMax, "vt.max", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtMin, "vt.min", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtAnd, "vt.and", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtOr, "vt.or", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtXor, "vt.xor", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtShl, "vt.shl", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtShr, "vt.shr", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtShrU, "vt.shru", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtLt, "vt.lt", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtLe, "vt.le", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtEq, "vt.eq", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtNe, "vt.ne", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtLtU, "vt.ltu", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      {Opcode::VtLeU, "vt.leu", Unit::Tvp, "rd,ra,rb,rc,type,sem"},
      // rd result, ra mask bytes, rb where the mask is set, rc count, re elsewhere.
      {Opcode::VtSel, "vt.sel", Unit::Tvp, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::VtCvt, "vt.cvt", Unit::Tvp, "rd,ra,rc,types,sem"},
      {Opcode::VtFill, "vt.fill", Unit::Tvp, "rd,rb,rc,type,sem"},
      {Opcode::VtIota, "vt.iota", Unit::Tvp, "rd,ra,rc,type,sem"},
      // Row operations: rc columns, re rows.
      {Opcode::VtRowBcast, "vt.rowbcast", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowSum, "vt.rowsum", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowMax, "vt.rowmax", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowMin, "vt.rowmin", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtTrans, "vt.trans", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtScanSum, "vt.scansum", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtScanMax, "vt.scanmax", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtScanMin, "vt.scanmin", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowRev, "vt.rowrev", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowArgMax, "vt.rowargmax", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtRowArgMin, "vt.rowargmin", Unit::Tvp, "rd,ra,rc,re,type,sem"},
      {Opcode::VtGer, "vt.ger", Unit::Tvp, "rd,ra,rb,rc,re,type,sem"},
      {Opcode::VtExp, "vt.exp", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtLog, "vt.log", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtSqrt, "vt.sqrt", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtRsqrt, "vt.rsqrt", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtErf, "vt.erf", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtSigmoid, "vt.sigmoid", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtTanh, "vt.tanh", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtSin, "vt.sin", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtCos, "vt.cos", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtExp2, "vt.exp2", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::VtLog2, "vt.log2", Unit::Tvp, "rd,ra,rc,type,sem"},
      {Opcode::DbgPrint, "dbg.print", Unit::Tvp, "ra,rb,rc,type,sem"},
      {Opcode::DbgAssert, "dbg.assert", Unit::Tvp, "ra,rb,rc,sem"},
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

ImmForm imm_form(Opcode opcode) {
  if (opcode == Opcode::VtCvt)
    return ImmForm::Conversion;
  if ((opcode >= Opcode::VtAdd && opcode <= Opcode::VtLog2) || (opcode >= Opcode::DmaAdd && opcode <= Opcode::DmaCasX) ||
      opcode == Opcode::DbgPrint)
    return ImmForm::Type;
  return ImmForm::Number;
}

bool imm_valid(ImmForm form, int32_t imm) {
  switch (form) {
  case ImmForm::Number: return true;
  case ImmForm::Type: return is_elem_type(imm);
  case ImmForm::Conversion: return (imm & ~0xff) == 0 && is_elem_type(imm & 0xf) && is_elem_type(imm >> 4);
  }
  return false;
}

namespace {
struct ElemInfo {
  std::string_view name;
  int bytes;
  bool is_float, is_unsigned;
};
const ElemInfo &elem_info(ElemType type) {
  static const ElemInfo table[kElemTypes] = {
      {"i8", 1, false, false},  {"i16", 2, false, false}, {"i32", 4, false, false}, {"i64", 8, false, false},
      {"u8", 1, false, true},   {"u16", 2, false, true},  {"u32", 4, false, true},  {"u64", 8, false, true},
      {"f16", 2, true, false},  {"bf16", 2, true, false}, {"f32", 4, true, false},  {"f64", 8, true, false},
  };
  return table[static_cast<int>(type) - 1];
}
} // namespace

bool is_elem_type(int64_t code) { return code >= 1 && code <= kElemTypes; }
int elem_bytes(ElemType type) { return elem_info(type).bytes; }
bool elem_is_float(ElemType type) { return elem_info(type).is_float; }
bool elem_is_unsigned(ElemType type) { return elem_info(type).is_unsigned; }
std::string_view elem_name(ElemType type) { return elem_info(type).name; }
std::optional<ElemType> parse_elem(std::string_view name) {
  for (int code = 1; code <= kElemTypes; ++code)
    if (elem_info(static_cast<ElemType>(code)).name == name)
      return static_cast<ElemType>(code);
  return std::nullopt;
}

const OpcodeInfo *opcode_info(std::string_view mnemonic) {
  for (const OpcodeInfo &info : opcode_table())
    if (info.mnemonic == mnemonic)
      return &info;
  return nullptr;
}

} // namespace tegula::maia
