#ifndef TEGULA_BACKENDS_GPU_TRANSFORMS_PASSES_TD
#define TEGULA_BACKENDS_GPU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TegulaCoalesceGpuAccesses : Pass<"tegula-coalesce-gpu-accesses", "::mlir::ModuleOp"> {
  let summary = "Give each global load and store of a tile kernel the blocked layout that coalesces it";
  let description = [{
    For every `tile.load` and `tile.store` through a tile of pointers, the axis info of
    the pointers (and of the mask) decides the layout (`tgpu.access_layout`):
    - the dimensions are ordered by the pointers' contiguity, most contiguous first
      (ties keep the tile's row-major order);
    - along the first, each thread holds the largest vector that the contiguity, the
      alignment (divisibility of the block starts), the mask's constancy, 16 bytes
      and the tile's share per thread all allow: a 16-byte access where the analysis
      proves it safe, one element where it does not;
    - the warp's lanes, then the block's warps, fill the dimensions in that order as
      far as the tile's extent allows; what is left over holds copies.
    The block is `num-warps` warps of `warp-size` lanes: 32 for NVIDIA, 64 for AMD's
    wave64, from one pass.
  }];
  let options = [
    Option<"numWarps", "num-warps", "int64_t", "4", "Warps of a block">,
    Option<"warpSize", "warp-size", "int64_t", "32", "Lanes of a warp (32 on NVIDIA, 64 on AMD's wave64)">,
  ];
  let dependentDialects = ["::tegula::gpu::ir::TGPUDialect"];
}

#endif
