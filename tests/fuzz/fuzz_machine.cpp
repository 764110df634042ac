// The machine-description parser: any text is either refused with Error naming the
// line and key, or gives a description that serializes and parses back to itself.
#include "fuzz_common.h"

#include "tegula/maia/machine.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace tegula::maia;
  std::string text(reinterpret_cast<const char *>(data), size);
  tegula::fuzz::expect_clean_refusal([&] {
    MachineSpec spec = MachineSpec::parse(text);
    std::string written = spec.serialize();
    tegula::fuzz::require(MachineSpec::parse(written).serialize() == written, "serialize/parse is a fixed point");
  });
  return 0;
}
