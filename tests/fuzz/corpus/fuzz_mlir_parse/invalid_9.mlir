func.func @splat_to_scalar(%v: f32) {
  %0 = "tile.splat"(%v) : (f32) -> f32
  return
}
