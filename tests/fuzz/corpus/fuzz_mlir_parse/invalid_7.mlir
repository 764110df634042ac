func.func @range_not_i32() {
  %0 = tile.range 0 to 4 : tensor<4xi64>
  return
}
