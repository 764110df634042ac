func.func @reduce_with_wrong_yield(%t: tensor<4x8xf32>) -> tensor<4xf32> {
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
    tile.yield %x, %y : f32, f32
  }
  return %r : tensor<4xf32>
}
