func.func @range_wrong_size() {
  %0 = tile.range 0 to 4 : tensor<8xi32>
  return
}
