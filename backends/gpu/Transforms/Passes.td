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
    The block is the kernel's `tile.num_warps` (a meta-parameter the kernel chose) or
    else `num-warps` warps, of `warp-size` lanes: 32 for NVIDIA, 64 for AMD's wave64,
    from one pass. A block of more than `max-threads` threads is refused with the
    figures. The pass records the block on the kernel (`tgpu.num_warps`,
    `tgpu.warp_size`) for the passes after it.
  }];
  let options = [
    Option<"numWarps", "num-warps", "int64_t", "4", "Warps of a block, for kernels that do not choose">,
    Option<"warpSize", "warp-size", "int64_t", "32", "Lanes of a warp (32 on NVIDIA, 64 on AMD's wave64)">,
    Option<"maxThreads", "max-threads", "int64_t", "1024", "Threads a block may have">,
  ];
  let dependentDialects = ["::tegula::gpu::ir::TGPUDialect"];
}

def TegulaExpandGpuDescriptors : Pass<"tegula-expand-gpu-descriptors", "::mlir::ModuleOp"> {
  let summary = "Rewrite descriptor loads and stores, and gathers, as accesses through tiles of pointers";
  let description = [{
    A block of a descriptor is, element by element, a pointer (base plus each
    coordinate times its stride) and a mask (every coordinate inside the tensor's
    shape): `tile.desc_load` becomes a masked `tile.load` with zero for what is outside,
    `tile.desc_store` a masked `tile.store`. From there the accesses are coalesced,
    vectorized where the axis info proves it, and lowered like any other; the
    descriptor must be made in the kernel (`tile.make_desc`). (Bulk copies of whole
    blocks, cp.async and TMA, are the matrix path's business.) A `tile.gather` is a
    load through the base plus each index, with its mask and `other`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TegulaAssignGpuLayouts : Pass<"tegula-assign-gpu-layouts", "::mlir::ModuleOp"> {
  let summary = "Put a layout encoding on every tile value of a kernel, converting where a use needs another";
  let description = [{
    Runs after `tegula-coalesce-gpu-accesses`, on the block it recorded. Global accesses
    keep the layout chosen for them. Wanted layouts flow backwards from each access to
    the index arithmetic, broadcasts and `expand_dims` that compute its operands (the
    first access to reach a value decides), so that address computation happens in
    the layout of the access it feeds. Then every tile gets, in program order: its
    hint; else the layout of its first operand (elementwise ops, broadcasts), the
    parent of a slice (`expand_dims`), a slice of its operand's layout (reductions), a
    loop's initial value's layout (loop-carried tiles), or one element per thread in
    row-major order. An operand whose layout differs from what its user takes is
    moved by a `tgpu.convert_layout`.

    A dot's accumulator is laid out for the first of `matrix-instructions` (the
    target's, MatrixInstruction.h) that takes its operand types and shape: that
    instruction's accumulator fragment tiled over the warps, and the dot is marked
    `tgpu.matrix_instruction` for the lowering. Otherwise, and for targets with none,
    it takes the vector units' layout.
  }];
  let options = [
    ListOption<"matrixInstructions", "matrix-instructions", "std::string",
               "The target's matrix instructions, in order of preference (mma.m16n8k16, mma.m16n8k8.tf32, mfma.32x32x8)">,
    Option<"plantSwapFragment", "plant-swap-fragment", "bool", "false",
           "Plant a bug for the emulator to catch: the accumulator fragment's table with two lane bits swapped">,
  ];
  let dependentDialects = ["::tegula::gpu::ir::TGPUDialect"];
}

def TegulaAllocateSharedMemory : Pass<"tegula-allocate-shared-memory", "::mlir::ModuleOp"> {
  let summary = "Place each gpu.func's shared-memory buffers in one block, reusing bytes between buffers that do not live at once";
  let description = [{
    Every workgroup attribution of a `gpu.func` (1-d memrefs of numbers, one per tile
    exchange of the GPU lowering) lives from its first use to its last; a use inside a
    loop that the buffer's other uses are outside of keeps it alive for the whole loop.
    Buffers are placed largest first, each at the lowest 16-byte-aligned offset clear of
    the buffers it lives alongside, and become `memref.view`s of one attribution of
    bytes, whose size is the kernel's total. Up to `bytes` (what a kernel may declare
    statically; 0: no limit) that is one workgroup attribution. Above it and up to
    `dynamic-bytes` (what a block may use when its launch asks for it; 0: nothing
    more), the bytes are the block's dynamic shared memory (`gpu.dynamic_shared_memory`)
    and the kernel carries their count as `tgpu.dynamic_shared_bytes`, which a launch
    must provide. Above both, the kernel is refused with the figures, at compile time
    rather than at load.
  }];
  let options = [
    Option<"limit", "bytes", "int64_t", "0", "Shared memory a kernel may declare statically (0: no limit)">,
    Option<"dynamicLimit", "dynamic-bytes", "int64_t", "0",
           "Shared memory a block may use as dynamic shared memory (0: none beyond `bytes`)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def TegulaInsertGpuBarriers : Pass<"tegula-insert-gpu-barriers", "::mlir::ModuleOp"> {
  let summary = "Insert gpu.barrier where shared-memory accesses of different threads could meet";
  let description = [{
    Walks each `gpu.func` in program order, keeping the bytes of shared memory read and
    written since the last barrier (a view at a constant offset covers its bytes; other
    accesses their whole buffer). A read of bytes written since, or a write of bytes
    read or written since, gets a barrier before it; writes of one tile exchange
    (`tgpu.exchange`) never conflict with each other, since each element has one
    writer. Loops are walked twice, the second time from what an iteration leaves, so
    that a hazard across iterations gets its barrier. A barrier never goes inside a
    branch (only part of the block may take it): a hazard reaching into one gets its
    barrier before the branch, and a hazard between two accesses inside one is an
    error. Only where a hazard exists is a barrier inserted.
  }];
  let options = [
    Option<"plantDrop", "plant-drop", "bool", "false",
           "Plant a bug for the emulator's checks: insert no barrier at all">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

#endif
