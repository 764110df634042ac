func.func @store_value_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<64xf32>) {
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, tensor<64xf32>
  return
}
