func.func @gather_mask_shape(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %m: tensor<16xi1>) {
  %0 = tile.gather %p[%i], %m : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf32>, tensor<16xi1>
  return
}
