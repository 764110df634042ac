#ifndef TEGULA_MAIA_OPS_TD
#define TEGULA_MAIA_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Maia_Dialect : Dialect {
  let name = "maia";
  let cppNamespace = "::tegula::maia::ir";
  let summary = "The Maia-style machine's commands, on SSA scalars";
  let description = [{
    The last IR before the ISA (docs/maia.md). Scalars are i64 values (the control
    processor's registers after allocation); TSRAM and HBM addresses are i64 byte
    addresses. DMA, tensor-unit and vector-unit commands are asynchronous: each
    signals semaphore `sem` when done (0: none), and `maia.wait` orders the program
    after them. Control flow is scf, scalar arithmetic is arith, both on i64.
  }];
}

class Maia_Op<string mnemonic, list<Trait> traits = []> : Op<Maia_Dialect, mnemonic, traits>;

def Maia_Sem : ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<31>]>;
def Maia_Axis : ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<2>]>;

//===----------------------------------------------------------------------===//
// Program instance and arguments
//===----------------------------------------------------------------------===//

def Maia_ProgramIdOp : Maia_Op<"program_id", [Pure]> {
  let summary = "Index of this program instance along a grid axis";
  let arguments = (ins Maia_Axis:$axis);
  let results = (outs I64:$result);
  let assemblyFormat = "$axis attr-dict";
}

def Maia_NumProgramsOp : Maia_Op<"num_programs", [Pure]> {
  let summary = "Number of program instances along a grid axis";
  let arguments = (ins Maia_Axis:$axis);
  let results = (outs I64:$result);
  let assemblyFormat = "$axis attr-dict";
}

def Maia_ClusterPidOp : Maia_Op<"cluster_pid", [Pure]> {
  let summary = "This instance's coordinate (0 or 1) along a grid axis in its cluster's square";
  let arguments = (ins Maia_Axis:$axis);
  let results = (outs I64:$result);
  let assemblyFormat = "$axis attr-dict";
}

def Maia_ArgOp : Maia_Op<"arg", [Pure]> {
  let summary = "Kernel argument `index`: an HBM address or an integer";
  let arguments = (ins ConfinedAttr<I32Attr, [IntMinValue<0>]>:$index);
  let results = (outs I64:$result);
  let assemblyFormat = "$index attr-dict";
}

//===----------------------------------------------------------------------===//
// Synchronization
//===----------------------------------------------------------------------===//

def Maia_WaitOp : Maia_Op<"wait", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Block until semaphore `sem` holds `count`, then take it";
  let arguments = (ins Maia_Sem:$sem, ConfinedAttr<I32Attr, [IntMinValue<1>]>:$count);
  let assemblyFormat = "`sem` $sem `count` $count attr-dict";
}

def Maia_ClusterBarrierOp : Maia_Op<"cluster_barrier", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Block until every tile of this program's cluster group arrives";
  let description = [{
    Orders what each tile of the group did before it (including the commands it
    waited for) before what any of them does after it: how cluster SRAM written by
    one tile is published to the others.
  }];
  let assemblyFormat = "attr-dict";
}

def Maia_SignalOp : Maia_Op<"signal", [MemoryEffects<[MemWrite]>]> {
  let summary = "Add `count` to semaphore `sem`";
  let arguments = (ins Maia_Sem:$sem, ConfinedAttr<I32Attr, [IntMinValue<1>]>:$count);
  let assemblyFormat = "`sem` $sem `count` $count attr-dict";
}

//===----------------------------------------------------------------------===//
// DMA and tensor unit
//===----------------------------------------------------------------------===//

def Maia_DmaInOp : Maia_Op<"dma_in", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "TSRAM[tsram] <- HBM[hbm]: `rows` rows of `row_bytes`, strided";
  let arguments = (ins I64:$tsram, I64:$hbm, I64:$rows, I64:$row_bytes, I64:$hbm_stride,
                       DefaultValuedAttr<I32Attr, "0">:$tsram_stride, Maia_Sem:$sem);
  let assemblyFormat = [{
    $tsram `,` $hbm `,` $rows `,` $row_bytes `,` $hbm_stride `sem` $sem attr-dict
  }];
  let hasVerifier = 1;
}

def Maia_DmaOutOp : Maia_Op<"dma_out", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "HBM[hbm] <- TSRAM[tsram]: `rows` rows of `row_bytes`, strided";
  let arguments = (ins I64:$hbm, I64:$tsram, I64:$rows, I64:$row_bytes, I64:$hbm_stride,
                       DefaultValuedAttr<I32Attr, "0">:$tsram_stride, Maia_Sem:$sem);
  let assemblyFormat = [{
    $hbm `,` $tsram `,` $rows `,` $row_bytes `,` $hbm_stride `sem` $sem attr-dict
  }];
  let hasVerifier = 1;
}

def Maia_MmaOp : Maia_Op<"mma", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "C[c] (f32, m x n) += A[a] (bf16, m x k) * B[b] (bf16, k x n) in TSRAM";
  let arguments = (ins I64:$c, I64:$a, I64:$b, I64:$m, I64:$n,
                       ConfinedAttr<I32Attr, [IntMinValue<1>]>:$k, Maia_Sem:$sem);
  let assemblyFormat = "$c `,` $a `,` $b `,` $m `,` $n `k` $k `sem` $sem attr-dict";
}

def Maia_MmaTOp : Maia_Op<"mma_t", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "C[c] (f32, m x n) += A[a] (bf16, m x k) * B[b]^T, B stored (bf16, n x k) in TSRAM";
  let arguments = (ins I64:$c, I64:$a, I64:$b, I64:$m, I64:$n,
                       ConfinedAttr<I32Attr, [IntMinValue<1>]>:$k, Maia_Sem:$sem);
  let assemblyFormat = "$c `,` $a `,` $b `,` $m `,` $n `k` $k `sem` $sem attr-dict";
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

def Maia_VectorKind : I32EnumAttr<"VectorKind", "vector-unit operation", [
    I32EnumAttrCase<"Add", 0, "add">, I32EnumAttrCase<"Sub", 1, "sub">,
    I32EnumAttrCase<"Mul", 2, "mul">, I32EnumAttrCase<"Max", 3, "max">,
    I32EnumAttrCase<"Div", 4, "div">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_VectorBinaryOp : Maia_Op<"vbinary", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = lhs[i] (op) rhs[i] for `count` f32 words";
  let arguments = (ins Maia_VectorKind:$kind, I64:$dst, I64:$lhs, I64:$rhs, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$kind $dst `,` $lhs `,` $rhs `,` $count `sem` $sem attr-dict";
}

def Maia_VectorUnaryKind : I32EnumAttr<"VectorUnaryKind", "one-operand vector operation", [
    I32EnumAttrCase<"Exp", 0, "exp">, I32EnumAttrCase<"Copy", 1, "copy">,
    I32EnumAttrCase<"ToBf16", 2, "to_bf16">, I32EnumAttrCase<"ToF32", 3, "to_f32">,
    I32EnumAttrCase<"Sqrt", 4, "sqrt">, I32EnumAttrCase<"Rsqrt", 5, "rsqrt">,
    I32EnumAttrCase<"Erf", 6, "erf">, I32EnumAttrCase<"Sigmoid", 7, "sigmoid">,
    I32EnumAttrCase<"Log", 8, "log">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_VectorUnaryOp : Maia_Op<"vunary", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = f(src[i]) for `count` elements";
  let arguments = (ins Maia_VectorUnaryKind:$kind, I64:$dst, I64:$src, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$kind $dst `,` $src `,` $count `sem` $sem attr-dict";
}

def Maia_VectorFillOp : Maia_Op<"vfill", [MemoryEffects<[MemWrite]>]> {
  let summary = "dst[i] = the low 32 bits of `value` for `count` words";
  let arguments = (ins I64:$dst, I64:$value, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$dst `,` $value `,` $count `sem` $sem attr-dict";
}

def Maia_RowKind : I32EnumAttr<"RowKind", "row-wise vector operation", [
    I32EnumAttrCase<"Max", 0, "max">, I32EnumAttrCase<"Sum", 1, "sum">,
    I32EnumAttrCase<"Sub", 2, "sub">, I32EnumAttrCase<"Div", 3, "div">,
    I32EnumAttrCase<"Mul", 4, "mul">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_RowOp : Maia_Op<"vrow", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Row reductions (max, sum) and row-broadcast updates (sub, div, mul) of a rows x cols f32 matrix";
  let description = [{
    `max`/`sum`: dst[r] = reduce over c of src[r*cols + c] (no `vector` operand).
    `sub`/`div`/`mul`: dst[r*cols + c] = src[r*cols + c] (op) vector[r].
  }];
  let arguments = (ins Maia_RowKind:$kind, I64:$dst, I64:$src, Optional<I64>:$vector, I64:$cols,
                       I64:$rows, Maia_Sem:$sem);
  let assemblyFormat = [{
    $kind $dst `,` $src (`vector` $vector^)? `,` $cols `,` $rows `sem` $sem attr-dict
  }];
  let hasVerifier = 1;
}

def Maia_ColKind : I32EnumAttr<"ColKind", "column-broadcast vector operation", [
    I32EnumAttrCase<"Add", 0, "add">, I32EnumAttrCase<"Mul", 1, "mul">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_ColOp : Maia_Op<"vcol", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[r*cols + c] = src[r*cols + c] (op) vector[c] for a rows x cols f32 matrix";
  let arguments = (ins Maia_ColKind:$kind, I64:$dst, I64:$src, I64:$vector, I64:$cols, I64:$rows, Maia_Sem:$sem);
  let assemblyFormat = "$kind $dst `,` $src `,` $vector `,` $cols `,` $rows `sem` $sem attr-dict";
}

def Maia_FillTailOp : Maia_Op<"vfilltail", [MemoryEffects<[MemWrite]>]> {
  let summary = "In row r of a rows x cols matrix, the words from `first + r * step` on get `value`'s low 32 bits";
  let description = [{
    The first masked-off word of each row is clamped into [0, cols]: a masked load's
    tail, or a causal mask's diagonal when `step` is 1.
  }];
  let arguments = (ins I64:$dst, I64:$first, I64:$value, I64:$cols, I64:$rows, I32Attr:$step, Maia_Sem:$sem);
  let assemblyFormat = "$dst `,` $first `,` $value `,` $cols `,` $rows `step` $step `sem` $sem attr-dict";
}

//===----------------------------------------------------------------------===//
// Typed vector unit (vt.*): integer and float elements of any width
//===----------------------------------------------------------------------===//

// The element types the typed unit takes: i8..i64 (i1 is a byte holding 0 or 1),
// ui8..ui64 (how a conversion reads its source), f16, bf16, f32, f64.
def Maia_ElemType : TypeAttrOf<AnyTypeOf<[I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64, F16, BF16, F32, F64]>>;

def Maia_TypedKind : I32EnumAttr<"TypedKind", "typed vector-unit operation", [
    I32EnumAttrCase<"Add", 0, "add">, I32EnumAttrCase<"Sub", 1, "sub">,
    I32EnumAttrCase<"Mul", 2, "mul">, I32EnumAttrCase<"Div", 3, "div">,
    I32EnumAttrCase<"Rem", 4, "rem">, I32EnumAttrCase<"Max", 5, "max">,
    I32EnumAttrCase<"Min", 6, "min">, I32EnumAttrCase<"And", 7, "and">,
    I32EnumAttrCase<"Or", 8, "or">, I32EnumAttrCase<"Xor", 9, "xor">,
    I32EnumAttrCase<"Shl", 10, "shl">, I32EnumAttrCase<"Shr", 11, "shr">,
    I32EnumAttrCase<"ShrU", 12, "shru">, I32EnumAttrCase<"Lt", 13, "lt">,
    I32EnumAttrCase<"Le", 14, "le">, I32EnumAttrCase<"Eq", 15, "eq">,
    I32EnumAttrCase<"Ne", 16, "ne">, I32EnumAttrCase<"LtU", 17, "ltu">,
    I32EnumAttrCase<"LeU", 18, "leu">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_TypedBinaryOp : Maia_Op<"vt.binary", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = lhs[i] (op) rhs[i] for `count` elements of `elem`";
  let description = [{
    Comparisons (`lt` ... `leu`) write one byte per element, 1 where the relation
    holds. Integers wrap at their width; floats are rounded once to `elem`.
  }];
  let arguments = (ins Maia_TypedKind:$kind, Maia_ElemType:$elem, I64:$dst, I64:$lhs, I64:$rhs, I64:$count,
                       Maia_Sem:$sem);
  let assemblyFormat = "$kind $elem $dst `,` $lhs `,` $rhs `,` $count `sem` $sem attr-dict";
}

def Maia_TypedSelectOp : Maia_Op<"vt.select", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = mask[i] (a byte) ? on_true[i] : on_false[i] for `count` elements of `elem`";
  let arguments = (ins Maia_ElemType:$elem, I64:$dst, I64:$mask, I64:$on_true, I64:$on_false, I64:$count,
                       Maia_Sem:$sem);
  let assemblyFormat = "$elem $dst `,` $mask `,` $on_true `,` $on_false `,` $count `sem` $sem attr-dict";
}

def Maia_TypedConvertOp : Maia_Op<"vt.convert", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = src[i] converted from `from` to `to` for `count` elements";
  let arguments = (ins Maia_ElemType:$from, Maia_ElemType:$to, I64:$dst, I64:$src, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$from `to` $to $dst `,` $src `,` $count `sem` $sem attr-dict";
}

def Maia_TypedFillOp : Maia_Op<"vt.fill", [MemoryEffects<[MemWrite]>]> {
  let summary = "dst[i] = the low bits of `value` for `count` elements of `elem`";
  let arguments = (ins Maia_ElemType:$elem, I64:$dst, I64:$value, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$elem $dst `,` $value `,` $count `sem` $sem attr-dict";
}

def Maia_TypedIotaOp : Maia_Op<"vt.iota", [MemoryEffects<[MemWrite]>]> {
  let summary = "dst[i] = start + i for `count` elements of the integer type `elem`";
  let arguments = (ins Maia_ElemType:$elem, I64:$dst, I64:$start, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$elem $dst `,` $start `,` $count `sem` $sem attr-dict";
}

def Maia_TypedRowKind : I32EnumAttr<"TypedRowKind", "typed row operation", [
    I32EnumAttrCase<"Bcast", 0, "bcast">, I32EnumAttrCase<"Sum", 1, "sum">,
    I32EnumAttrCase<"Max", 2, "max">, I32EnumAttrCase<"Min", 3, "min">,
    I32EnumAttrCase<"Trans", 4, "trans">, I32EnumAttrCase<"ScanSum", 5, "scansum">,
    I32EnumAttrCase<"ScanMax", 6, "scanmax">, I32EnumAttrCase<"ScanMin", 7, "scanmin">,
    I32EnumAttrCase<"Rev", 8, "rev">, I32EnumAttrCase<"ArgMax", 9, "argmax">,
    I32EnumAttrCase<"ArgMin", 10, "argmin">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_TypedRowOp : Maia_Op<"vt.row", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "A row operation on a rows x cols matrix of `elem`";
  let description = [{
    `bcast`: dst[r*cols + c] = src[r]. `sum`/`max`/`min`: dst[r] = the reduction of
    row r in column order. `trans`: dst (cols x rows) = src transposed. `scansum`,
    `scanmax`, `scanmin`: inclusive scans along each row. `rev`: each row reversed.
    `argmax`/`argmin`: dst[r] (i32) = the column of row r's first extremum.
  }];
  let arguments = (ins Maia_TypedRowKind:$kind, Maia_ElemType:$elem, I64:$dst, I64:$src, I64:$cols, I64:$rows,
                       Maia_Sem:$sem);
  let assemblyFormat = "$kind $elem $dst `,` $src `,` $cols `,` $rows `sem` $sem attr-dict";
}

def Maia_TypedGerOp : Maia_Op<"vt.ger", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "acc[r*cols + c] += lhs[r] * rhs[c] over a rows x cols matrix of `elem`";
  let description = [{
    A rank-1 update on the vector unit, one rounding per element: the step of a dot
    product of a dtype the tensor unit does not take.
  }];
  let arguments = (ins Maia_ElemType:$elem, I64:$acc, I64:$lhs, I64:$rhs, I64:$cols, I64:$rows, Maia_Sem:$sem);
  let assemblyFormat = "$elem $acc `,` $lhs `,` $rhs `,` $cols `,` $rows `sem` $sem attr-dict";
}

def Maia_TypedFunction : I32EnumAttr<"TypedFunction", "typed float function", [
    I32EnumAttrCase<"Exp", 0, "exp">, I32EnumAttrCase<"Log", 1, "log">,
    I32EnumAttrCase<"Sqrt", 2, "sqrt">, I32EnumAttrCase<"Rsqrt", 3, "rsqrt">,
    I32EnumAttrCase<"Erf", 4, "erf">, I32EnumAttrCase<"Sigmoid", 5, "sigmoid">,
    I32EnumAttrCase<"Tanh", 6, "tanh">, I32EnumAttrCase<"Sin", 7, "sin">,
    I32EnumAttrCase<"Cos", 8, "cos">, I32EnumAttrCase<"Exp2", 9, "exp2">,
    I32EnumAttrCase<"Log2", 10, "log2">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_TypedUnaryOp : Maia_Op<"vt.unary", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "dst[i] = fn(src[i]) for `count` float elements of `elem`";
  let arguments = (ins Maia_TypedFunction:$fn, Maia_ElemType:$elem, I64:$dst, I64:$src, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$fn $elem $dst `,` $src `,` $count `sem` $sem attr-dict";
}

def Maia_AtomicKind : I32EnumAttr<"AtomicKind", "DMA atomic operation", [
    I32EnumAttrCase<"Add", 0, "add">, I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">, I32EnumAttrCase<"Xchg", 3, "xchg">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_DmaAtomicOp : Maia_Op<"dma_atomic", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "hbm[i] = op(hbm[i], tsram[i]) atomically, the old values into tsram";
  let description = [{
    `rows` rows of `row_bytes` bytes: dense in TSRAM, `hbm_stride` bytes apart in HBM.
  }];
  let arguments = (ins Maia_AtomicKind:$kind, Maia_ElemType:$elem, I64:$hbm, I64:$tsram, I64:$rows,
                       I64:$row_bytes, I64:$hbm_stride, Maia_Sem:$sem);
  let assemblyFormat = [{
    $kind $elem $hbm `,` $tsram `,` $rows `,` $row_bytes `,` $hbm_stride `sem` $sem attr-dict
  }];
}

def Maia_IndexedKind : I32EnumAttr<"IndexedKind", "indexed DMA", [
    I32EnumAttrCase<"Gather", 0, "gather">, I32EnumAttrCase<"Scatter", 1, "scatter">,
    I32EnumAttrCase<"Add", 2, "add">, I32EnumAttrCase<"Max", 3, "max">,
    I32EnumAttrCase<"Min", 4, "min">, I32EnumAttrCase<"Xchg", 5, "xchg">,
    I32EnumAttrCase<"Cas", 6, "cas">]> {
  let cppNamespace = "::tegula::maia::ir";
}

def Maia_DmaIndexedOp : Maia_Op<"dma_indexed", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "One DMA element per index: HBM hbm + offsets[i] * size against tsram[i]";
  let description = [{
    `offsets` is a TSRAM array of `count` i64 element offsets; `mask`, when given, a
    TSRAM array of one byte per element (0: the element is not touched). `gather`
    reads HBM into tsram, `scatter` writes tsram to HBM, the atomics update HBM and
    return the old values into tsram, and `cas` reads compare values then new values
    from tsram (2 x count elements) and returns the old values over the first half.
  }];
  let arguments = (ins Maia_IndexedKind:$kind, Maia_ElemType:$elem, I64:$hbm, I64:$tsram, I64:$offsets,
                       I64:$count, Optional<I64>:$mask, Maia_Sem:$sem);
  let assemblyFormat = [{
    $kind $elem $hbm `,` $tsram `,` $offsets `,` $count (`mask` $mask^)? `sem` $sem attr-dict
  }];
}

def Maia_DebugPrintOp : Maia_Op<"dbg_print", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Hand `count` elements of `elem` at TSRAM `src` to the host's debug log";
  let description = [{
    Tagged with the program instance and `site`, an index into the kernel's debug-site
    table (the module's `maia.debug_sites`); the driver prints them after the launch.
  }];
  let arguments = (ins Maia_ElemType:$elem, I64:$src, I64:$site, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$elem $src `,` $site `,` $count `sem` $sem attr-dict";
}

def Maia_DebugAssertOp : Maia_Op<"dbg_assert", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Fail the launch when a byte of the `count`-byte mask at TSRAM `mask` is 0";
  let arguments = (ins I64:$mask, I64:$site, I64:$count, Maia_Sem:$sem);
  let assemblyFormat = "$mask `,` $site `,` $count `sem` $sem attr-dict";
}

def Maia_LoadWordOp : Maia_Op<"ldw", [MemoryEffects<[MemRead]>]> {
  let summary = "The 32-bit word at an HBM address, sign-extended (a synchronous read)";
  let arguments = (ins I64:$address);
  let results = (outs I64:$result);
  let assemblyFormat = "$address attr-dict";
}

def Maia_CvtfOp : Maia_Op<"cvtf", [Pure]> {
  let summary = "The f32 bit pattern of an integer scalar, for the vector unit";
  let arguments = (ins I64:$value);
  let results = (outs I64:$result);
  let assemblyFormat = "$value attr-dict";
}

#endif
