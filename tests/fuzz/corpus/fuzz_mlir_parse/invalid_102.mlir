func.func @split_last_dim(%a: tensor<4x3xf32>) -> tensor<4xf32> {
  %l, %r = tile.split %a : tensor<4x3xf32> -> tensor<4xf32>
  return %l : tensor<4xf32>
}
