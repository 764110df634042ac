func.func @gather(%base: !tile.ptr<f16>, %idx: tensor<8x16xi32>, %mask: tensor<8x16xi1>)
    -> tensor<8x16xf16> attributes {tile.kernel} {
  %0 = tile.gather %base[%idx], %mask
      : !tile.ptr<f16>, tensor<8x16xi32> -> tensor<8x16xf16>, tensor<8x16xi1>
  return %0 : tensor<8x16xf16>
}
