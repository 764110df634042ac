func.func @make_desc_too_few_sizes(%p: !tile.ptr<f32>, %x: i32) {
  %0 = tile.make_desc %p, shape [%x], strides [%x, %x] : !tile.ptr<f32> -> !tile.desc<64x32xf32>
  return
}
