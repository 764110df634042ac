func.func @gather_element_type(%p: !tile.ptr<f32>, %i: tensor<32xi32>) {
  %0 = tile.gather %p[%i] : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf16>
  return
}
