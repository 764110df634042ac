func.func @addptr_result_type(%p: !tile.ptr<f32>, %o: i32) {
  %0 = "tile.addptr"(%p, %o) : (!tile.ptr<f32>, i32) -> !tile.ptr<f16>
  return
}
