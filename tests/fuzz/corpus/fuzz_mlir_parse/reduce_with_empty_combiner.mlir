func.func @reduce_with(%t: tensor<4x8xf32>) -> tensor<4xf32> attributes {tile.kernel} {
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):  }
  return %r : tensor<4xf32>
}
