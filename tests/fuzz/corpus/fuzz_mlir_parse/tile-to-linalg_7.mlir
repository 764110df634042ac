func.func @load(%ptrs: tensor<16x!tile.ptr<f32>>, %mask: tensor<16xi1>, %other: tensor<16xf32>,
                %p: !tile.ptr<i32>, %m: i1) -> (tensor<16xf32>, i32, i32) attributes {tile.kernel} {
  %0 = tile.load %ptrs, %mask, %other
      : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>, tensor<16xf32>
  %1 = tile.load %p : !tile.ptr<i32> -> i32
  %2 = tile.load %p, %m : !tile.ptr<i32> -> i32, i1
  return %0, %1, %2 : tensor<16xf32>, i32, i32
}
