func.func @gather_other_without_mask(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %o: tensor<32xf32>) {
  %0 = "tile.gather"(%p, %i, %o) <{operandSegmentSizes = array<i32: 1, 1, 0, 1>}> : (!tile.ptr<f32>, tensor<32xi32>, tensor<32xf32>) -> tensor<32xf32>
  return
}
