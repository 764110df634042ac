func.func @expand_dims(%v: tensor<32xi32>, %m: tensor<4x8xi32>)
    -> (tensor<1x32xi32>, tensor<32x1xi32>, tensor<1x4x8xi32>, tensor<4x1x8xi32>, tensor<4x8x1xi32>)
    attributes {tile.kernel} {
  %0 = tile.expand_dims %v {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %1 = tile.expand_dims %v {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %2 = tile.expand_dims %m {axis = 0 : i32} : tensor<4x8xi32> -> tensor<1x4x8xi32>
  %3 = tile.expand_dims %m {axis = 1 : i32} : tensor<4x8xi32> -> tensor<4x1x8xi32>
  %4 = tile.expand_dims %m {axis = 2 : i32} : tensor<4x8xi32> -> tensor<4x8x1xi32>
  return %0, %1, %2, %3, %4
      : tensor<1x32xi32>, tensor<32x1xi32>, tensor<1x4x8xi32>, tensor<4x1x8xi32>, tensor<4x8x1xi32>
}
