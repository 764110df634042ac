func.func @addptr_shape_mismatch(%p: tensor<64x!tile.ptr<f32>>, %o: tensor<32xi32>) {
  %0 = tile.addptr %p, %o : tensor<64x!tile.ptr<f32>>, tensor<32xi32>
  return
}
