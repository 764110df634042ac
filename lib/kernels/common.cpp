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

const char *mutation_name(Mutation mutation) {
  switch (mutation) {
  case Mutation::None: return "none";
  case Mutation::TransposedOperand: return "transposed-operand";
  case Mutation::MaskOffByOne: return "mask-off-by-one";
  case Mutation::DroppedScale: return "dropped-scale";
  }
  return "?";
}

Mutation parse_mutation(const std::string &name) {
  for (Mutation m : {Mutation::None, Mutation::TransposedOperand, Mutation::MaskOffByOne, Mutation::DroppedScale})
    if (name == mutation_name(m))
      return m;
  throw Error(ErrorCode::InvalidArgument, "unknown mutation '" + name +
                                              "' (transposed-operand, mask-off-by-one, dropped-scale or none)");
}

} // namespace tegula::kernels
