func.func @f32_dot(%a: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %a, shape [%n, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %t = tile.desc_load %d[%c0, %c0] : !tile.desc<16x16xf32> -> tensor<16x16xf32>
  %acc = arith.constant dense<0.0> : tensor<16x16xf32>
  %r = tile.dot %t, %t, %acc : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
  return
}
