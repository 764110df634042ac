#ifndef TEGULA_TILE_DIALECT_TD
#define TEGULA_TILE_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Tile_Dialect : Dialect {
  let name = "tile";
  let cppNamespace = "::tegula::tile";
  let summary = "Portable, vendor-free IR of a tile kernel";
  let description = [{
    A tile kernel is a `func.func` run once per program instance over a grid. Values
    are scalars or statically shaped tiles (ranked tensors). Memory is reached through
    tensor descriptors (structured, the canonical form) or through tiles of pointers
    with masks (the general form). Arithmetic and math on tiles use upstream `arith`
    and `math`, control flow uses `scf`.
  }];
  let useDefaultTypePrinterParser = 1;
  // Checks the kernel attributes (tile.kernel, tile.num_warps).
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::math::MathDialect"];
}

class Tile_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tile_Dialect, mnemonic, traits>;

#endif
