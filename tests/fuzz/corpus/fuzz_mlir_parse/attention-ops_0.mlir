func.func @attention_ops(%q: !tile.ptr<bf16>, %k: !tile.ptr<bf16>, %o: !tile.ptr<f32>, %cu: !tile.ptr<i32>, %g: i32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c16 = arith.constant 16 : i32
  %pid = tile.program_id 0 : i32
  %cp = tile.addptr %cu, %pid : !tile.ptr<i32>, i32
  %len = tile.load %cp : !tile.ptr<i32> -> i32
  %h = arith.divsi %pid, %g : i32
  %dq = tile.make_desc %q, shape [%c16, %c16], strides [%c16, %c1] : !tile.ptr<bf16> -> !tile.desc<16x16xbf16>
  %dk = tile.make_desc %k, shape [%c16, %c16], strides [%c16, %c1] : !tile.ptr<bf16> -> !tile.desc<16x16xbf16>
  %do = tile.make_desc %o, shape [%c16, %c16], strides [%c16, %c1] : !tile.ptr<f32> -> !tile.desc<16x16xf32>
  %tq = tile.desc_load %dq[%h, %c0] : !tile.desc<16x16xbf16> -> tensor<16x16xbf16>
  %tk = tile.desc_load %dk[%c0, %c0] : !tile.desc<16x16xbf16> -> tensor<16x16xbf16>
  %kt = tile.trans %tk, [1, 0] : tensor<16x16xbf16> -> tensor<16x16xbf16>
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %s = tile.dot %tq, %kt, %zero : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
  %r = tile.range 0 to 16 : tensor<16xi32>
  %rows = tile.expand_dims %r {axis = 1 : i32} : tensor<16xi32> -> tensor<16x1xi32>
  %cols = tile.expand_dims %r {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %rb = tile.broadcast %rows : tensor<16x1xi32> -> tensor<16x16xi32>
  %cb = tile.broadcast %cols : tensor<1x16xi32> -> tensor<16x16xi32>
  %ls = tile.splat %len : tensor<16x16xi32>
  %shifted = arith.addi %rb, %ls : tensor<16x16xi32>
  %causal = arith.cmpi sle, %cb, %shifted : tensor<16x16xi32>
  %ninf = arith.constant 0xFF800000 : f32
  %ni = tile.splat %ninf : tensor<16x16xf32>
  %m = arith.select %causal, %s, %ni : tensor<16x16xi1>, tensor<16x16xf32>
  tile.desc_store %do[%c0, %c0], %m : !tile.desc<16x16xf32>, tensor<16x16xf32>
  return
}
