// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia -verify-diagnostics

// A refusal names the construct as the language writes it, says whether the machine
// cannot compute it or the lowering does not yet, and why, at the construct's op.
func.func @cas_one_pointer(%a: !tile.ptr<i32>) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-error @+1 {{`atomic_cas` of i32 scalars: not lowered to Maia yet: a compare-and-swap through one pointer is not lowered; use a tile of one element}}
  %old = tile.atomic_cas %a, %c0, %c1 : !tile.ptr<i32>, i32
  return
}

// -----

// A scan of a tile of rank 3 says which ranks are lowered.
func.func @scan3d(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 64 : tensor<64xi32>
  %p = tile.splat %a : tensor<64x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %v = tile.load %q : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>
  %t = tile.reshape %v : tensor<64xf32> -> tensor<4x4x4xf32>
  // expected-error @+1 {{a scan (`cumsum`, `cummax`, ...) of f32 tiles: not lowered to Maia yet: scans of tiles of rank 1 or 2 are lowered}}
  %s = tile.scan sum %t {axis = 2 : i32} : tensor<4x4x4xf32>
  return
}

// -----

// A tile of pointers yielded with other strides than it entered with is refused at
// its loop, naming what to do instead.
func.func @pointer_loop_restrided(%a: !tile.ptr<f32>, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = tile.range 0 to 8 : tensor<8xi32>
  %ap = tile.splat %a : tensor<8x!tile.ptr<f32>>
  %p0 = tile.addptr %ap, %r : tensor<8x!tile.ptr<f32>>, tensor<8xi32>
  // expected-error @+1 {{a `range` loop: not lowered to Maia yet: a tile of pointers carried through a loop keeps its base pointer and strides; advance it by a uniform offset (`ptrs + step`) rather than rebuilding it}}
  %pn = scf.for %k = %c0 to %K step %c1 iter_args(%p = %p0) -> (tensor<8x!tile.ptr<f32>>) : i32 {
    %p2 = tile.addptr %p, %r : tensor<8x!tile.ptr<f32>>, tensor<8xi32>
    scf.yield %p2 : tensor<8x!tile.ptr<f32>>
  }
  return
}

// -----

// Every row would read the same memory (no row stride): refused, not read as rows.
func.func @repeated_rows(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %row = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %all = tile.broadcast %row : tensor<1x16xi32> -> tensor<4x16xi32>
  %p = tile.splat %a : tensor<4x16x!tile.ptr<f32>>
  %q = tile.addptr %p, %all : tensor<4x16x!tile.ptr<f32>>, tensor<4x16xi32>
  // expected-error @+1 {{`load` of f32 tiles: not lowered to Maia yet: every row of this access reads the same memory}}
  %v = tile.load %q : tensor<4x16x!tile.ptr<f32>> -> tensor<4x16xf32>
  return
}

// -----

// A combine function of more than one operation is refused, naming what is lowered.
func.func @combiner_two_ops(%x: !tile.ptr<f32>, %o: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %xp = tile.splat %x : tensor<16x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %t = tile.load %xq : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  // expected-error @+1 {{`reduce` with a combine function of f32 tiles: not lowered to Maia yet: a combine function is lowered when it is one `+`, `maximum` or `minimum` of its two elements; others are not lowered yet}}
  %s = tile.reduce_with %t {axis = 0 : i32} : tensor<16xf32> -> f32 {
  ^bb0(%a: f32, %b: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.addf %p, %a : f32
    tile.yield %q : f32
  }
  return
}

// -----

// A comparison names the data it compares, not its boolean result; the predicates the
// typed unit has no relation for are refused by name.
func.func @float_compare_unordered(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  // expected-error @+1 {{a comparison (`<`, `==`, ...) of f32 tiles: not lowered to Maia yet: this comparison's predicate (unordered or ordered-not-equal) is not lowered}}
  %m = arith.cmpf ult, %v, %v : tensor<16xf32>
  return
}

// -----

// A reduction of a tile of rank 3 says which ranks are lowered.
func.func @reduce3d(%a: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 64 : tensor<64xi32>
  %p = tile.splat %a : tensor<64x!tile.ptr<i32>>
  %q = tile.addptr %p, %r : tensor<64x!tile.ptr<i32>>, tensor<64xi32>
  %v = tile.load %q : tensor<64x!tile.ptr<i32>> -> tensor<64xi32>
  %t = tile.reshape %v : tensor<64xi32> -> tensor<4x4x4xi32>
  // expected-error @+1 {{a reduction (`sum`, `max`, `min`, `argmax`, `argmin`) of i32 tiles: not lowered to Maia yet: reductions are lowered for tiles of rank 1 or 2 only}}
  %s = tile.reduce sum %t {axis = 2 : i32} : tensor<4x4x4xi32> -> tensor<4x4xi32>
  return
}

// -----

// A branch yielding a float scalar says how to write it instead.
func.func @branch_float_scalar(%a: !tile.ptr<f32>, %flag: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  %cond = arith.cmpi sgt, %flag, %c0 : i32
  // expected-error @+1 {{a branch yielding a float scalar is not lowered; yield it as a tile of one element}}
  %v = scf.if %cond -> (f32) {
    scf.yield %one : f32
  } else {
    scf.yield %two : f32
  }
  tile.store %a, %v : !tile.ptr<f32>, f32
  return
}

// -----

// The one machine limit: tiles that do not fit a tile's TSRAM.
func.func @too_large(%a: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %a, shape [%n, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<2048x2048xf32>
  // expected-error @+1 {{a descriptor's `load` of f32 tiles: beyond the Maia machine: the kernel's live tiles need more than the tile's}}
  %t = tile.desc_load %d[%c0, %c0] : !tile.desc<2048x2048xf32> -> tensor<2048x2048xf32>
  return
}
