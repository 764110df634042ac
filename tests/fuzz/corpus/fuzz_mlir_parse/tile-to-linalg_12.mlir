func.func @reduce(%t: tensor<16x32xf32>, %v: tensor<64xi32>)
    -> (tensor<32xf32>, tensor<16xf32>, i32, tensor<16xi32>) attributes {tile.kernel} {
  %0 = tile.reduce sum %t {axis = 0 : i32} : tensor<16x32xf32> -> tensor<32xf32>
  %1 = tile.reduce max %t {axis = 1 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  %2 = tile.reduce max %v {axis = 0 : i32} : tensor<64xi32> -> i32
  %3 = tile.reduce argmax %t {axis = 1 : i32} : tensor<16x32xf32> -> tensor<16xi32>
  return %0, %1, %2, %3 : tensor<32xf32>, tensor<16xf32>, i32, tensor<16xi32>
}
