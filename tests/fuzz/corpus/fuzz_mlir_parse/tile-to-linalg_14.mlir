func.func @atomic_rmw(%ptrs: tensor<8x!tile.ptr<f32>>, %v: tensor<8xf32>, %mask: tensor<8xi1>,
                      %p: !tile.ptr<i32>, %s: i32) -> (tensor<8xf32>, i32, i32)
    attributes {tile.kernel} {
  %0 = tile.atomic_rmw add %ptrs, %v, %mask : tensor<8x!tile.ptr<f32>>, tensor<8xf32>, tensor<8xi1>
  %1 = tile.atomic_rmw max %p, %s : !tile.ptr<i32>, i32
  %2 = tile.atomic_rmw xchg %p, %s : !tile.ptr<i32>, i32
  return %0, %1, %2 : tensor<8xf32>, i32, i32
}
