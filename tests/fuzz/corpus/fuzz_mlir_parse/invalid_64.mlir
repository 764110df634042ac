func.func @atomic_rmw_result_type(%p: !tile.ptr<f32>, %v: f32) {
  %0 = "tile.atomic_rmw"(%p, %v) <{kind = 0 : i32}> : (!tile.ptr<f32>, f32) -> f64
  return
}
