func.func @not_lowered(%x: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  return
}
