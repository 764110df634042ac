func.func @atomic_rmw_unknown_kind(%p: !tile.ptr<f32>, %v: f32) {
  %0 = tile.atomic_rmw mul %p, %v : !tile.ptr<f32>, f32
  return
}
