func.func @reshape(%t: tensor<16x32xf16>) -> (tensor<4x8x16xf16>, tensor<512xf16>)
    attributes {tile.kernel} {
  %0 = tile.reshape %t : tensor<16x32xf16> -> tensor<4x8x16xf16>
  %1 = tile.reshape %t : tensor<16x32xf16> -> tensor<512xf16>
  return %0, %1 : tensor<4x8x16xf16>, tensor<512xf16>
}
