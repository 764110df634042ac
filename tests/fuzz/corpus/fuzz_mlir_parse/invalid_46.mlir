func.func @gather_indices_shape(%p: !tile.ptr<f32>, %i: tensor<16xi32>) {
  %0 = tile.gather %p[%i] : !tile.ptr<f32>, tensor<16xi32> -> tensor<32xf32>
  return
}
