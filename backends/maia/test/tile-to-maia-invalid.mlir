// RUN: tegula-opt %s -split-input-file --tegula-convert-tile-to-maia -verify-diagnostics

// What the machine's units cannot compute is refused with the reason, at the op.
func.func @f32_dot(%a: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %a, shape [%n, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %t = tile.desc_load %d[%c0, %c0] : !tile.desc<16x16xf32> -> tensor<16x16xf32>
  %acc = arith.constant dense<0.0> : tensor<16x16xf32>
  // expected-error @+1 {{the Maia tensor unit multiplies bf16 tiles; this dot has f32 operands}}
  %r = tile.dot %t, %t, %acc : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
  return
}

// -----

// A gather has no structured access to turn into a DMA.
func.func @gather(%a: !tile.ptr<f32>, %i: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  // expected-error @+1 {{is not supported by the Maia lowering yet}}
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
  // expected-error @+1 {{the innermost dimension of this access is not contiguous}}
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
  // expected-error @+1 {{every row of this access reads the same memory}}
  %v = tile.load %q : tensor<4x16x!tile.ptr<f32>> -> tensor<4x16xf32>
  return
}
