func.func @join_split(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {tile.kernel} {
  %j = tile.join %a, %b : tensor<4xf32> -> tensor<4x2xf32>
  %l, %r = tile.split %j : tensor<4x2xf32> -> tensor<4xf32>
  %s = arith.addf %l, %r : tensor<4xf32>
  return %s : tensor<4xf32>
}
