#ifndef TEGULA_TILE_TYPES_TD
#define TEGULA_TILE_TYPES_TD

include "TileDialect.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

class Tile_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Tile_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Tile_PtrType : Tile_Type<"Pointer", "ptr"> {
  let summary = "Pointer to global memory holding elements of one type";
  let parameters = (ins "::mlir::Type":$pointeeType);
  let assemblyFormat = "`<` $pointeeType `>`";
}

def Tile_DescType : Tile_Type<"TensorDesc", "desc"> {
  let summary = "Tensor descriptor: a strided tensor in memory read and written by blocks";
  let description = [{
    The block shape and element type are static; the tensor's shape and strides are
    runtime values held by the descriptor. Elements of a block that fall outside the
    tensor read as zero and are not written.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$blockShape,
                        "::mlir::Type":$elementType);
  let assemblyFormat = "`<` custom<BlockShape>($blockShape, $elementType) `>`";
  let extraClassDeclaration = [{
    unsigned getRank() const { return getBlockShape().size(); }
    ::mlir::RankedTensorType getBlockType() const {
      return ::mlir::RankedTensorType::get(getBlockShape(), getElementType());
    }
  }];
}

def Tile_Ptr : Type<CPred<"::llvm::isa<::tegula::tile::PointerType>($_self)">, "tile pointer">;
def Tile_PtrTile : StaticShapeTensorOf<[Tile_PtrType]>;
def Tile_AnyPtr : AnyTypeOf<[Tile_PtrType, Tile_PtrTile]>;
def Tile_IntTile : StaticShapeTensorOf<[AnySignlessInteger]>;
def Tile_AnyInt : AnyTypeOf<[AnySignlessInteger, Tile_IntTile]>;
def Tile_BoolTile : StaticShapeTensorOf<[I1]>;
def Tile_AnyBool : AnyTypeOf<[I1, Tile_BoolTile]>;
def Tile_Tile : StaticShapeTensorOf<[AnyType]>;


#endif
