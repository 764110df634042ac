#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

namespace tegula::kernels {

void require_buffer(const Buffer &buffer, DType dtype, int64_t count, const char *kernel, const char *name) {
  if (buffer.empty())
    throw Error(ErrorCode::NullBuffer, std::string(kernel) + ": buffer '" + name + "' is null or empty");
  if (buffer.dtype() != dtype)
    throw Error(ErrorCode::DTypeMismatch, std::string(kernel) + ": buffer '" + name + "' holds " +
                                              std::string(dtype_name(buffer.dtype())) + ", expected " +
                                              std::string(dtype_name(dtype)));
  if (count < 0 || static_cast<uint64_t>(count) > buffer.count())
    throw Error(ErrorCode::BufferTooSmall, std::string(kernel) + ": buffer '" + name + "' has " +
                                               std::to_string(buffer.count()) + " elements, the shapes need " +
                                               std::to_string(count));
}

} // namespace tegula::kernels
