// The Maia assembler: any text is either refused with Error(InvalidArgument) naming the
// line, or assembles to a program whose printed form assembles to the same words.
#include "fuzz_common.h"

#include "tegula/maia/isa.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace tegula::maia;
  std::string_view text(reinterpret_cast<const char *>(data), size);
  tegula::fuzz::expect_clean_refusal([&] {
    Program program = assemble(text);
    Program again = assemble(disassemble(program));
    tegula::fuzz::require(again.code.size() == program.code.size(), "disassembly has as many instructions");
    for (size_t i = 0; i < program.code.size(); ++i)
      tegula::fuzz::require(encode(again.code[i]) == encode(program.code[i]), "disassembly assembles to the same word");
    tegula::fuzz::require(again.grid_mapping == program.grid_mapping, "disassembly keeps the grid mapping");
  });
  return 0;
}
