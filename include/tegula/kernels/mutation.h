// Deliberate mistakes a library kernel can be traced with, to show that the checks
// catch them (`tegula xcheck --mutate`). A mutation is a compile-time choice of the
// kernel's source, like any other meta-parameter; None is the kernel as shipped.
#ifndef TEGULA_KERNELS_MUTATION_H
#define TEGULA_KERNELS_MUTATION_H

#include <string>

namespace tegula::kernels {

enum class Mutation {
  None,
  /// GEMM reads B as if it were stored transposed.
  TransposedOperand,
  /// Softmax's column mask stops one column short; causal attention lets each query
  /// see one key too many.
  MaskOffByOne,
  /// Attention leaves out the softmax scale; LoRA's expand leaves out the adapter's.
  DroppedScale,
};

const char *mutation_name(Mutation mutation);
/// "transposed-operand", "mask-off-by-one", "dropped-scale" (or "none"); throws
/// Error(InvalidArgument) naming the choices otherwise.
Mutation parse_mutation(const std::string &name);

} // namespace tegula::kernels

#endif
