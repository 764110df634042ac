func.func @broadcast(%t: tensor<1x32xf32>) -> tensor<16x32xf32> attributes {tile.kernel} {
  %0 = tile.broadcast %t : tensor<1x32xf32> -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}
