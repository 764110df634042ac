func.func @gather_other_type(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %m: tensor<32xi1>, %o: f32) {
  %0 = tile.gather %p[%i], %m, %o : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf32>, tensor<32xi1>, f32
  return
}
