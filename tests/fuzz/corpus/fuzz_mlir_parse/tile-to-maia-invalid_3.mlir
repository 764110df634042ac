func.func @repeated_rows(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %row = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %all = tile.broadcast %row : tensor<1x16xi32> -> tensor<4x16xi32>
  %p = tile.splat %a : tensor<4x16x!tile.ptr<f32>>
  %q = tile.addptr %p, %all : tensor<4x16x!tile.ptr<f32>>, tensor<4x16xi32>
  %v = tile.load %q : tensor<4x16x!tile.ptr<f32>> -> tensor<4x16xf32>
  return
}
