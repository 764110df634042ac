// Element types as the runtime sees them. No LLVM or MLIR here.
#ifndef TEGULA_RUNTIME_DTYPE_H
#define TEGULA_RUNTIME_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tegula {

enum class DType : uint8_t { F32, F16, BF16, F64, I1, I8, I32, I64 };

/// Bytes per element as stored in memory (i1 is a byte).
size_t dtype_size(DType dtype);
/// Short name: "f32", "bf16", "i32", ...
std::string_view dtype_name(DType dtype);
std::optional<DType> dtype_from_name(std::string_view name);
bool dtype_is_float(DType dtype);

} // namespace tegula

#endif
