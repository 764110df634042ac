#include "tegula/runtime/dtype.h"

#include <array>

namespace tegula {
namespace {
struct DTypeRow {
  DType dtype;
  std::string_view name;
  size_t size;
  bool is_float;
};
constexpr std::array<DTypeRow, 8> kTable{{
    {DType::F32, "f32", 4, true},
    {DType::F16, "f16", 2, true},
    {DType::BF16, "bf16", 2, true},
    {DType::F64, "f64", 8, true},
    {DType::I1, "i1", 1, false},
    {DType::I8, "i8", 1, false},
    {DType::I32, "i32", 4, false},
    {DType::I64, "i64", 8, false},
}};
const DTypeRow &row(DType dtype) { return kTable[static_cast<size_t>(dtype)]; }
} // namespace

size_t dtype_size(DType dtype) { return row(dtype).size; }
std::string_view dtype_name(DType dtype) { return row(dtype).name; }
bool dtype_is_float(DType dtype) { return row(dtype).is_float; }

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const DTypeRow &r : kTable)
    if (r.name == name)
      return r.dtype;
  return std::nullopt;
}
} // namespace tegula
