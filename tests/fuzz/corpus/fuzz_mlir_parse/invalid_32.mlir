func.func @load_tile_from_scalar_pointer(%p: !tile.ptr<f32>) {
  %0 = tile.load %p : !tile.ptr<f32> -> tensor<4xf32>
  return
}
