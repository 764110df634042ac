// The kernel-info record an AOT shared object carries (read by the runtime's loader):
// any text is either refused with Error(LoadError) naming the line, or gives a
// signature that serializes and parses back to itself.
#include "fuzz_common.h"

#include "tegula/runtime/kernel.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  tegula::fuzz::expect_clean_refusal([&] {
    tegula::KernelInfo info = tegula::KernelInfo::parse(text);
    std::string written = info.serialize();
    tegula::fuzz::require(tegula::KernelInfo::parse(written).serialize() == written,
                          "serialize/parse is a fixed point");
  });
  return 0;
}
