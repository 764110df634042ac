func.func @scan(%t: tensor<4x8xi32>, %v: tensor<16xf32>) -> (tensor<4x8xi32>, tensor<16xf32>)
    attributes {tile.kernel} {
  %0 = tile.scan sum %t {axis = 1 : i32} : tensor<4x8xi32>
  %1 = tile.scan max %v {axis = 0 : i32, reverse = true} : tensor<16xf32>
  return %0, %1 : tensor<4x8xi32>, tensor<16xf32>
}
