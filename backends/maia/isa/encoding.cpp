// Packing instructions into 64-bit words and back (layout in tegula/maia/isa.h).
//
// Encoding is strict: a field the opcode does not use must be zero. Silently dropping
// it would make decode(encode(i)) differ from i, and a nonzero unused field is almost
// always a bug in whatever built the instruction.
#include "fields.h"

#include "tegula/maia/isa.h"
#include "tegula/runtime/error.h"

#include <cstdio>

namespace tegula::maia {

using detail::Field;

namespace {

constexpr int kOpcodeShift = 56;
constexpr int kImmBits = 26;
constexpr uint64_t kSmallMask = 0x1F;
constexpr uint64_t kImmMask = (uint64_t{1} << kImmBits) - 1;

/// Bit position of each 5-bit field's least significant bit.
constexpr int shift_of(Field field) {
  switch (field) {
  case Field::Rd: return 51;
  case Field::Ra: return 46;
  case Field::Rb: return 41;
  case Field::Rc: return 36;
  case Field::Re: return 31;
  case Field::Sem: return 26;
  case Field::Imm: return 0;
  }
  return 0;
}

std::string hex_byte(uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", value);
  return text;
}

[[noreturn]] void fail(const std::string &message) {
  throw Error(ErrorCode::InvalidArgument, "encode: " + message);
}

} // namespace

uint64_t encode(const Instruction &instruction) {
  const OpcodeInfo *info = opcode_info(instruction.opcode);
  if (!info)
    fail("unknown opcode " + hex_byte(static_cast<uint8_t>(instruction.opcode)));
  std::string op = "'" + std::string(info->mnemonic) + "'";
  detail::OperandFields used = detail::operand_fields(info->operands);

  uint64_t word = uint64_t{static_cast<uint8_t>(instruction.opcode)} << kOpcodeShift;
  for (Field field : detail::kAllFields) {
    int64_t value = field == Field::Imm ? instruction.imm : detail::small_field(instruction, field);
    std::string name(detail::field_name(field));
    if (!used.contains(field)) {
      if (value != 0)
        fail(op + " does not use field " + name + ", which must be 0 but is " +
             std::to_string(value));
      continue;
    }
    if (field == Field::Imm) {
      if (value < kImmMin || value > kImmMax)
        fail("field imm of " + op + " is " + std::to_string(value) + ", outside " +
             std::to_string(kImmMin) + ".." + std::to_string(kImmMax));
      if (!imm_valid(imm_form(instruction.opcode), static_cast<int32_t>(value)))
        fail("field imm of " + op + " is " + std::to_string(value) + ", which names no element type");
      word |= static_cast<uint64_t>(value) & kImmMask;
      continue;
    }
    int limit = field == Field::Sem ? kSemaphores : kRegisters;
    if (value >= limit)
      fail("field " + name + " of " + op + " is " + std::to_string(value) + ", outside 0.." +
           std::to_string(limit - 1));
    word |= static_cast<uint64_t>(value) << shift_of(field);
  }
  return word;
}

std::optional<Instruction> decode(uint64_t word) {
  const OpcodeInfo *info = opcode_info(static_cast<Opcode>(word >> kOpcodeShift));
  if (!info)
    return std::nullopt;
  detail::OperandFields used = detail::operand_fields(info->operands);

  Instruction instruction;
  instruction.opcode = info->opcode;
  for (Field field : detail::kAllFields) {
    if (field == Field::Imm) {
      uint64_t bits = word & kImmMask;
      if (!used.contains(field)) {
        if (bits)
          return std::nullopt;
        continue;
      }
      // Sign-extend from 26 bits.
      int64_t value = static_cast<int64_t>(bits ^ (uint64_t{1} << (kImmBits - 1))) -
                      (int64_t{1} << (kImmBits - 1));
      instruction.imm = static_cast<int32_t>(value);
      if (!imm_valid(imm_form(info->opcode), instruction.imm))
        return std::nullopt;
      continue;
    }
    auto bits = static_cast<uint8_t>((word >> shift_of(field)) & kSmallMask);
    if (!used.contains(field)) {
      if (bits)
        return std::nullopt;
      continue;
    }
    detail::small_field(instruction, field) = bits;
  }
  return instruction;
}

} // namespace tegula::maia
