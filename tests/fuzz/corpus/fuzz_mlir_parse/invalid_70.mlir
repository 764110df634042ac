func.func @atomic_cas_element_type(%p: !tile.ptr<i64>, %v: i32) {
  %0 = tile.atomic_cas %p, %v, %v : !tile.ptr<i64>, i32
  return
}
