func.func @scan_unknown_kind(%a: tensor<16xf32>) {
  %0 = tile.scan argmax %a {axis = 0 : i32} : tensor<16xf32>
  return
}
