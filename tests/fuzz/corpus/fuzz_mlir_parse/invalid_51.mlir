func.func @gather_float_indices(%p: !tile.ptr<f32>, %i: tensor<32xf32>) {
  %0 = "tile.gather"(%p, %i) <{operandSegmentSizes = array<i32: 1, 1, 0, 0>}> : (!tile.ptr<f32>, tensor<32xf32>) -> tensor<32xf32>
  return
}
