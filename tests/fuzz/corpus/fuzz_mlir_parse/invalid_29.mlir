func.func @addptr_not_a_pointer(%p: tensor<64xi64>, %o: tensor<64xi32>) {
  %0 = "tile.addptr"(%p, %o) : (tensor<64xi64>, tensor<64xi32>) -> tensor<64xi64>
  return
}
