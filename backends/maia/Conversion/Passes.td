#ifndef TEGULA_BACKENDS_MAIA_CONVERSION_PASSES_TD
#define TEGULA_BACKENDS_MAIA_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TegulaConvertTileToMaia : Pass<"tegula-convert-tile-to-maia", "::mlir::ModuleOp"> {
  let summary = "Lower tile kernels to the maia dialect: TSRAM buffers, DMA, tensor and vector commands";
  let description = [{
    Every tile value that holds data gets a TSRAM buffer at a static offset; index
    tiles, masks and pointer tiles are not materialized but analyzed as affine
    functions of the block's indices, so that loads and stores through them become 2-D
    strided DMAs whose extents come from the masks (or from a descriptor's shape).
    Commands are asynchronous, each with a semaphore of its own; the control
    processor waits only before a command whose TSRAM footprint conflicts with a
    pending one. Loops that store nothing and whose loads depend only on the
    induction variable are software-pipelined: two buffers per load, the next
    iteration's DMA overlapping the current one's work (unrolled by two, so offsets
    stay static).

    With `cluster-tiles=4`, a kernel whose pipelined loops load slices that depend
    on one grid axis only (a GEMM's A rows and B columns) runs its 2-D grid as 2x2
    squares of program instances, one square per cluster group: each such slice is
    fetched from HBM into cluster SRAM once, by one instance of the square, published
    by the cluster barrier and copied into TSRAM by the instances that read it. The
    kernel is marked `maia.cluster_squares`; its instances map their lane and square
    back to the kernel's program ids (see GridMapping in isa.h).
  }];
  let options = [
    Option<"tsramBytes", "tsram-bytes", "int64_t", "4194304", "TSRAM capacity of a tile">,
    Option<"clusterTiles", "cluster-tiles", "int64_t", "0",
           "Tiles per cluster; 4 lets instances share operand slices through cluster SRAM "
           "(0: no sharing)">,
    Option<"csramBytes", "csram-bytes", "int64_t", "16777216", "Cluster SRAM capacity">,
    Option<"semaphores", "semaphores", "int64_t", "32", "Semaphores of a tile (s0 is not used)">,
    Option<"plantBug", "plant-bug", "std::string", "\"\"",
           "Debugging aid for the simulator's checks: `drop-wait` (the first tensor command "
           "does not wait for the newest DMA into its operands), `overflow-tsram` (the "
           "first buffer ends one tensor-unit tile past TSRAM), `dma-past-end` (the first "
           "DMA into TSRAM inside a loop body moves one row more than it should), `drop-barrier` "
           "(the first cluster barrier in a loop that shares operands is left out)">,
  ];
  let dependentDialects = ["::tegula::maia::ir::MaiaDialect", "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect", "::mlir::func::FuncDialect"];
}

#endif
