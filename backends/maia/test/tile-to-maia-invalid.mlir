// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia -verify-diagnostics

// A refusal names the construct as the language writes it, says whether the machine
// cannot compute it or the lowering does not yet, and why, at the construct's op.
func.func @f32_dot(%a: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %a, shape [%n, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %t = tile.desc_load %d[%c0, %c0] : !tile.desc<16x16xf32> -> tensor<16x16xf32>
  %acc = arith.constant dense<0.0> : tensor<16x16xf32>
  // expected-error @+1 {{`dot` of f32 tiles: not lowered to Maia yet: the tensor unit multiplies bf16 tiles, and dots of other dtypes on the vector unit are not lowered yet}}
  %r = tile.dot %t, %t, %acc : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
  return
}

// -----

// A gather has no structured access to turn into a DMA.
func.func @gather(%a: !tile.ptr<f32>, %i: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  // expected-error @+1 {{a gather (`load` through pointers that are not a block) of f32 tiles: not lowered to Maia yet: no lowering is written for 'tile.gather'}}
  %g = tile.gather %a[%r] : !tile.ptr<f32>, tensor<16xi32> -> tensor<16xf32>
  return
}

// -----

// Columns that are not contiguous cannot be one DMA row.
func.func @strided(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %c2 = arith.constant dense<2> : tensor<16xi32>
  %s = arith.muli %r, %c2 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<f32>>
  %q = tile.addptr %p, %s : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  // expected-error @+1 {{`load` of f32 tiles: not lowered to Maia yet: the innermost dimension of this access is not contiguous}}
  %v = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
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

// An op with no lowering is named as the language writes it, with its dtype.
func.func @join(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  // expected-error @+1 {{`join` of f32 tiles: not lowered to Maia yet: no lowering is written for 'tile.join'}}
  %j = tile.join %v, %v : tensor<16xf32> -> tensor<16x2xf32>
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

// A reduction kind the row operations lack says which and why.
func.func @argmax(%a: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<i32>>
  %q = tile.addptr %p, %r : tensor<16x!tile.ptr<i32>>, tensor<16xi32>
  %v = tile.load %q : tensor<16x!tile.ptr<i32>> -> tensor<16xi32>
  // expected-error @+1 {{a reduction (`sum`, `max`, `min`, `argmax`, `argmin`) of i32 tiles: not lowered to Maia yet: `argmax` and `argmin` are not lowered (they need the index of each row's extremum)}}
  %s = tile.reduce argmax %v {axis = 0 : i32} : tensor<16xi32> -> i32
  return
}

// -----

// A load masked by data (not by index comparisons) is a gather, and says what it got.
func.func @data_masked_load(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<f32>>
  %q = tile.addptr %p, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  %m = arith.cmpf olt, %v, %v : tensor<16xf32>
  // expected-error @+1 {{a masked `load` of f32 tiles: not lowered to Maia yet: it needs a mask of index comparisons here, and this operand is a data tile}}
  %w = tile.load %q, %m : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>
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
