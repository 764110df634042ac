func.func @store(%ptrs: tensor<4x8x!tile.ptr<f16>>, %v: tensor<4x8xf16>, %mask: tensor<4x8xi1>,
                 %p: !tile.ptr<i64>, %s: i64) attributes {tile.kernel} {
  tile.store %ptrs, %v, %mask : tensor<4x8x!tile.ptr<f16>>, tensor<4x8xf16>, tensor<4x8xi1>
  tile.store %p, %s : !tile.ptr<i64>, i64
  return
}
