func.func @desc_store_block_type(%d: !tile.desc<64x32xf32>, %x: i32, %v: tensor<64x16xf32>) {
  tile.desc_store %d[%x, %x], %v : !tile.desc<64x32xf32>, tensor<64x16xf32>
  return
}
