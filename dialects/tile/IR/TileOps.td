#ifndef TEGULA_TILE_OPS_TD
#define TEGULA_TILE_OPS_TD

include "TileDialect.td"
include "TileTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tile_ReduceKind : I32EnumAttr<"ReduceKind", "combining function of a reduction", [
    I32EnumAttrCase<"Sum", 0, "sum">, I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">, I32EnumAttrCase<"ArgMax", 3, "argmax">,
    I32EnumAttrCase<"ArgMin", 4, "argmin">]> {
  let cppNamespace = "::tegula::tile";
}
def Tile_ScanKind : I32EnumAttr<"ScanKind", "combining function of a scan", [
    I32EnumAttrCase<"Sum", 0, "sum">, I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">]> {
  let cppNamespace = "::tegula::tile";
}
def Tile_InputPrecision : I32EnumAttr<"InputPrecision", "how a float dot may round its inputs", [
    I32EnumAttrCase<"IEEE", 0, "ieee">, I32EnumAttrCase<"TF32", 1, "tf32">,
    I32EnumAttrCase<"TF32x3", 2, "tf32x3">]> {
  let cppNamespace = "::tegula::tile";
}
def Tile_AtomicKind : I32EnumAttr<"AtomicKind", "read-modify-write operation", [
    I32EnumAttrCase<"Add", 0, "add">, I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">, I32EnumAttrCase<"Xchg", 3, "xchg">]> {
  let cppNamespace = "::tegula::tile";
}

//===----------------------------------------------------------------------===//
// Program instance
//===----------------------------------------------------------------------===//

def Tile_ProgramIdOp : Tile_Op<"program_id", [Pure]> {
  let summary = "Index of this program instance along a grid axis";
  let arguments = (ins ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<2>]>:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

def Tile_NumProgramsOp : Tile_Op<"num_programs", [Pure]> {
  let summary = "Number of program instances along a grid axis";
  let arguments = (ins ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<2>]>:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Tile construction and shape
//===----------------------------------------------------------------------===//

def Tile_RangeOp : Tile_Op<"range", [Pure]> {
  let summary = "1-D tile [start, end) of i32";
  let arguments = (ins I32Attr:$start, I32Attr:$end);
  let results = (outs StaticShapeTensorOf<[I32]>:$result);
  let assemblyFormat = "$start `to` $end attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tile_SplatOp : Tile_Op<"splat", [Pure,
    TypesMatchWith<"result element type is the scalar's type", "result", "src",
                   "::llvm::cast<::mlir::RankedTensorType>($_self).getElementType()">]> {
  let summary = "Tile whose every element is one scalar";
  let arguments = (ins AnyType:$src);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$src attr-dict `:` type($result)";
}

def Tile_BroadcastOp : Tile_Op<"broadcast", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Repeat a tile along its size-1 dimensions";
  let arguments = (ins Tile_Tile:$src);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_ExpandDimsOp : Tile_Op<"expand_dims", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Insert a size-1 dimension at `axis`";
  let arguments = (ins Tile_Tile:$src, I32Attr:$axis);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_ReshapeOp : Tile_Op<"reshape", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Reinterpret a tile's elements, in row-major order, in a new shape";
  let arguments = (ins Tile_Tile:$src);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_TransOp : Tile_Op<"trans", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Permute a tile's dimensions";
  let arguments = (ins Tile_Tile:$src, DenseI32ArrayAttr:$order);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$src `,` $order attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pointers and memory
//===----------------------------------------------------------------------===//

def Tile_AddPtrOp : Tile_Op<"addptr", [Pure, AllTypesMatch<["ptr", "result"]>]> {
  let summary = "Advance pointers by a number of elements";
  let arguments = (ins Tile_AnyPtr:$ptr, Tile_AnyInt:$offset);
  let results = (outs Tile_AnyPtr:$result);
  let assemblyFormat = "$ptr `,` $offset attr-dict `:` type($ptr) `,` type($offset)";
  let hasVerifier = 1;
}

def Tile_LoadOp : Tile_Op<"load", [AttrSizedOperandSegments,
    MemoryEffects<[MemRead]>]> {
  let summary = "Load through a pointer or a tile of pointers, masked";
  let description = [{
    Lanes whose mask is false are not read and yield `other` (which must be given
    with a mask).
  }];
  let arguments = (ins Tile_AnyPtr:$ptr, Optional<Tile_AnyBool>:$mask,
                       Optional<AnyType>:$other);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $ptr (`,` $mask^)? (`,` $other^)? attr-dict `:` type($ptr) `->` type($result)
      (`,` type($mask)^)? (`,` type($other)^)?
  }];
  let hasVerifier = 1;
}

def Tile_StoreOp : Tile_Op<"store", [MemoryEffects<[MemWrite]>]> {
  let summary = "Store through a pointer or a tile of pointers, masked";
  let arguments = (ins Tile_AnyPtr:$ptr, AnyType:$value, Optional<Tile_AnyBool>:$mask);
  let assemblyFormat = [{
    $ptr `,` $value (`,` $mask^)? attr-dict `:` type($ptr) `,` type($value) (`,` type($mask)^)?
  }];
  let hasVerifier = 1;
}

def Tile_GatherOp : Tile_Op<"gather", [AttrSizedOperandSegments, MemoryEffects<[MemRead]>]> {
  let summary = "Irregular read: base[indices], masked, with `other` where masked off";
  let arguments = (ins Tile_PtrType:$base, Tile_IntTile:$indices, Optional<Tile_BoolTile>:$mask,
                       Optional<AnyType>:$other);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $base `[` $indices `]` (`,` $mask^)? (`,` $other^)? attr-dict `:` type($base) `,`
      type($indices) `->` type($result) (`,` type($mask)^)? (`,` type($other)^)?
  }];
  let hasVerifier = 1;
}

def Tile_MakeDescOp : Tile_Op<"make_desc", [Pure, AttrSizedOperandSegments]> {
  let summary = "Describe a strided tensor in memory, read and written by blocks";
  let arguments = (ins Tile_PtrType:$base, Variadic<I32>:$shape, Variadic<I32>:$strides);
  let results = (outs Tile_DescType:$result);
  let assemblyFormat = [{
    $base `,` `shape` `[` $shape `]` `,` `strides` `[` $strides `]` attr-dict `:`
      type($base) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_DescLoadOp : Tile_Op<"desc_load", [MemoryEffects<[MemRead]>]> {
  let summary = "Read the block at `offsets`; elements outside the tensor read as zero";
  let arguments = (ins Tile_DescType:$desc, Variadic<I32>:$offsets);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$desc `[` $offsets `]` attr-dict `:` type($desc) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_DescStoreOp : Tile_Op<"desc_store", [MemoryEffects<[MemWrite]>]> {
  let summary = "Write the block at `offsets`; elements outside the tensor are dropped";
  let arguments = (ins Tile_DescType:$desc, Variadic<I32>:$offsets, Tile_Tile:$value);
  let assemblyFormat = [{
    $desc `[` $offsets `]` `,` $value attr-dict `:` type($desc) `,` type($value)
  }];
  let hasVerifier = 1;
}

def Tile_AtomicRMWOp : Tile_Op<"atomic_rmw", [MemoryEffects<[MemRead, MemWrite]>,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "Atomic read-modify-write, masked; yields the old values";
  let arguments = (ins Tile_AtomicKind:$kind, Tile_AnyPtr:$ptr, AnyType:$value,
                       Optional<Tile_AnyBool>:$mask);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $kind $ptr `,` $value (`,` $mask^)? attr-dict `:` type($ptr) `,` type($value)
      (`,` type($mask)^)?
  }];
  let hasVerifier = 1;
}

def Tile_AtomicCASOp : Tile_Op<"atomic_cas", [MemoryEffects<[MemRead, MemWrite]>,
    AllTypesMatch<["cmp", "value", "result"]>]> {
  let summary = "Atomic compare-and-swap; yields the old values";
  let arguments = (ins Tile_AnyPtr:$ptr, AnyType:$cmp, AnyType:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$ptr `,` $cmp `,` $value attr-dict `:` type($ptr) `,` type($value)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

def Tile_DotOp : Tile_Op<"dot", [Pure, AllTypesMatch<["acc", "result"]>]> {
  let summary = "acc + a * b over tiles [M,K] x [K,N]; f32 or i32 accumulation";
  let description = [{
    `input_precision` is the least precision the kernel accepts for f32 inputs: `ieee`
    (exact products), `tf32` (inputs may be rounded to 10 mantissa bits, as tensor cores
    do) or `tf32x3` (split into three tf32 products). A backend may always compute more
    precisely than asked; the CPU computes every float dot in f32 FMAs.
  }];
  let arguments = (ins Tile_Tile:$a, Tile_Tile:$b, Tile_Tile:$acc,
                       DefaultValuedAttr<Tile_InputPrecision, "::tegula::tile::InputPrecision::IEEE">:$input_precision);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $acc attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_ReduceOp : Tile_Op<"reduce", [Pure]> {
  let summary = "Reduce a tile along one axis (the axis is removed)";
  let description = [{
    argmax/argmin yield i32 indices of the first extremal element.
  }];
  let arguments = (ins Tile_Tile:$src, Tile_ReduceKind:$kind, I32Attr:$axis);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$kind $src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_ScanOp : Tile_Op<"scan", [Pure, AllTypesMatch<["src", "result"]>]> {
  let summary = "Inclusive scan of a tile along one axis";
  let arguments = (ins Tile_Tile:$src, Tile_ScanKind:$kind, I32Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$kind $src attr-dict `:` type($src)";
  let hasVerifier = 1;
}

def Tile_ReduceWithOp : Tile_Op<"reduce_with", [RecursiveMemoryEffects]> {
  let summary = "Reduce a tile along one axis with a combining function of two elements";
  let description = [{
    The region takes two elements and yields their combination; it must be associative
    (the order of combination is the backend's). There is no identity: a reduction
    starts from the first element along the axis.
  }];
  let arguments = (ins Tile_Tile:$src, I32Attr:$axis);
  let results = (outs AnyType:$result);
  let regions = (region SizedRegion<1>:$combiner);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result) $combiner";
  let hasVerifier = 1;
}

def Tile_YieldOp : Tile_Op<"yield", [Pure, Terminator, ReturnLike, HasParent<"ReduceWithOp">]> {
  let summary = "The combined element of a reduce_with region";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
}

def Tile_JoinOp : Tile_Op<"join", [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Interleave two tiles along a new last dimension of size 2";
  let arguments = (ins Tile_Tile:$lhs, Tile_Tile:$rhs);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_SplitOp : Tile_Op<"split", [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Split a tile whose last dimension is 2 into its two halves";
  let arguments = (ins Tile_Tile:$src);
  let results = (outs Tile_Tile:$lhs, Tile_Tile:$rhs);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($lhs)";
  let hasVerifier = 1;
}

def Tile_PrintOp : Tile_Op<"print", [MemoryEffects<[MemWrite]>]> {
  let summary = "Print values from each program instance (debugging)";
  let arguments = (ins StrAttr:$prefix, Variadic<AnyType>:$values);
  let assemblyFormat = "$prefix (`,` $values^ `:` type($values))? attr-dict";
  let hasVerifier = 1;
}

def Tile_AssertOp : Tile_Op<"assert", [MemoryEffects<[MemWrite]>]> {
  let summary = "Fail the launch, naming this op's source line, where the condition is false";
  let arguments = (ins Tile_AnyBool:$condition, StrAttr:$message);
  let assemblyFormat = "$condition `,` $message attr-dict `:` type($condition)";
}

#endif
