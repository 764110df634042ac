func.func @splat_element_type_mismatch(%v: f32) {
  %0 = "tile.splat"(%v) : (f32) -> tensor<4xi32>
  return
}
