func.func @load_mask_not_i1(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi8>) {
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi8>
  return
}
