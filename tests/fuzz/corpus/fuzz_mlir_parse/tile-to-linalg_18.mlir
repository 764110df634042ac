func.func private @helper(%p: !tile.ptr<f32>) -> f32 {
  %v = tile.load %p : !tile.ptr<f32> -> f32
  return %v : f32
}
func.func @calls_helper(%p: !tile.ptr<f32>) -> f32 attributes {tile.kernel} {
  %v = func.call @helper(%p) : (!tile.ptr<f32>) -> f32
  return %v : f32
}
