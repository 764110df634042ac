func.func @vector_ops(%x: !tile.ptr<f32>, %w: !tile.ptr<f32>, %o: !tile.ptr<f32>, %n: i32, %s: f32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c4 = arith.constant 4 : i32
  %dx = tile.make_desc %x, shape [%c4, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<4x16xf32>
  %do = tile.make_desc %o, shape [%c4, %n], strides [%n, %c1] : !tile.ptr<f32> -> !tile.desc<4x16xf32>
  %t = tile.desc_load %dx[%c0, %c0] : !tile.desc<4x16xf32> -> tensor<4x16xf32>
  %r = tile.range 0 to 16 : tensor<16xi32>
  %wp = tile.splat %w : tensor<16x!tile.ptr<f32>>
  %wq = tile.addptr %wp, %r : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %wv = tile.load %wq : tensor<16x!tile.ptr<f32>> -> tensor<16xf32>
  %wr = tile.expand_dims %wv {axis = 0 : i32} : tensor<16xf32> -> tensor<1x16xf32>
  %wb = tile.broadcast %wr : tensor<1x16xf32> -> tensor<4x16xf32>
  %sum = arith.addf %t, %wb : tensor<4x16xf32>
  %root = math.sqrt %sum : tensor<4x16xf32>
  %nf = arith.sitofp %n : i32 to f32
  %ns = tile.splat %nf : tensor<4x16xf32>
  %q = arith.divf %root, %ns : tensor<4x16xf32>
  %ss = tile.splat %s : tensor<4x16xf32>
  %e = math.erf %q : tensor<4x16xf32>
  %scaled = arith.mulf %e, %ss : tensor<4x16xf32>
  %rc = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rcb = tile.broadcast %rc : tensor<1x16xi32> -> tensor<4x16xi32>
  %nb = tile.splat %n : tensor<4x16xi32>
  %m = arith.cmpi slt, %rcb, %nb : tensor<4x16xi32>
  %ninf = arith.constant 0xFF800000 : f32
  %ni = tile.splat %ninf : tensor<4x16xf32>
  %sel = arith.select %m, %scaled, %ni : tensor<4x16xi1>, tensor<4x16xf32>
  tile.desc_store %do[%c0, %c0], %sel : !tile.desc<4x16xf32>, tensor<4x16xf32>
  return
}
