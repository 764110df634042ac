func.func @range_rank2() {
  %0 = tile.range 0 to 4 : tensor<2x2xi32>
  return
}
