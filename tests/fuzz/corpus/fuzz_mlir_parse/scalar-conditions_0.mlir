func.func @scalar_conditions(%p: !tile.ptr<i32>, %o: !tile.ptr<f32>, %a: i32, %n: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %ge = arith.cmpi sge, %a, %c0 : i32
  %lt = arith.cmpi slt, %a, %n : i32
  %used = arith.andi %ge, %lt : i1
  %idx = arith.select %used, %a, %c0 : i32
  %q = tile.addptr %p, %idx : !tile.ptr<i32>, i32
  %rank = tile.load %q, %used, %c0 : !tile.ptr<i32> -> i32, i1, i32
  %r = tile.range 0 to 16 : tensor<16xi32>
  %rs = tile.splat %rank : tensor<16xi32>
  %m = arith.cmpi slt, %r, %rs : tensor<16xi32>
  %us = tile.splat %used : tensor<16xi1>
  %keep = arith.andi %m, %us : tensor<16xi1>
  %one = arith.constant 1.0 : f32
  %v = tile.splat %one : tensor<16xf32>
  %os = tile.splat %o : tensor<16x!tile.ptr<f32>>
  %oq = tile.addptr %os, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  tile.store %oq, %v, %keep : tensor<16x!tile.ptr<f32>>, tensor<16xf32>, tensor<16xi1>
  return
}
