func.func @range_reversed() {
  %0 = tile.range 8 to 4 : tensor<4xi32>
  return
}
