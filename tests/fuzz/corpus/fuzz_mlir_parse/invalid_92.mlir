func.func @reduce_scalar_source(%a: f32) {
  %0 = "tile.reduce"(%a) <{axis = 0 : i32, kind = 0 : i32}> : (f32) -> f32
  return
}
