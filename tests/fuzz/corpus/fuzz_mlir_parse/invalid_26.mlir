func.func @addptr_scalar_ptr_tile_offset(%p: !tile.ptr<f32>, %o: tensor<64xi32>) {
  %0 = tile.addptr %p, %o : !tile.ptr<f32>, tensor<64xi32>
  return
}
