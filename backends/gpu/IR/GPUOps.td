#ifndef TEGULA_GPU_OPS_TD
#define TEGULA_GPU_OPS_TD

include "GPUDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TGPU_Op<string mnemonic, list<Trait> traits = []> : Op<TGPU_Dialect, mnemonic, traits>;

def TGPU_ConvertLayoutOp : TGPU_Op<"convert_layout", [Pure, SameOperandsAndResultShape,
                                                       SameOperandsAndResultElementType]> {
  let summary = "The same tile in another layout";
  let description = [{
    Moves a tile between two layouts of the same block: within threads, between the
    lanes of a warp or through shared memory, as the two layouts require
    (plan_conversion in backends/gpu/Layout/Conversion.h).
  }];
  let arguments = (ins AnyRankedTensor:$src);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

#endif
