func.func @range() -> tensor<16xi32> attributes {tile.kernel} {
  %0 = tile.range 4 to 20 : tensor<16xi32>
  return %0 : tensor<16xi32>
}
