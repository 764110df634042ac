// The text and binary forms of Maia programs.
//
// The assembler is for tests, hand-written kernels and reading compiler output, so its
// errors always say which line is wrong, quote it and say why. Its text form is exactly
// what disassemble prints, plus labels and comments, so any disassembly reassembles to
// the same words.
#include "fields.h"

#include "tegula/maia/isa.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

namespace tegula::maia {

using detail::Field;

namespace {

constexpr int64_t kImmSpan = int64_t{1} << 26;

/// ori zero-extends its immediate, so its natural spelling is an unsigned 26-bit mask;
/// it is stored in the same signed field, so values above kImmMax wrap.
constexpr int64_t imm_max(Opcode opcode) {
  return opcode == Opcode::Ori ? kImmSpan - 1 : kImmMax;
}

/// pc-relative instructions, whose immediate may be written as a label.
bool is_branch(Opcode opcode) {
  return opcode == Opcode::Blt || opcode == Opcode::Bge || opcode == Opcode::Bne ||
         opcode == Opcode::Jmp;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

/// Length of the identifier at the start of `text`, or 0 if there is none.
size_t identifier_length(std::string_view text) {
  if (text.empty() || !is_ident_start(text.front()))
    return 0;
  size_t n = 1;
  while (n < text.size() && is_ident_char(text[n]))
    ++n;
  return n;
}

bool is_identifier(std::string_view text) {
  return !text.empty() && identifier_length(text) == text.size();
}

/// "x7" / "s7" with any number of digits; the value is clamped so that a huge index
/// still reads as out of range rather than as something else.
std::optional<int64_t> indexed_name(std::string_view text, char prefix) {
  if (text.size() < 2 || text.front() != prefix)
    return std::nullopt;
  int64_t value = 0;
  for (char c : text.substr(1)) {
    if (!is_digit(c))
      return std::nullopt;
    value = std::min<int64_t>(value * 10 + (c - '0'), 1 << 20);
  }
  return value;
}

/// Decimal or 0x hex, optionally negative. Magnitudes beyond any immediate are clamped
/// (the caller only range-checks), so overflow cannot wrap into range.
std::optional<int64_t> parse_number(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative)
    text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty())
    return std::nullopt;
  constexpr int64_t kClamp = int64_t{1} << 40;
  int64_t value = 0;
  for (char c : text) {
    int digit;
    if (is_digit(c))
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      return std::nullopt;
    value = std::min(value * base + digit, kClamp);
  }
  return negative ? -value : value;
}

class Assembler {
public:
  Program run(std::string_view text);

private:
  struct Label {
    size_t pc;
    int line;
  };
  /// A branch whose target was a label, patched once every label is known.
  struct Fixup {
    size_t pc;
    std::string label;
    int line;
    std::string text;
  };

  void assemble_line(std::string_view line);
  void define_label(std::string_view name);
  void parse_instruction(std::string_view code);
  void parse_directive(std::string_view code);
  uint8_t parse_small(std::string_view operand, Field field);
  void parse_imm(std::string_view operand, Instruction &instruction);
  [[noreturn]] void fail(const std::string &why) const { fail_at(line_, text_, why); }
  [[noreturn]] static void fail_at(int line, std::string_view text, const std::string &why) {
    throw Error(ErrorCode::InvalidArgument,
                "line " + std::to_string(line) + ": " + why + " in '" + std::string(text) + "'");
  }

  Program program_;
  std::map<std::string, Label, std::less<>> labels_;
  std::vector<Fixup> fixups_;
  int line_ = 0;
  std::string_view text_; ///< the current line, trimmed, for messages and Program::source
};

Program Assembler::run(std::string_view text) {
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_;
    assemble_line(line);
  }
  for (const Fixup &fixup : fixups_) {
    auto found = labels_.find(fixup.label);
    if (found == labels_.end())
      fail_at(fixup.line, fixup.text, "undefined label '" + fixup.label + "'");
    int64_t offset = static_cast<int64_t>(found->second.pc) - static_cast<int64_t>(fixup.pc);
    if (offset < kImmMin || offset > kImmMax)
      fail_at(fixup.line, fixup.text,
              "label '" + fixup.label + "' is " + std::to_string(offset) +
                  " instructions away, beyond the branch range");
    program_.code[fixup.pc].imm = static_cast<int32_t>(offset);
  }
  return std::move(program_);
}

void Assembler::assemble_line(std::string_view line) {
  text_ = trim(line);
  std::string_view code = trim(text_.substr(0, text_.find('#')));
  // Any number of `name:` prefixes, each naming the next instruction.
  for (size_t n = identifier_length(code); n != 0 && n < code.size() && code[n] == ':';
       n = identifier_length(code)) {
    define_label(code.substr(0, n));
    code = trim(code.substr(n + 1));
  }
  if (code.empty())
    return;
  if (code.front() == '.') {
    parse_directive(code);
    return;
  }
  parse_instruction(code);
}

void Assembler::parse_directive(std::string_view code) {
  if (code != ".grid cluster-squares" && code != ".grid direct")
    fail("unknown directive (the one directive is `.grid cluster-squares` or `.grid direct`)");
  if (!program_.code.empty())
    fail("`.grid` must come before the first instruction");
  program_.grid_mapping = code == ".grid direct" ? GridMapping::Direct : GridMapping::ClusterSquares;
}

void Assembler::define_label(std::string_view name) {
  if (indexed_name(name, 'x') || indexed_name(name, 's'))
    fail("label '" + std::string(name) + "' would read as a register or semaphore");
  auto [it, inserted] = labels_.try_emplace(std::string(name), Label{program_.code.size(), line_});
  if (!inserted)
    fail("duplicate label '" + std::string(name) + "' (first defined on line " +
         std::to_string(it->second.line) + ")");
}

void Assembler::parse_instruction(std::string_view code) {
  size_t end = 0;
  while (end < code.size() && !is_space(code[end]))
    ++end;
  std::string_view mnemonic = code.substr(0, end);
  std::string_view rest = trim(code.substr(end));
  const OpcodeInfo *info = opcode_info(mnemonic);
  if (!info)
    fail("unknown mnemonic '" + std::string(mnemonic) + "'");

  std::vector<std::string_view> operands;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    operands.push_back(trim(rest.substr(0, comma)));
    if (comma == std::string_view::npos)
      break;
    rest = rest.substr(comma + 1);
    if (trim(rest).empty())
      operands.push_back({}); // a trailing comma is a missing operand
  }

  detail::OperandFields fields = detail::operand_fields(info->operands);
  std::string op = "'" + std::string(info->mnemonic) + "'";
  if (static_cast<int>(operands.size()) != fields.size) {
    std::string expected = "no operands";
    if (fields.size != 0) {
      expected = std::to_string(fields.size) + (fields.size == 1 ? " operand (" : " operands (");
      for (int i = 0; i < fields.size; ++i)
        expected += (i ? ", " : "") + std::string(detail::field_name(fields.fields[i]));
      expected += ")";
    }
    fail(op + " takes " + expected + ", got " + std::to_string(operands.size()));
  }

  Instruction instruction;
  instruction.opcode = info->opcode;
  for (int i = 0; i < fields.size; ++i) {
    Field field = fields.fields[i];
    if (operands[i].empty())
      fail("missing operand " + std::to_string(i + 1) + " (" +
           std::string(detail::field_name(field)) + ") of " + op);
    if (field == Field::Imm)
      parse_imm(operands[i], instruction);
    else
      detail::small_field(instruction, field) = parse_small(operands[i], field);
  }
  program_.code.push_back(instruction);
  program_.source.emplace_back(text_);
}

uint8_t Assembler::parse_small(std::string_view operand, Field field) {
  bool is_sem = field == Field::Sem;
  char prefix = is_sem ? 's' : 'x';
  int64_t limit = is_sem ? kSemaphores : kRegisters;
  std::string kind = is_sem ? "semaphore" : "register";
  std::string range = std::string(1, prefix) + "0.." + prefix + std::to_string(limit - 1);
  std::optional<int64_t> index = indexed_name(operand, prefix);
  if (!index)
    fail("expected a " + kind + " (" + range + ") for " + std::string(detail::field_name(field)) +
         ", got '" + std::string(operand) + "'");
  if (*index >= limit)
    fail(kind + " '" + std::string(operand) + "' out of range (" + range + ")");
  return static_cast<uint8_t>(*index);
}

void Assembler::parse_imm(std::string_view operand, Instruction &instruction) {
  std::string op = "'" + std::string(opcode_info(instruction.opcode)->mnemonic) + "'";
  switch (imm_form(instruction.opcode)) {
  case ImmForm::Number: break;
  case ImmForm::Type: {
    std::optional<ElemType> type = parse_elem(operand);
    if (!type)
      fail(op + " takes an element type (i8, i16, i32, i64, u8, u16, u32, u64, f16, bf16, f32, f64), got '" +
           std::string(operand) + "'");
    instruction.imm = static_cast<int32_t>(*type);
    return;
  }
  case ImmForm::Conversion: {
    size_t dot = operand.find('.');
    std::optional<ElemType> from, to;
    if (dot != std::string_view::npos) {
      from = parse_elem(operand.substr(0, dot));
      to = parse_elem(operand.substr(dot + 1));
    }
    if (!from || !to)
      fail(op + " takes a conversion written `from.to` (as i32.f32), got '" + std::string(operand) + "'");
    instruction.imm = conversion_imm(*from, *to);
    return;
  }
  }
  if (is_identifier(operand) && !indexed_name(operand, 'x') && !indexed_name(operand, 's')) {
    if (!is_branch(instruction.opcode))
      fail(op + " takes a number for imm, not label '" + std::string(operand) +
           "' (labels are branch targets)");
    fixups_.push_back(Fixup{program_.code.size(), std::string(operand), line_, std::string(text_)});
    return;
  }
  std::optional<int64_t> value = parse_number(operand);
  if (!value)
    fail("expected an immediate or label for imm, got '" + std::string(operand) + "'");
  int64_t max = imm_max(instruction.opcode);
  if (*value < kImmMin || *value > max)
    fail("immediate '" + std::string(operand) + "' out of range (" + std::to_string(kImmMin) +
         ".." + std::to_string(max) + ")");
  instruction.imm = static_cast<int32_t>(*value > kImmMax ? *value - kImmSpan : *value);
}

// --- binary image -------------------------------------------------------------------

constexpr char kMagic[4] = {'T', 'G', 'M', 'A'};
constexpr uint32_t kVersion = 2;
constexpr size_t kHeaderBytes = 16;

template <typename T> void put_le(std::vector<uint8_t> &out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

template <typename T> T get_le(const uint8_t *bytes) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<T>(bytes[i]) << (8 * i);
  return value;
}

[[noreturn]] void load_error(const std::string &why) {
  throw Error(ErrorCode::LoadError, "maia program image: " + why);
}

std::string hex(uint64_t value, int digits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%0*llx", digits, static_cast<unsigned long long>(value));
  return text;
}

} // namespace

Program assemble(std::string_view text) { return Assembler().run(text); }

std::string disassemble(const Instruction &instruction) {
  const OpcodeInfo *info = opcode_info(instruction.opcode);
  if (!info)
    throw Error(ErrorCode::InvalidArgument,
                "disassemble: unknown opcode " + hex(static_cast<uint8_t>(instruction.opcode), 2));
  std::string text(info->mnemonic);
  const char *separator = " ";
  for (Field field : detail::operand_fields(info->operands)) {
    text += separator;
    separator = ", ";
    if (field == Field::Imm) {
      // Print ori's mask the way it is meant: unsigned, in hex.
      ImmForm form = imm_form(instruction.opcode);
      if (form != ImmForm::Number && imm_valid(form, instruction.imm)) {
        if (form == ImmForm::Type)
          text += elem_name(static_cast<ElemType>(instruction.imm));
        else
          text += std::string(elem_name(static_cast<ElemType>(instruction.imm & 0xf))) + "." +
                  std::string(elem_name(static_cast<ElemType>(instruction.imm >> 4)));
        continue;
      }
      if (instruction.opcode == Opcode::Ori)
        text += hex(static_cast<uint64_t>(instruction.imm) & (kImmSpan - 1), 1);
      else
        text += std::to_string(instruction.imm);
      continue;
    }
    text += field == Field::Sem ? 's' : 'x';
    text += std::to_string(detail::small_field(instruction, field));
  }
  return text;
}

std::string disassemble(const Program &program) {
  std::string text = program.grid_mapping == GridMapping::ClusterSquares ? ".grid cluster-squares\n" : "";
  for (const Instruction &instruction : program.code)
    text += disassemble(instruction) + "\n";
  return text;
}

std::vector<uint8_t> to_binary(const Program &program) {
  if (program.code.size() > std::numeric_limits<uint32_t>::max())
    throw Error(ErrorCode::InvalidArgument, "to_binary: program has too many instructions (" +
                                                std::to_string(program.code.size()) + ")");
  std::vector<uint8_t> bytes(std::begin(kMagic), std::end(kMagic));
  bytes.reserve(kHeaderBytes + 8 * program.code.size());
  put_le<uint32_t>(bytes, kVersion);
  put_le<uint32_t>(bytes, static_cast<uint32_t>(program.code.size()));
  put_le<uint32_t>(bytes, static_cast<uint32_t>(program.grid_mapping));
  for (const Instruction &instruction : program.code)
    put_le<uint64_t>(bytes, encode(instruction));
  return bytes;
}

Program from_binary(const std::vector<uint8_t> &bytes) {
  if (bytes.size() < kHeaderBytes)
    load_error(std::to_string(bytes.size()) + " bytes is shorter than the " +
               std::to_string(kHeaderBytes) + "-byte header");
  if (!std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin()))
    load_error("bad magic " + hex(get_le<uint32_t>(bytes.data()), 8) + ", expected \"TGMA\"");
  uint32_t version = get_le<uint32_t>(bytes.data() + 4);
  if (version != kVersion)
    load_error("version " + std::to_string(version) + " is not supported (expected " +
               std::to_string(kVersion) + ")");
  uint64_t count = get_le<uint32_t>(bytes.data() + 8);
  uint64_t body = bytes.size() - kHeaderBytes;
  if (body != 8 * count)
    load_error("header says " + std::to_string(count) + " words (" + std::to_string(8 * count) +
               " bytes) but " + std::to_string(body) + " bytes follow it");

  uint32_t mapping = get_le<uint32_t>(bytes.data() + 12);
  if (mapping > static_cast<uint32_t>(GridMapping::ClusterSquares))
    load_error("grid mapping " + std::to_string(mapping) + " is not known (0: direct, 1: cluster squares)");

  Program program;
  program.grid_mapping = static_cast<GridMapping>(mapping);
  program.code.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t word = get_le<uint64_t>(bytes.data() + kHeaderBytes + 8 * i);
    std::optional<Instruction> instruction = decode(word);
    if (!instruction)
      load_error("word " + std::to_string(i) + " (" + hex(word, 16) +
                 ") is not a valid instruction");
    program.code.push_back(*instruction);
  }
  return program;
}

} // namespace tegula::maia
