func.func @loop_carried_pointers(%p: !tile.ptr<f32>, %n: i32) -> tensor<16xf32>
    attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c16 = arith.constant 16 : i32
  %zero = arith.constant dense<0.0> : tensor<16xf32>
  %r = tile.range 0 to 16 : tensor<16xi32>
  %ps = tile.splat %p : tensor<16x!tile.ptr<f32>>
  %ptrs = tile.addptr %ps, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %res:2 = scf.for %i = %c0 to %n step %c16 iter_args(%acc = %zero, %q = %ptrs)
      -> (tensor<16xf32>, tensor<16x!tile.ptr<f32>>) : i32 {
    %x = tile.load %q : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
    %a = arith.addf %acc, %x : tensor<16xf32>
    %next = tile.addptr %q, %c16 : tensor<16x!tile.ptr<f32>>, i32
    scf.yield %a, %next : tensor<16xf32>, tensor<16x!tile.ptr<f32>>
  }
  return %res#0 : tensor<16xf32>
}
