func.func @descriptors(%base: !tile.ptr<f32>, %m: i32, %n: i32, %ld: i32, %x: i32, %y: i32)
    attributes {tile.kernel} {
  %c1 = arith.constant 1 : i32
  %d = tile.make_desc %base, shape [%m, %n], strides [%ld, %c1]
      : !tile.ptr<f32> -> !tile.desc<4x8xf32>
  %b = tile.desc_load %d[%x, %y] : !tile.desc<4x8xf32> -> tensor<4x8xf32>
  tile.desc_store %d[%y, %x], %b : !tile.desc<4x8xf32>, tensor<4x8xf32>
  return
}
