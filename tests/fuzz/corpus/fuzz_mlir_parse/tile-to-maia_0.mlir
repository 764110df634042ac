func.func @vadd(%x: !tile.ptr<f32>, %y: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  %pid = tile.program_id 0 : i32
  %c64 = arith.constant 64 : i32
  %start = arith.muli %pid, %c64 : i32
  %r = tile.range 0 to 64 : tensor<64xi32>
  %s = tile.splat %start : tensor<64xi32>
  %offs = arith.addi %s, %r : tensor<64xi32>
  %ns = tile.splat %n : tensor<64xi32>
  %m = arith.cmpi slt, %offs, %ns : tensor<64xi32>
  %zero = arith.constant 0.0 : f32
  %z = tile.splat %zero : tensor<64xf32>
  %xp = tile.splat %x : tensor<64x!tile.ptr<f32>>
  %xq = tile.addptr %xp, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %yp = tile.splat %y : tensor<64x!tile.ptr<f32>>
  %yq = tile.addptr %yp, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  %a = tile.load %xq, %m, %z : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %b = tile.load %yq, %m, %z : tensor<64x!tile.ptr<f32>> -> tensor<64xf32>, tensor<64xi1>, tensor<64xf32>
  %sum = arith.addf %a, %b : tensor<64xf32>
  %op = tile.splat %o : tensor<64x!tile.ptr<f32>>
  %oq = tile.addptr %op, %offs : tensor<64x!tile.ptr<f32>>, tensor<64xi32>
  tile.store %oq, %sum, %m : tensor<64x!tile.ptr<f32>>, tensor<64xf32>, tensor<64xi1>
  return
}
