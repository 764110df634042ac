func.func @load_result_shape(%p: tensor<32x!tile.ptr<f32>>) {
  %0 = tile.load %p : tensor<32x!tile.ptr<f32>> -> tensor<16xf32>
  return
}
