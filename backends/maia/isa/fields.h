// The instruction fields as the encoder, decoder and assembler see them. The opcode
// table names each opcode's fields as text ("rd,ra,imm") so that it reads like the
// assembler syntax; this header turns that text into something code can iterate.
#ifndef TEGULA_BACKENDS_MAIA_ISA_FIELDS_H
#define TEGULA_BACKENDS_MAIA_ISA_FIELDS_H

#include "tegula/maia/isa.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace tegula::maia::detail {

enum class Field : uint8_t { Rd, Ra, Rb, Rc, Re, Sem, Imm };

inline constexpr std::array<Field, 7> kAllFields = {Field::Rd,  Field::Ra,  Field::Rb, Field::Rc,
                                                    Field::Re,  Field::Sem, Field::Imm};

inline constexpr std::string_view field_name(Field field) {
  switch (field) {
  case Field::Rd: return "rd";
  case Field::Ra: return "ra";
  case Field::Rb: return "rb";
  case Field::Rc: return "rc";
  case Field::Re: return "re";
  case Field::Sem: return "sem";
  case Field::Imm: return "imm";
  }
  return "?";
}

/// An opcode's operand fields in assembler order. At most seven, so no allocation.
struct OperandFields {
  std::array<Field, 7> fields{};
  int size = 0;

  const Field *begin() const { return fields.data(); }
  const Field *end() const { return fields.data() + size; }
  bool contains(Field field) const {
    for (Field f : *this)
      if (f == field)
        return true;
    return false;
  }
};

/// Splits an OpcodeInfo::operands string. The table is fixed and checked by the unit
/// tests, so a name that is not a field is a programming error; it is skipped here.
inline OperandFields operand_fields(std::string_view operands) {
  OperandFields result;
  while (!operands.empty()) {
    size_t comma = operands.find(',');
    std::string_view name = operands.substr(0, comma);
    operands = comma == std::string_view::npos ? std::string_view() : operands.substr(comma + 1);
    if ((name == "type" || name == "types") && result.size < 7) { // imm in another spelling
      result.fields[result.size++] = Field::Imm;
      continue;
    }
    for (Field field : kAllFields)
      if (field_name(field) == name && result.size < 7)
        result.fields[result.size++] = field;
  }
  return result;
}

/// The 5-bit fields of an instruction, by name; imm is handled separately because it
/// is signed and wider. A template so that one switch serves const and mutable access.
template <typename InstructionT> auto &small_field(InstructionT &instruction, Field field) {
  switch (field) {
  case Field::Rd: return instruction.rd;
  case Field::Ra: return instruction.ra;
  case Field::Rb: return instruction.rb;
  case Field::Rc: return instruction.rc;
  case Field::Re: return instruction.re;
  default: return instruction.sem;
  }
}

} // namespace tegula::maia::detail

#endif
