// The Maia ISA library: opcode table, word encoding, assembler and binary images. It is
// part of the LLVM-free runtime, so this test links only tegula_runtime and TegulaMaiaIsa.
#include "tegula/maia/isa.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace tegula;
using namespace tegula::maia;
using Catch::Matchers::Contains;

namespace {

/// The tegula::Error `action` throws; fails the test when it throws none.
Error error_of(const std::function<void()> &action) {
  try {
    action();
  } catch (const Error &error) {
    return error;
  }
  FAIL("expected a tegula::Error");
  return Error(ErrorCode::InvalidArgument, "unreachable");
}

std::vector<std::string> split_operands(std::string_view operands) {
  std::vector<std::string> names;
  while (!operands.empty()) {
    size_t comma = operands.find(',');
    names.emplace_back(operands.substr(0, comma));
    operands = comma == std::string_view::npos ? std::string_view() : operands.substr(comma + 1);
  }
  return names;
}

const std::vector<std::string> kSmallFields = {"rd", "ra", "rb", "rc", "re", "sem"};

uint8_t &small_field(Instruction &instruction, const std::string &name) {
  if (name == "rd") return instruction.rd;
  if (name == "ra") return instruction.ra;
  if (name == "rb") return instruction.rb;
  if (name == "rc") return instruction.rc;
  if (name == "re") return instruction.re;
  return instruction.sem;
}

/// Bit position of a 5-bit field, restated from the layout comment in isa.h.
int shift_of(const std::string &name) {
  if (name == "rd") return 51;
  if (name == "ra") return 46;
  if (name == "rb") return 41;
  if (name == "rc") return 36;
  if (name == "re") return 31;
  return 26; // sem
}

/// Whether the opcode reads `field`; `type` and `types` (an element type or a
/// conversion, isa.h) are the imm field spelled otherwise.
bool uses(const OpcodeInfo &info, const std::string &field) {
  for (const std::string &name : split_operands(info.operands))
    if (name == field || (field == "imm" && (name == "type" || name == "types")))
      return true;
  return false;
}

/// Whether imm holds a number (not an element type or conversion).
bool numeric_imm(const OpcodeInfo &info) { return imm_form(info.opcode) == ImmForm::Number; }

/// Catch's --rng-seed when given, so a failure can be replayed; a fixed seed otherwise.
unsigned test_seed() { return Catch::rngSeed() ? Catch::rngSeed() : 20240613u; }

Instruction random_instruction(const OpcodeInfo &info, std::mt19937 &rng) {
  std::uniform_int_distribution<int> small(0, 31);
  std::uniform_int_distribution<int32_t> imm(kImmMin, kImmMax);
  Instruction instruction;
  instruction.opcode = info.opcode;
  for (const std::string &name : split_operands(info.operands)) {
    if (name == "imm")
      instruction.imm = imm(rng);
    else if (name == "type")
      instruction.imm = std::uniform_int_distribution<int32_t>(1, kElemTypes)(rng);
    else if (name == "types")
      instruction.imm = conversion_imm(static_cast<ElemType>(std::uniform_int_distribution<int>(1, kElemTypes)(rng)),
                                       static_cast<ElemType>(std::uniform_int_distribution<int>(1, kElemTypes)(rng)));
    else
      small_field(instruction, name) = static_cast<uint8_t>(small(rng));
  }
  return instruction;
}

} // namespace

TEST_CASE("the opcode table names every opcode once", "[maia][isa]") {
  struct Expected {
    Opcode opcode;
    const char *mnemonic;
    Unit unit;
    const char *operands;
  };
  const std::vector<Expected> expected = {
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
      {Opcode::DmaIn, "dma.in", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::DmaOut, "dma.out", Unit::Dma, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::Mma, "mma", Unit::Ttu, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::MmaT, "mma.t", Unit::Ttu, "rd,ra,rb,rc,re,imm,sem"},
      {Opcode::VAdd, "vadd", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VSub, "vsub", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VMul, "vmul", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VMax, "vmax", Unit::Tvp, "rd,ra,rb,rc,sem"},
      {Opcode::VExp, "vexp", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VCopy, "vcopy", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VFill, "vfill", Unit::Tvp, "rd,rb,rc,sem"},
      {Opcode::VToBf16, "vcvt.bf16", Unit::Tvp, "rd,ra,rc,sem"},
      {Opcode::VToF32, "vcvt.f32", Unit::Tvp, "rd,ra,rc,sem"},
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
      {Opcode::VColAdd, "vcoladd", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      {Opcode::VColMul, "vcolmul", Unit::Tvp, "rd,ra,rb,rc,re,sem"},
      {Opcode::VFillTail, "vfilltail", Unit::Tvp, "rd,ra,rb,rc,re,imm,sem"},
  };
  std::vector<Expected> typed;
  for (auto [opcode, mnemonic] : std::vector<std::pair<Opcode, const char *>>{
           {Opcode::VtAdd, "vt.add"}, {Opcode::VtSub, "vt.sub"}, {Opcode::VtMul, "vt.mul"},
           {Opcode::VtDiv, "vt.div"}, {Opcode::VtRem, "vt.rem"}, {Opcode::VtMax, "vt.max"},
           {Opcode::VtMin, "vt.min"}, {Opcode::VtAnd, "vt.and"}, {Opcode::VtOr, "vt.or"},
           {Opcode::VtXor, "vt.xor"}, {Opcode::VtShl, "vt.shl"}, {Opcode::VtShr, "vt.shr"},
           {Opcode::VtShrU, "vt.shru"}, {Opcode::VtLt, "vt.lt"}, {Opcode::VtLe, "vt.le"},
           {Opcode::VtEq, "vt.eq"}, {Opcode::VtNe, "vt.ne"}, {Opcode::VtLtU, "vt.ltu"},
           {Opcode::VtLeU, "vt.leu"}})
    typed.push_back({opcode, mnemonic, Unit::Tvp, "rd,ra,rb,rc,type,sem"});
  for (auto [opcode, mnemonic] : std::vector<std::pair<Opcode, const char *>>{
           {Opcode::DmaAdd, "dma.add"}, {Opcode::DmaMax, "dma.max"}, {Opcode::DmaMin, "dma.min"},
           {Opcode::DmaXchg, "dma.xchg"}, {Opcode::DmaGather, "dma.gather"}, {Opcode::DmaScatter, "dma.scatter"},
           {Opcode::DmaAddX, "dma.add.x"}, {Opcode::DmaMaxX, "dma.max.x"}, {Opcode::DmaMinX, "dma.min.x"},
           {Opcode::DmaXchgX, "dma.xchg.x"}, {Opcode::DmaCasX, "dma.cas.x"}})
    typed.push_back({opcode, mnemonic, Unit::Dma, "rd,ra,rb,rc,re,type,sem"});
  for (auto [opcode, mnemonic] : std::vector<std::pair<Opcode, const char *>>{
           {Opcode::And, "and"}, {Opcode::Or, "or"}, {Opcode::Xor, "xor"},
           {Opcode::Shl, "shl"}, {Opcode::Shr, "shr"}, {Opcode::Shru, "shru"}})
    typed.push_back({opcode, mnemonic, Unit::Tcp, "rd,ra,rb"});
  typed.push_back({Opcode::VtSel, "vt.sel", Unit::Tvp, "rd,ra,rb,rc,re,type,sem"});
  typed.push_back({Opcode::VtCvt, "vt.cvt", Unit::Tvp, "rd,ra,rc,types,sem"});
  typed.push_back({Opcode::VtFill, "vt.fill", Unit::Tvp, "rd,rb,rc,type,sem"});
  typed.push_back({Opcode::VtIota, "vt.iota", Unit::Tvp, "rd,ra,rc,type,sem"});
  for (auto [opcode, mnemonic] : std::vector<std::pair<Opcode, const char *>>{
           {Opcode::VtRowBcast, "vt.rowbcast"}, {Opcode::VtRowSum, "vt.rowsum"}, {Opcode::VtRowMax, "vt.rowmax"},
           {Opcode::VtRowMin, "vt.rowmin"}, {Opcode::VtTrans, "vt.trans"}, {Opcode::VtScanSum, "vt.scansum"},
           {Opcode::VtScanMax, "vt.scanmax"}, {Opcode::VtScanMin, "vt.scanmin"}, {Opcode::VtRowRev, "vt.rowrev"},
           {Opcode::VtRowArgMax, "vt.rowargmax"}, {Opcode::VtRowArgMin, "vt.rowargmin"}})
    typed.push_back({opcode, mnemonic, Unit::Tvp, "rd,ra,rc,re,type,sem"});
  typed.push_back({Opcode::VtGer, "vt.ger", Unit::Tvp, "rd,ra,rb,rc,re,type,sem"});
  typed.push_back({Opcode::DbgPrint, "dbg.print", Unit::Tvp, "ra,rb,rc,type,sem"});
  typed.push_back({Opcode::DbgAssert, "dbg.assert", Unit::Tvp, "ra,rb,rc,sem"});
  for (auto [opcode, mnemonic] : std::vector<std::pair<Opcode, const char *>>{
           {Opcode::VtExp, "vt.exp"}, {Opcode::VtLog, "vt.log"}, {Opcode::VtSqrt, "vt.sqrt"},
           {Opcode::VtRsqrt, "vt.rsqrt"}, {Opcode::VtErf, "vt.erf"}, {Opcode::VtSigmoid, "vt.sigmoid"},
           {Opcode::VtTanh, "vt.tanh"}, {Opcode::VtSin, "vt.sin"}, {Opcode::VtCos, "vt.cos"},
           {Opcode::VtExp2, "vt.exp2"}, {Opcode::VtLog2, "vt.log2"}})
    typed.push_back({opcode, mnemonic, Unit::Tvp, "rd,ra,rc,type,sem"});
  std::vector<Expected> all = expected;
  all.insert(all.end(), typed.begin(), typed.end());
  REQUIRE(opcode_table().size() == all.size());
  for (const Expected &e : all) {
    INFO(e.mnemonic);
    const OpcodeInfo *by_opcode = opcode_info(e.opcode);
    REQUIRE(by_opcode);
    CHECK(by_opcode == opcode_info(e.mnemonic));
    CHECK(by_opcode->mnemonic == e.mnemonic);
    CHECK(by_opcode->unit == e.unit);
    CHECK(by_opcode->operands == e.operands);
  }
  CHECK(opcode_info("nop") == nullptr);
  CHECK(opcode_info("") == nullptr);
  CHECK(opcode_info(static_cast<Opcode>(0x7F)) == nullptr);
}

TEST_CASE("encode places fields where isa.h says", "[maia][isa]") {
  Instruction add{Opcode::Add, 1, 2, 3};
  CHECK(encode(add) == (uint64_t{0x06} << 56 | uint64_t{1} << 51 | uint64_t{2} << 46 |
                        uint64_t{3} << 41));
  Instruction dma{Opcode::DmaIn, 31, 30, 29, 28, 27, 26, -1};
  CHECK(encode(dma) == (uint64_t{0x20} << 56 | uint64_t{31} << 51 | uint64_t{30} << 46 |
                        uint64_t{29} << 41 | uint64_t{28} << 36 | uint64_t{27} << 31 |
                        uint64_t{26} << 26 | 0x3FFFFFF));
  Instruction li{Opcode::Li, 5};
  li.imm = kImmMin;
  CHECK(encode(li) == (uint64_t{0x01} << 56 | uint64_t{5} << 51 | 0x2000000));
  CHECK(encode(Instruction{}) == 0);
}

TEST_CASE("decode inverts encode for every opcode", "[maia][isa]") {
  unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (const OpcodeInfo &info : opcode_table()) {
    INFO(info.mnemonic);
    for (int i = 0; i < 500; ++i) {
      Instruction instruction = random_instruction(info, rng);
      INFO(disassemble(instruction));
      std::optional<Instruction> decoded = decode(encode(instruction));
      REQUIRE(decoded);
      REQUIRE(*decoded == instruction);
    }
    if (uses(info, "imm") && numeric_imm(info)) {
      for (int32_t imm : {kImmMin, kImmMax, 0, -1, 1}) {
        Instruction instruction = random_instruction(info, rng);
        instruction.imm = imm;
        REQUIRE(decode(encode(instruction)) == instruction);
      }
    }
  }
}

TEST_CASE("encode rejects fields out of range or unused", "[maia][isa]") {
  for (const OpcodeInfo &info : opcode_table()) {
    INFO(info.mnemonic);
    for (const std::string &name : kSmallFields) {
      Instruction instruction{info.opcode};
      small_field(instruction, name) = uses(info, name) ? 32 : 1;
      Error error = error_of([&] { encode(instruction); });
      CHECK(error.code() == ErrorCode::InvalidArgument);
      CHECK_THAT(error.what(), Contains(name));
      if (uses(info, name))
        CHECK_THAT(error.what(), Contains("is 32, outside 0..31"));
      else
        CHECK_THAT(error.what(), Contains("does not use field " + name));
    }
    Instruction instruction{info.opcode};
    if (!numeric_imm(info)) {
      // An element type or conversion: numbers that name none are refused.
      for (int32_t imm : {0, -7, 13, 0x1ff}) {
        instruction.imm = imm;
        CHECK_THAT(error_of([&] { encode(instruction); }).what(),
                   Contains("field imm") && Contains("names no element type"));
      }
    } else if (uses(info, "imm")) {
      instruction.imm = kImmMax + 1;
      CHECK_THAT(error_of([&] { encode(instruction); }).what(),
                 Contains("field imm") && Contains("33554432, outside -33554432..33554431"));
      instruction.imm = kImmMin - 1;
      CHECK_THAT(error_of([&] { encode(instruction); }).what(), Contains("-33554433"));
    } else {
      instruction.imm = -7;
      CHECK_THAT(error_of([&] { encode(instruction); }).what(),
                 Contains("does not use field imm") && Contains("-7"));
    }
  }
  Error unknown = error_of([] { encode(Instruction{static_cast<Opcode>(0x7F)}); });
  CHECK(unknown.code() == ErrorCode::InvalidArgument);
  CHECK_THAT(unknown.what(), Contains("unknown opcode 0x7f"));
}

TEST_CASE("decode refuses words that are not instructions", "[maia][isa]") {
  unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::set<int> known;
  for (const OpcodeInfo &info : opcode_table())
    known.insert(static_cast<int>(info.opcode));
  for (int byte = 0; byte < 256; ++byte) {
    if (known.count(byte))
      continue;
    INFO("opcode " << byte);
    CHECK_FALSE(decode(uint64_t(byte) << 56));
    CHECK_FALSE(decode(uint64_t(byte) << 56 | (rng() >> 8)));
  }
  // One stray bit in any field the opcode does not read.
  for (const OpcodeInfo &info : opcode_table()) {
    INFO(info.mnemonic);
    Instruction zero{info.opcode};
    if (!numeric_imm(info)) // the smallest valid element type (or conversion)
      zero.imm = imm_form(info.opcode) == ImmForm::Type ? 1 : conversion_imm(ElemType::I8, ElemType::I8);
    uint64_t base = encode(zero);
    for (const std::string &name : kSmallFields)
      if (!uses(info, name))
        CHECK_FALSE(decode(base | uint64_t{1} << shift_of(name)));
    if (!uses(info, "imm"))
      CHECK_FALSE(decode(base | uint64_t{1} << 25));
  }
  // Whatever random words do decode must be exactly what encode would produce.
  for (int i = 0; i < 100000; ++i) {
    uint64_t word = rng();
    if (std::optional<Instruction> decoded = decode(word))
      REQUIRE(encode(*decoded) == word);
  }
}

namespace {

// Every mnemonic, labels before and after their uses, label-only lines, comments, hex
// and negative immediates.
const char *const kEveryMnemonic = R"(# a program that uses every instruction
start:
  arg x1, 0            # A
  arg x2, 1
  pid x3, 0
  nprog x4, 2
  li x5, -0x10
  addi x6, x5, 33554431
  muli x7, x6, -33554432
  shli x8, x7, 3
  ori x9, x8, 0x3ffffff
  add x10, x1, x2
  sub x11, x10, x0
  mul x12, x11, x3
  min x13, x12, x4
loop: blt x3, x4, done
  bge x4, x3, loop
  bne x1, x2, start
  jmp 2
  dma.in x14, x1, x3, x4, x5, 128, s1
  dma.out x1, x14, x3, x4, x5, 0, s2
  wait s1, 1
  mma x15, x14, x16, x3, x4, 64, s3
  vadd x17, x18, x19, x3, s4
  vsub x17, x18, x19, x3, s0
  vmul x17, x18, x19, x3, s4
  vmax x17, x18, x19, x3, s4
  vexp x20, x21, x3, s5
  vcopy x20, x21, x3, s5
  vfill x20, x22, x3, s5
  vcvt.bf16 x23, x20, x3, s6
  vcvt.f32 x24, x23, x3, s6
  vrowmax x25, x24, x3, x4, s7
  vrowsum x26, x24, x3, x4, s7
  vrowsub x27, x24, x25, x3, x4, s7
  vrowdiv x28, x24, x26, x3, x4, s31
  signal s8, 0
  wait s7, 4
  cbar
  cpid x3, 1
  cvtf x9, x4
  vdiv x17, x18, x19, x3, s4
  vsqrt x20, x21, x3, s5
  vrsqrt x20, x21, x3, s5
  verf x20, x21, x3, s5
  vsigmoid x20, x21, x3, s5
  vlog x20, x21, x3, s5
  vrowmul x27, x24, x25, x3, x4, s7
  vcoladd x27, x24, x25, x3, x4, s7
  vcolmul x27, x24, x25, x3, x4, s7
  vfilltail x27, x5, x22, x3, x4, -1, s9
  ldw x10, x1
  div x11, x10, x4
  mma.t x15, x14, x16, x3, x4, 64, s3
done:
  halt
  # the typed vector unit: element types by name, a conversion as from.to
  and x1, x2, x3
  or x1, x2, x3
  xor x1, x2, x3
  shl x1, x2, x3
  shr x1, x2, x3
  shru x1, x2, x3
  dma.add x1, x14, x3, x4, x5, f32, s2
  dma.max x1, x14, x3, x4, x5, i32, s2
  dma.min x1, x14, x3, x4, x5, i64, s2
  dma.xchg x1, x14, x3, x4, x5, f64, s2
  dma.gather x14, x1, x3, x4, x5, bf16, s2
  dma.scatter x1, x14, x3, x4, x0, u16, s2
  dma.add.x x1, x14, x3, x4, x5, f32, s2
  dma.max.x x1, x14, x3, x4, x5, i8, s2
  dma.min.x x1, x14, x3, x4, x5, u64, s2
  dma.xchg.x x1, x14, x3, x4, x5, f16, s2
  dma.cas.x x1, x14, x3, x4, x0, i32, s2
  vt.add x17, x18, x19, x3, i8, s4
  vt.sub x17, x18, x19, x3, i16, s4
  vt.mul x17, x18, x19, x3, i32, s4
  vt.div x17, x18, x19, x3, i64, s4
  vt.rem x17, x18, x19, x3, u8, s4
  vt.max x17, x18, x19, x3, u16, s4
  vt.min x17, x18, x19, x3, u32, s4
  vt.and x17, x18, x19, x3, u64, s4
  vt.or x17, x18, x19, x3, f16, s4
  vt.xor x17, x18, x19, x3, bf16, s4
  vt.shl x17, x18, x19, x3, f32, s4
  vt.shr x17, x18, x19, x3, f64, s4
  vt.shru x17, x18, x19, x3, i8, s4
  vt.lt x17, x18, x19, x3, i16, s4
  vt.le x17, x18, x19, x3, i32, s4
  vt.eq x17, x18, x19, x3, i64, s4
  vt.ne x17, x18, x19, x3, u8, s4
  vt.ltu x17, x18, x19, x3, u16, s4
  vt.leu x17, x18, x19, x3, u32, s4
  vt.sel x17, x18, x19, x3, x20, bf16, s4
  vt.cvt x17, x18, x3, u8.f64, s4
  vt.fill x17, x5, x3, i64, s4
  vt.iota x17, x5, x3, i16, s4
  vt.rowbcast x17, x18, x3, x4, i64, s4
  vt.rowsum x17, x18, x3, x4, u8, s4
  vt.rowmax x17, x18, x3, x4, u16, s4
  vt.rowmin x17, x18, x3, x4, u32, s4
  vt.trans x17, x18, x3, x4, u64, s4
  vt.scansum x17, x18, x3, x4, f16, s4
  vt.scanmax x17, x18, x3, x4, bf16, s4
  vt.scanmin x17, x18, x3, x4, f32, s4
  vt.rowrev x17, x18, x3, x4, f64, s4
  vt.rowargmax x17, x18, x3, x4, i8, s4
  vt.rowargmin x17, x18, x3, x4, bf16, s4
  vt.ger x17, x18, x19, x3, x4, f64, s4
  vt.exp x17, x18, x3, f16, s4
  vt.log x17, x18, x3, bf16, s4
  vt.sqrt x17, x18, x3, f32, s4
  vt.rsqrt x17, x18, x3, f64, s4
  vt.erf x17, x18, x3, f16, s4
  vt.sigmoid x17, x18, x3, bf16, s4
  vt.tanh x17, x18, x3, f32, s4
  vt.sin x17, x18, x3, f64, s4
  vt.cos x17, x18, x3, f16, s4
  vt.exp2 x17, x18, x3, bf16, s4
  vt.log2 x17, x18, x3, f32, s4
  dbg.print x18, x5, x3, i16, s4
  dbg.assert x18, x5, x3, s4
)";

} // namespace

TEST_CASE("assemble reads every mnemonic, labels and comments", "[maia][asm]") {
  Program program = assemble(kEveryMnemonic);
  REQUIRE(program.code.size() == 53 + 65); // then the typed unit's
  REQUIRE(program.source.size() == program.code.size());

  std::set<Opcode> seen;
  for (const Instruction &instruction : program.code)
    seen.insert(instruction.opcode);
  CHECK(seen.size() == opcode_table().size());

  CHECK(program.code[0] == Instruction{Opcode::Arg, 1});
  CHECK(program.source[0] == "arg x1, 0            # A");
  CHECK(program.code[4].imm == -16);
  CHECK(program.code[5].imm == kImmMax);
  CHECK(program.code[6].imm == kImmMin);
  CHECK(program.code[8].imm == -1); // ori's 26-bit mask
  CHECK(disassemble(program.code[8]) == "ori x9, x8, 0x3ffffff");

  // blt at 13 jumps forward to done (52); bge at 14 back to loop (13); bne to start (0).
  CHECK(program.code[13] == Instruction{Opcode::Blt, 0, 3, 4, 0, 0, 0, 39});
  CHECK(program.source[13] == "loop: blt x3, x4, done");
  CHECK(program.code[14].imm == -1);
  CHECK(program.code[15].imm == -15);
  CHECK(program.code[16].imm == 2);
  CHECK(program.code[17] == Instruction{Opcode::DmaIn, 14, 1, 3, 4, 5, 1, 128});
  CHECK(program.code[32] == Instruction{Opcode::VRowSub, 27, 24, 25, 3, 4, 7, 0});
  CHECK(program.code[30] == Instruction{Opcode::VRowMax, 25, 24, 0, 3, 4, 7, 0});
  CHECK(program.code[36] == Instruction{Opcode::Cbar});
  CHECK(program.code[37] == Instruction{Opcode::Cpid, 3, 0, 0, 0, 0, 0, 1});
  CHECK(program.code[38] == Instruction{Opcode::Cvtf, 9, 4});
  CHECK(program.code[48] == Instruction{Opcode::VFillTail, 27, 5, 22, 3, 4, 9, -1});
  CHECK(program.code[50] == Instruction{Opcode::Div, 11, 10, 4});
  CHECK(program.code[52] == Instruction{Opcode::Halt});
  CHECK(program.code[53] == Instruction{Opcode::And, 1, 2, 3});
  CHECK(program.code[59] == Instruction{Opcode::DmaAdd, 1, 14, 3, 4, 5, 2, static_cast<int32_t>(ElemType::F32)});
  CHECK(program.code[64] == Instruction{Opcode::DmaScatter, 1, 14, 3, 4, 0, 2, static_cast<int32_t>(ElemType::U16)});
  CHECK(disassemble(program.code[69]) == "dma.cas.x x1, x14, x3, x4, x0, i32, s2");
  CHECK(program.code[70] == Instruction{Opcode::VtAdd, 17, 18, 19, 3, 0, 4, static_cast<int32_t>(ElemType::I8)});
  CHECK(disassemble(program.code[70 + 20]) == "vt.cvt x17, x18, x3, u8.f64, s4");
}

TEST_CASE("disassembly reassembles to the same program", "[maia][asm]") {
  Program program = assemble(kEveryMnemonic);
  std::string text = disassemble(program);
  Program again = assemble(text);
  CHECK(again.code == program.code);
  CHECK(disassemble(again) == text);
  CHECK(again.source.front() == "arg x1, 0");
  CHECK(text.substr(0, text.find('\n')) == "arg x1, 0");

  unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  Program random;
  for (int i = 0; i < 20; ++i)
    for (const OpcodeInfo &info : opcode_table())
      random.code.push_back(random_instruction(info, rng));
  CHECK(assemble(disassemble(random)).code == random.code);
}

TEST_CASE("assemble accepts empty input and odd spacing", "[maia][asm]") {
  CHECK(assemble("").code.empty());
  CHECK(assemble("\n  # nothing\n\n").code.empty());
  Program program = assemble("a: b:\tadd   x1 ,x2,x3\r\nend:");
  REQUIRE(program.code.size() == 1);
  CHECK(program.code[0] == Instruction{Opcode::Add, 1, 2, 3});
  // A label after the last instruction is a valid branch target.
  CHECK(assemble("jmp end\nend:").code[0].imm == 1);
  CHECK(assemble("li x1, 0X1F").code[0].imm == 31);
}

TEST_CASE("assemble errors name the line, quote it and say why", "[maia][asm]") {
  struct Case {
    const char *text;
    const char *line;
    const char *quoted;
    const char *why;
  };
  const std::vector<Case> cases = {
      {"li x1, 1\nfoo x1", "line 2:", "'foo x1'", "unknown mnemonic 'foo'"},
      {"add x1, x2", "line 1:", "'add x1, x2'", "'add' takes 3 operands (rd, ra, rb), got 2"},
      {"halt x1", "line 1:", "'halt x1'", "'halt' takes no operands, got 1"},
      {"jmp", "line 1:", "'jmp'", "'jmp' takes 1 operand (imm), got 0"},
      {"add x1, x2, x3,", "line 1:", "'add x1, x2, x3,'", "got 4"},
      {"add x1, , x3", "line 1:", "'add x1, , x3'", "missing operand 2 (ra)"},
      {"\n\nadd x1, x32, x2", "line 3:", "'add x1, x32, x2'",
       "register 'x32' out of range (x0..x31)"},
      {"vadd x1, x2, x3, x4, s32", "line 1:", "'vadd x1, x2, x3, x4, s32'",
       "semaphore 's32' out of range (s0..s31)"},
      {"add x1, s2, x3", "line 1:", "'add x1, s2, x3'",
       "expected a register (x0..x31) for ra, got 's2'"},
      {"wait x1, 1", "line 1:", "'wait x1, 1'", "expected a semaphore (s0..s31) for sem, got 'x1'"},
      {"li x1, 33554432", "line 1:", "'li x1, 33554432'",
       "immediate '33554432' out of range (-33554432..33554431)"},
      {"li x1, -33554433", "line 1:", "'li x1, -33554433'", "immediate '-33554433' out of range"},
      {"li x1, 0x2000000", "line 1:", "'li x1, 0x2000000'", "immediate '0x2000000' out of range"},
      {"li x1, 99999999999999999999999", "line 1:", "'li x1, 99999999999999999999999'",
       "out of range"},
      {"ori x1, x1, 0x4000000", "line 1:", "'ori x1, x1, 0x4000000'",
       "immediate '0x4000000' out of range (-33554432..67108863)"},
      {"li x1, 12ab", "line 1:", "'li x1, 12ab'", "expected an immediate or label for imm"},
      {"li x1, x2", "line 1:", "'li x1, x2'", "expected an immediate or label for imm, got 'x2'"},
      {"li x1, top", "line 1:", "'li x1, top'", "'li' takes a number for imm, not label 'top'"},
      {"halt\n\nbne x1, x2, nowhere # far", "line 3:", "'bne x1, x2, nowhere # far'",
       "undefined label 'nowhere'"},
      {"a:\nhalt\n  a: halt", "line 3:", "'a: halt'",
       "duplicate label 'a' (first defined on line 1)"},
      {"x1: halt", "line 1:", "'x1: halt'", "label 'x1' would read as a register"},
  };
  for (const Case &c : cases) {
    INFO(c.text);
    Error error = error_of([&] { assemble(c.text); });
    CHECK(error.code() == ErrorCode::InvalidArgument);
    CHECK_THAT(error.what(), Contains(c.line) && Contains(c.quoted) && Contains(c.why));
  }
}

TEST_CASE("binary images round-trip", "[maia][image]") {
  Program program = assemble(kEveryMnemonic);
  std::vector<uint8_t> bytes = to_binary(program);
  REQUIRE(bytes.size() == 16 + 8 * program.code.size());
  CHECK(std::string(bytes.begin(), bytes.begin() + 4) == "TGMA");
  CHECK(std::vector<uint8_t>(bytes.begin() + 4, bytes.begin() + 16) ==
        std::vector<uint8_t>{2, 0, 0, 0, 53 + 65, 0, 0, 0, 0, 0, 0, 0});
  // Little-endian: the opcode byte of word 0 (arg, 0x10) is its last byte.
  CHECK(bytes[16 + 7] == 0x10);

  Program loaded = from_binary(bytes);
  CHECK(loaded.code == program.code);
  CHECK(loaded.source.empty());
  CHECK(from_binary(to_binary(Program{})).code.empty());
  CHECK(loaded.grid_mapping == GridMapping::Direct);

  // The grid mapping travels in the header and in the text form.
  Program squares = assemble(".grid cluster-squares\n  cbar\n  halt\n");
  CHECK(squares.grid_mapping == GridMapping::ClusterSquares);
  std::vector<uint8_t> squareBytes = to_binary(squares);
  CHECK(squareBytes[12] == 1);
  CHECK(from_binary(squareBytes).grid_mapping == GridMapping::ClusterSquares);
  CHECK(assemble(disassemble(squares)).grid_mapping == GridMapping::ClusterSquares);
  CHECK_THAT(error_of([] { assemble("halt\n.grid cluster-squares\n"); }).what(),
             Contains("line 2: `.grid` must come before the first instruction"));
  CHECK_THAT(error_of([] { assemble(".grid diagonal\n"); }).what(), Contains("line 1: unknown directive"));

  Program bad;
  bad.code.push_back(Instruction{Opcode::Li, 40});
  CHECK(error_of([&] { to_binary(bad); }).code() == ErrorCode::InvalidArgument);
}

TEST_CASE("corrupt binary images are load errors", "[maia][image]") {
  const std::vector<uint8_t> good = to_binary(assemble("li x1, 1\nadd x2, x1, x1\nhalt"));
  auto expect = [](std::vector<uint8_t> bytes, const std::string &why) {
    INFO(why);
    Error error = error_of([&] { from_binary(bytes); });
    CHECK(error.code() == ErrorCode::LoadError);
    CHECK_THAT(error.what(), Contains(why));
  };

  expect({}, "0 bytes is shorter than the 16-byte header");
  expect(std::vector<uint8_t>(good.begin(), good.begin() + 15), "15 bytes is shorter");

  std::vector<uint8_t> magic = good;
  magic[3] = 'B';
  expect(magic, "bad magic 0x424d4754");

  std::vector<uint8_t> version = good;
  version[4] = 1;
  expect(version, "version 1 is not supported");

  expect(std::vector<uint8_t>(good.begin(), good.end() - 1),
         "header says 3 words (24 bytes) but 23 bytes follow it");
  std::vector<uint8_t> longer = good;
  longer.insert(longer.end(), 8, 0);
  expect(longer, "but 32 bytes follow it");
  std::vector<uint8_t> count = good;
  count[11] = 0x80;
  expect(count, "header says 2147483651 words");
  std::vector<uint8_t> mapping = good;
  mapping[12] = 7;
  expect(mapping, "grid mapping 7 is not known");

  std::vector<uint8_t> opcode = good;
  opcode[16 + 8 * 2 + 7] = 0xFF; // word 2's opcode byte
  expect(opcode, "word 2 (0xff00000000000000) is not a valid instruction");
  std::vector<uint8_t> unused = good;
  unused[16 + 8 * 1] = 1; // an imm bit in add, which has none
  expect(unused, "word 1 (0x0610420000000001) is not a valid instruction");
}
