func.func @make_desc_i64_shape(%p: !tile.ptr<f32>, %x: i64) {
  %0 = "tile.make_desc"(%p, %x, %x) <{operandSegmentSizes = array<i32: 1, 1, 1>}> : (!tile.ptr<f32>, i64, i64) -> !tile.desc<64xf32>
  return
}
