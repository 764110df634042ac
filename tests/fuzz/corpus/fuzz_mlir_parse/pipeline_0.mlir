func.func @vadd(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %out: !tile.ptr<f32>, %n: i32)
    attributes {tile.kernel} {
  %c64 = arith.constant 64 : i32
  %zero = arith.constant 0.0 : f32
  %pid = tile.program_id 0 : i32
  %start = arith.muli %pid, %c64 : i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %s = tile.splat %start : tensor<64xi32>
  %offs = arith.addi %s, %r : tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<64xi32>
  %other = tile.splat %zero : tensor<64xf32>
  %xs = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xp = tile.addptr %xs, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %a = tile.load %xp, %mask, %other
      : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %ys = tile.splat %y : tensor<64x!tile.ptr<f32>>
  %yp = tile.addptr %ys, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %b = tile.load %yp, %mask, %other
      : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %sum = arith.addf %a, %b : tensor<64xf32>
  %os = tile.splat %out : tensor<64x!tile.ptr<f32>>
  %op = tile.addptr %os, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %op, %sum, %mask : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  return
}
