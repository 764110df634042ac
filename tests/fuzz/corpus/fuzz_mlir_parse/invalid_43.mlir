func.func @store_element_type(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xi32>) {
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  return
}
