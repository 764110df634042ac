func.func @bounds_checked(%ptrs: tensor<16x!tile.ptr<f32>>, %mask: tensor<16xi1>,
                          %p: !tile.ptr<f16>, %v: f16) -> tensor<16xf32> attributes {tile.kernel} {
  %0 = tile.load %ptrs, %mask : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>, tensor<16xi1>
  tile.store %p, %v : !tile.ptr<f16>, f16 loc("kernel.py":42:7)
  return %0 : tensor<16xf32>
}
