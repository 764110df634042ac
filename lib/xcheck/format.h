// Number formats the records and comparisons share.
#ifndef TEGULA_LIB_XCHECK_FORMAT_H
#define TEGULA_LIB_XCHECK_FORMAT_H

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>

namespace tegula::xcheck::detail {

/// 16 hex digits, as the records write hashes.
inline std::string hex(uint64_t value) {
  char text[20];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

/// A double with every digit it needs to read back the same.
inline std::string number(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

} // namespace tegula::xcheck::detail

#endif
