#ifndef TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_PASSES_TD
#define TEGULA_BACKENDS_GPU_CONVERSION_TILETOGPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def TegulaConvertTileToGpu : Pass<"tegula-convert-tile-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower laid-out tile kernels to the code one GPU thread runs, in upstream dialects";
  let description = [{
    Each tile kernel (after `tegula-assign-gpu-layouts`) becomes a `gpu.func` in the
    `gpu.module @tegula_kernels` of a `gpu.container_module`, with the block size known
    (`tgpu.num_warps` x `tgpu.warp_size` threads). A tile becomes the registers this
    thread holds of it, in the order of its layout's register index; their coordinates
    come from the layout's bases and the thread's lane and warp. Global accesses laid
    out for coalescing are vector loads and stores of each run of contiguous registers;
    masks become branches around the access; of copies of an element only the first
    thread stores it. Reductions combine registers, then lanes through `gpu.shuffle`
    xor butterflies, then warps through shared memory; a layout conversion that crosses
    threads goes through shared memory (swizzled for 2-d tiles). Each shared-memory
    buffer is a workgroup attribution of its own, placed by
    `tegula-allocate-shared-memory` and ordered by `tegula-insert-gpu-barriers`. An op
    the lowering does not handle is refused with an error naming it. Pointers become
    `!llvm.ptr<1>`. A dot marked `tgpu.matrix_instruction` is issued on that
    instruction (ldmatrix and mma.sync for mma.m16n8k16, 8-byte shared loads and
    amdgpu.mfma for mfma.32x32x8), others on the vector units. With async-copies and a
    kernel's `tile.num_stages` above 1, a loop whose mma.sync dot loads its operands in
    the loop is software-pipelined: cp.async copies of the next num_stages - 1 steps into
    as many shared-memory buffers, waited for one step at a time.
  }];
  let options = [
    Option<"plantShiftExchange", "plant-shift-exchange", "bool", "false",
           "Plant a bug for the emulator's checks: every shared-memory exchange reads the element after the one "
           "written for it">,
    Option<"asyncCopies", "async-copies", "bool", "false",
           "The target has cp.async: software-pipeline loops over k into tile.num_stages shared-memory buffers">,
    Option<"plantDropAsyncWait", "plant-drop-async-wait", "bool", "false",
           "Plant a bug for the emulator's checks: a pipelined loop reads its buffers without waiting for their "
           "copies">,
    Option<"plantSwapFragment", "plant-swap-fragment", "bool", "false",
           "Plant a bug for the emulator's checks: the matrix instructions' accumulator fragment with two lane bits "
           "swapped (as tegula-assign-gpu-layouts' option of that name)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect", "::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
                           "::mlir::amdgpu::AMDGPUDialect", "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"];
}

#endif
