func.func @desc_load_block_shape(%d: !tile.desc<64x32xf32>, %x: i32) {
  %0 = tile.desc_load %d[%x, %x] : !tile.desc<64x32xf32> -> tensor<32x64xf32>
  return
}
