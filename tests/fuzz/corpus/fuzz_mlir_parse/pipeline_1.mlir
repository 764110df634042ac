func.func @dot_loop(%a: !tile.ptr<f32>, %b: !tile.ptr<f32>, %c: !tile.ptr<f32>, %k: i32)
    attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c8 = arith.constant 8 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %da = tile.make_desc %a, shape [%c16, %k], strides [%k, %c1]
      : !tile.ptr<f32> -> !tile.desc<16x8xf32>
  %db = tile.make_desc %b, shape [%k, %c16], strides [%c16, %c1]
      : !tile.ptr<f32> -> !tile.desc<8x16xf32>
  %dc = tile.make_desc %c, shape [%c16, %c16], strides [%c16, %c1]
      : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %acc = scf.for %i = %c0 to %k step %c8 iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    %ta = tile.desc_load %da[%c0, %i] : !tile.desc<16x8xf32> -> tensor<16x8xf32>
    %tb = tile.desc_load %db[%i, %c0] : !tile.desc<8x16xf32> -> tensor<8x16xf32>
    %next = tile.dot %ta, %tb, %acc : tensor<16x8xf32>, tensor<8x16xf32> -> tensor<16x16xf32>
    scf.yield %next : tensor<16x16xf32>
  }
  tile.desc_store %dc[%c0, %c0], %acc : !tile.desc<16x16xf32>, tensor<16x16xf32>
  return
}
