func.func @trans(%t: tensor<2x4x8xbf16>) -> tensor<8x2x4xbf16> attributes {tile.kernel} {
  %0 = tile.trans %t, [2, 0, 1] : tensor<2x4x8xbf16> -> tensor<8x2x4xbf16>
  return %0 : tensor<8x2x4xbf16>
}
