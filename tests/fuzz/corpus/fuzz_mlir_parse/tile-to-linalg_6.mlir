func.func @addptr(%p: !tile.ptr<f32>, %off: i32) -> tensor<64x!tile.ptr<f32>>
    attributes {tile.kernel} {
  %pid = tile.program_id 1 : i32
  %n = tile.num_programs 2 : i32
  %q = tile.addptr %p, %pid : !tile.ptr<f32>, i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %ps = tile.splat %q : tensor<64x!tile.ptr<f32>>
  %x = tile.addptr %ps, %r : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %y = tile.addptr %x, %n : tensor<64x!tile.ptr<f32>>, i32
  return %y : tensor<64x!tile.ptr<f32>>
}
