func.func @scan_result_type(%a: tensor<16xf32>) {
  %0 = "tile.scan"(%a) <{axis = 0 : i32, kind = 0 : i32}> : (tensor<16xf32>) -> tensor<16xf16>
  return
}
