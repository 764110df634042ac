func.func @gemm(%a: !tile.ptr<bf16>, %b: !tile.ptr<bf16>, %c: !tile.ptr<f32>, %M: i32, %N: i32, %K: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %c32 = arith.constant 32 : i32
  %p0 = tile.program_id 0 : i32
  %p1 = tile.program_id 1 : i32
  %row = arith.muli %p0, %c32 : i32
  %col = arith.muli %p1, %c32 : i32
  %da = tile.make_desc %a, shape [%M, %K], strides [%K, %c1] : !tile.ptr<bf16> -> !tile.desc<32x16xbf16>
  %db = tile.make_desc %b, shape [%K, %N], strides [%N, %c1] : !tile.ptr<bf16> -> !tile.desc<16x32xbf16>
  %dc = tile.make_desc %c, shape [%M, %N], strides [%N, %c1] : !tile.ptr<f32> -> !tile.desc<32x32xf32>
  %acc0 = arith.constant dense<0.0> : tensor<32x32xf32>
  %acc = scf.for %k = %c0 to %K step %c16 iter_args(%acc1 = %acc0) -> (tensor<32x32xf32>) : i32 {
    %ta = tile.desc_load %da[%row, %k] : !tile.desc<32x16xbf16> -> tensor<32x16xbf16>
    %tb = tile.desc_load %db[%k, %col] : !tile.desc<16x32xbf16> -> tensor<16x32xbf16>
    %next = tile.dot %ta, %tb, %acc1 : tensor<32x16xbf16>, tensor<16x32xbf16> -> tensor<32x32xf32>
    scf.yield %next : tensor<32x32xf32>
  }
  tile.desc_store %dc[%row, %col], %acc : !tile.desc<32x32xf32>, tensor<32x32xf32>
  return
}
