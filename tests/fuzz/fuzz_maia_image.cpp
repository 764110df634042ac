// The Maia program-image loader and the instruction decoder: any bytes are either
// refused with Error(LoadError) or give a program that prints, re-encodes to the same
// image and decodes word by word.
#include "fuzz_common.h"

#include "tegula/maia/isa.h"

#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace tegula::maia;
  for (size_t i = 0; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    if (auto instruction = decode(word))
      tegula::fuzz::require(encode(*instruction) == word, "decode then encode gives the word back");
  }
  std::vector<uint8_t> bytes(data, data + size);
  tegula::fuzz::expect_clean_refusal([&] {
    Program program = from_binary(bytes);
    (void)disassemble(program);
    tegula::fuzz::require(from_binary(to_binary(program)).code.size() == program.code.size(),
                          "a loaded image writes and loads back");
  });
  return 0;
}
