// The AOT bundle loader (the runtime's Bundle::parse, with the cuda driver's reader of
// its executables): any bytes are either refused with Error(LoadError) naming the entry
// and field, or give a bundle that serializes and parses back to the same bytes.
#include "fuzz_common.h"

#include "tegula/runtime/bundle.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  tegula::fuzz::expect_clean_refusal([&] {
    tegula::Bundle bundle = tegula::Bundle::parse(bytes);
    std::string written = bundle.serialize();
    tegula::fuzz::require(tegula::Bundle::parse(written).serialize() == written, "serialize/parse is a fixed point");
  });
  return 0;
}
