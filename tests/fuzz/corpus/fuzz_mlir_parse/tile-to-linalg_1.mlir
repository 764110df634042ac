func.func @splat(%x: f32) -> tensor<8x4xf32> attributes {tile.kernel} {
  %0 = tile.splat %x : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}
