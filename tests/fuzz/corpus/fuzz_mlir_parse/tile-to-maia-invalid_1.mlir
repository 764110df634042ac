func.func @gather(%a: !tile.ptr<f32>, %i: !tile.ptr<i32>) attributes {tile.kernel} {
  %r = tile.range 0 to 16 : tensor<16xi32>
  %g = tile.gather %a[%r] : !tile.ptr<f32>, tensor<16xi32> -> tensor<16xf32>
  return
}
