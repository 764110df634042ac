func.func @debug(%t: tensor<8xf32>, %n: i32) attributes {tile.kernel} {
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %ok = arith.cmpf ogt, %t, %zero : tensor<8xf32>
  tile.print "vals", %t, %n : tensor<8xf32>, i32
  tile.assert %ok, "positive" : tensor<8xi1>
  return
}
