func.func @desc_store_offset_count(%d: !tile.desc<64x32xf32>, %x: i32, %v: tensor<64x32xf32>) {
  tile.desc_store %d[%x, %x, %x], %v : !tile.desc<64x32xf32>, tensor<64x32xf32>
  return
}
