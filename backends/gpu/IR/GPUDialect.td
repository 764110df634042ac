#ifndef TEGULA_GPU_DIALECT_TD
#define TEGULA_GPU_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def TGPU_Dialect : Dialect {
  let name = "tgpu";
  let cppNamespace = "::tegula::gpu::ir";
  let summary = "Tile values distributed over the threads of a GPU block";
  let description = [{
    What every GPU target shares between the tile dialect and upstream `gpu`, `nvvm`
    and `rocdl`: layout encodings that say which register of which lane of which warp
    holds each element of a tile, and the ops that move tiles between layouts. A
    layout is data (`toLinearLayout`), so conversions are computed from the two
    layouts rather than special-cased (backends/gpu/Layout).
  }];
  let useDefaultAttributePrinterParser = 1;
}

class TGPU_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TGPU_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TGPU_BlockedEncodingAttr : TGPU_Attr<"BlockedEncoding", "blocked"> {
  let summary = "Each thread holds a block of contiguous elements; lanes, then warps, tile the rest";
  let description = [{
    Along each dimension a thread holds `sizePerThread` contiguous elements, a warp's
    lanes `threadsPerWarp` such blocks and the block's warps `warpsPerCTA` of those;
    `order` lists the dimensions fastest first. A tile larger than that repeats it in
    registers; a smaller one gets copies (LinearLayout::blocked). All entries are
    powers of two, one per dimension of the tile.

    `#tgpu.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>`
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$sizePerThread, ArrayRefParameter<"int64_t">:$threadsPerWarp,
                        ArrayRefParameter<"int64_t">:$warpsPerCTA, ArrayRefParameter<"int64_t">:$order);
  let assemblyFormat = [{
    `<` `sizePerThread` `=` `[` $sizePerThread `]` `,` `threadsPerWarp` `=` `[` $threadsPerWarp `]` `,`
        `warpsPerCTA` `=` `[` $warpsPerCTA `]` `,` `order` `=` `[` $order `]` `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The layout of a tile of `shape` as data; a failure (with `emitError`'s
    /// diagnostic) when the shape is not one power of two per dimension.
    ::mlir::FailureOr<::tegula::gpu::LinearLayout> toLinearLayout(
        ::llvm::ArrayRef<int64_t> shape, ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
    int64_t getThreads() const;
    int64_t getWarps() const;
  }];
}

def TGPU_LinearEncodingAttr : TGPU_Attr<"LinearEncoding", "linear"> {
  let summary = "A layout given by its bases: which tile coordinates each bit of a register, lane and warp index steps";
  let description = [{
    Any distributed layout, as the linear map it is (backends/gpu/Layout/LinearLayout.h):
    bit b of the register index moves by `register[b]`, and likewise for lanes and
    warps; an index's element is the XOR of the moves of its set bits. Reshapes and
    transposes of a tile keep every element in its thread by renaming the coordinates
    of these bases, whatever layout the source had. A zero basis is a copy, and so is
    a step past a smaller tile's extent (the source of a broadcast, as with blocked).
    `#tgpu.linear<rank = 2, register = [[0, 1]], lane = [[0, 2], [1, 0]], warp = []>`
  }];
  let parameters = (ins "unsigned":$rank, ArrayRefParameter<"int64_t">:$registerBases,
                        ArrayRefParameter<"int64_t">:$laneBases, ArrayRefParameter<"int64_t">:$warpBases);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The layout of a tile of `shape`; a failure (with `emitError`'s diagnostic) when
    /// the bases do not reach every element.
    ::mlir::FailureOr<::tegula::gpu::LinearLayout> toLinearLayout(
        ::llvm::ArrayRef<int64_t> shape, ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
    /// The encoding of `layout` (inputs register, lane and warp).
    static LinearEncodingAttr get(::mlir::MLIRContext *context, const ::tegula::gpu::LinearLayout &layout);
  }];
}

def TGPU_SliceEncodingAttr : TGPU_Attr<"SliceEncoding", "slice"> {
  let summary = "A parent layout with one dimension taken out";
  let description = [{
    The layout of a tile that a reduction along `dim` leaves, or that `expand_dims`
    along `dim` turns back into the parent: each element sits where the parent puts
    the element of coordinate 0 along `dim`. Registers that only stepped along `dim`
    are gone; lanes and warps that did hold copies.

    `#tgpu.slice<dim = 1, parent = #tgpu.blocked<...>>`
  }];
  let parameters = (ins "unsigned":$dim, "::mlir::Attribute":$parent);
  let assemblyFormat = "`<` `dim` `=` $dim `,` `parent` `=` $parent `>`";
  let genVerifyDecl = 1;
}

#endif
