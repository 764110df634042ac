func.func @vector_add(%x: !tile.ptr<f32>, %n: i32, %v: f32) attributes {tile.kernel} {
  %pid = tile.program_id 1 : i32
  %q = tile.addptr %x, %pid : !tile.ptr<f32>, i32
  tile.store %q, %v : !tile.ptr<f32>, f32
  return
}
func.func @not_a_kernel() {
  return
}
