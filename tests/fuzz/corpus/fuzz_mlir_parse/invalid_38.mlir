func.func @load_other_type(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi1>, %o: tensor<32xf16>) {
  %0 = tile.load %p, %m, %o : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi1>, tensor<32xf16>
  return
}
