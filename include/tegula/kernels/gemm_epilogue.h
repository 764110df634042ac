// The fp64 reference and tolerance of a GEMM epilogue, applied on top of the GEMM's
// own (reference_gemm, gemm_bound).
#ifndef TEGULA_KERNELS_GEMM_EPILOGUE_H
#define TEGULA_KERNELS_GEMM_EPILOGUE_H

#include "tegula/kernels/library.h"

#include <vector>

namespace tegula::kernels {

/// act(gemm + bias) for a row-major [M,N] result; `bias` may be null.
std::vector<double> reference_epilogue(const std::vector<double> &gemm, const Buffer *bias, int64_t M, int64_t N,
                                       Activation activation);

/// The GEMM's bound carried through the epilogue: the activations' slopes are at most
/// 1.13 (GELU; SiLU 1.10, ReLU 1), the bias adds one f32 rounding, and evaluating the
/// activation in f32 costs a few ulps of its input and output (c = 8).
std::vector<double> epilogue_bound(const std::vector<double> &gemm, const std::vector<double> &gemm_bound,
                                   const Buffer *bias, int64_t M, int64_t N, Activation activation);

} // namespace tegula::kernels

#endif
