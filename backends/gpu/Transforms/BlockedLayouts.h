// Blocked layouts made for a tile from its shape and the block: the one rule the
// coalescing of accesses and the default layout of every other tile share.
#ifndef TEGULA_BACKENDS_GPU_TRANSFORMS_BLOCKEDLAYOUTS_H
#define TEGULA_BACKENDS_GPU_TRANSFORMS_BLOCKEDLAYOUTS_H

#include "backends/gpu/IR/GPUDialect.h"

namespace tegula::gpu {

/// Along `order` (dimensions fastest first) a thread holds `vector` elements of the
/// first dimension, the warp's lanes and then the block's warps fill the dimensions in
/// that order as far as the tile's extents allow, and what is left over holds copies.
ir::BlockedEncodingAttr fillBlock(mlir::MLIRContext *context, llvm::ArrayRef<int64_t> shape,
                                  llvm::ArrayRef<int64_t> order, int64_t vector, ir::BlockShape block);

/// The layout of a tile no access decides: one element per thread, row-major.
ir::BlockedEncodingAttr defaultLayout(mlir::MLIRContext *context, llvm::ArrayRef<int64_t> shape,
                                      ir::BlockShape block);

/// The layout of a dot's [M, N] accumulator on the vector units: one element per
/// thread per repeat, the lanes and then the warps spread over both dimensions as
/// evenly as the extents allow (columns first), the registers repeating above them.
/// Each thread then holds few distinct rows and columns (few loads of A and B per
/// k-step), and neighbouring lanes read neighbouring words of each.
ir::BlockedEncodingAttr accumulatorLayout(mlir::MLIRContext *context, llvm::ArrayRef<int64_t> shape,
                                          ir::BlockShape block);

int64_t floorPowerOfTwo(int64_t v);

} // namespace tegula::gpu

#endif
