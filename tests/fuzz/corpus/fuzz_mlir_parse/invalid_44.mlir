func.func @store_scalar_element_type(%p: !tile.ptr<i64>, %v: i32) {
  tile.store %p, %v : !tile.ptr<i64>, i32
  return
}
