// xcheck's JSON reader: any text is either refused with Error(LoadError) or gives
// records that write and read back to the same JSON.
#include "fuzz_common.h"

#include "tegula/xcheck/xcheck.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace tegula::xcheck;
  std::string text(reinterpret_cast<const char *>(data), size);
  tegula::fuzz::expect_clean_refusal([&] {
    std::vector<Record> records = from_json(text);
    std::string written = to_json(records);
    tegula::fuzz::require(to_json(from_json(written)) == written, "to_json/from_json is a fixed point");
  });
  return 0;
}
