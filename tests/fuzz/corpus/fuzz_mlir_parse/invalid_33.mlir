func.func @load_element_type(%p: tensor<32x!tile.ptr<f32>>) {
  %0 = tile.load %p : tensor<32x!tile.ptr<f32>> -> tensor<32xf16>
  return
}
