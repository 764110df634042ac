func.func @select_pointers(%a: tensor<4x!tile.ptr<f32>>, %b: tensor<4x!tile.ptr<f32>>,
                           %c: tensor<4xi1>) -> tensor<4xf32> attributes {tile.kernel} {
  %p = arith.select %c, %a, %b : tensor<4xi1>, tensor<4x!tile.ptr<f32>>
  %v = tile.load %p : tensor<4x!tile.ptr<f32>> -> tensor<4xf32>
  return %v : tensor<4xf32>
}
