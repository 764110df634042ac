func.func @load_other_scalar_for_tile(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi1>, %o: f32) {
  %0 = tile.load %p, %m, %o : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi1>, f32
  return
}
