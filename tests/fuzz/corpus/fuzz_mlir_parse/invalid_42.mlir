func.func @store_scalar_through_tile(%p: tensor<32x!tile.ptr<f32>>, %v: f32) {
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, f32
  return
}
