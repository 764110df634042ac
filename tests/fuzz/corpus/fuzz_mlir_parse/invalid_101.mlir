func.func @join_shape(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %j = tile.join %a, %b : tensor<4xf32> -> tensor<2x4xf32>
  return %j : tensor<2x4xf32>
}
