func.func @strided(%a: !tile.ptr<f32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %c2 = arith.constant dense<2> : tensor<16xi32>
  %s = arith.muli %r, %c2 : tensor<16xi32>
  %p = tile.splat %a : tensor<16x!tile.ptr<f32>>
  %q = tile.addptr %p, %s : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %v = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  return
}
