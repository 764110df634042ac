#include "checks.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <string>

namespace tegula::kernels {

namespace detail {

void require_not_negative(const char *kernel, const char *what, int64_t value) {
  if (value < 0)
    throw Error(ErrorCode::InvalidArgument,
                std::string(kernel) + ": " + what + " must not be negative, got " + std::to_string(value));
}

void require_positive(const char *kernel, const char *what, int64_t value) {
  if (value < 1)
    throw Error(ErrorCode::InvalidArgument,
                std::string(kernel) + ": " + what + " must be positive, got " + std::to_string(value));
}

void require_block(const char *kernel, const char *field, int64_t value) {
  if (value < 1)
    throw Error(ErrorCode::InvalidArgument, std::string(kernel) + ": configuration field " + field +
                                                " must be at least 1, got " + std::to_string(value));
}

int64_t element_count(const char *kernel, std::initializer_list<int64_t> sizes) {
  int64_t count = 1;
  for (int64_t s : sizes)
    if (__builtin_mul_overflow(count, s, &count))
      throw Error(ErrorCode::InvalidArgument, std::string(kernel) + ": the sizes give more than 2^63 elements");
  return count;
}

int default_num_warps(const std::string &target, int64_t elements) {
  const TargetDescription d = describe_target(target);
  if (d.warp_size <= 1)
    return 0;
  int64_t most = 8;
  if (auto it = d.attributes.find("max_threads"); it != d.attributes.end())
    most = std::min<int64_t>(most, std::stoll(it->second) / d.warp_size);
  int64_t warps = 1;
  while (warps * 2 <= most && warps * 2 * d.warp_size * 8 <= elements)
    warps *= 2;
  return static_cast<int>(warps);
}

} // namespace detail

void require_buffer(const Buffer &buffer, DType dtype, int64_t count, const char *kernel, const char *name) {
  if (count == 0 && buffer.empty())
    return; // nothing is read or written: an empty (or null) buffer is fine
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
