func.func @load_not_a_pointer(%p: tensor<32xi64>) {
  %0 = tile.load %p : tensor<32xi64> -> tensor<32xi64>
  return
}
