func.func @load_other_without_mask(%p: !tile.ptr<f32>, %o: f32) {
  %0 = "tile.load"(%p, %o) <{operandSegmentSizes = array<i32: 1, 0, 1>}> : (!tile.ptr<f32>, f32) -> f32
  return
}
