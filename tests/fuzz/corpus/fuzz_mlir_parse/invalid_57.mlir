func.func @desc_load_offset_count(%d: !tile.desc<64x32xf32>, %x: i32) {
  %0 = tile.desc_load %d[%x] : !tile.desc<64x32xf32> -> tensor<64x32xf32>
  return
}
