// Host-side checks the library kernels' launches share, so that every kernel follows
// one rule for misuse (docs/errors.md): negative sizes and zero block sizes are
// refused naming the field, an empty output is a no-op, element counts never overflow.
// Also the rules the default configurations share.
#ifndef TEGULA_LIB_KERNELS_CHECKS_H
#define TEGULA_LIB_KERNELS_CHECKS_H

#include <cstdint>
#include <initializer_list>
#include <string>

namespace tegula::kernels::detail {

/// Throws Error(InvalidArgument) "<kernel>: <what> must not be negative, got <value>".
void require_not_negative(const char *kernel, const char *what, int64_t value);
/// For sizes that are a reduction's length or a weight's width, where zero has no
/// meaning the kernel computes: throws Error(InvalidArgument) naming them.
void require_positive(const char *kernel, const char *what, int64_t value);
/// A configuration's block size (a meta-parameter): at least 1, checked before tracing
/// so that the error names the field rather than a line of the kernel's source.
void require_block(const char *kernel, const char *field, int64_t value);
/// The product of sizes; throws Error(InvalidArgument) when it does not fit int64.
int64_t element_count(const char *kernel, std::initializer_list<int64_t> sizes);

/// The warps for a program instance of `elements` on `target`: 0 where the target has
/// no warps; else a power of two that gives each thread at least 8 elements (two
/// 16-byte vectors of f32 in flight), from 1 to 8 warps and within the target's block.
int default_num_warps(const std::string &target, int64_t elements);

} // namespace tegula::kernels::detail

#endif
