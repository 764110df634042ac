func.func @atomic_cas_cmp_type(%p: !tile.ptr<i32>, %c: i64, %v: i32) {
  %0 = "tile.atomic_cas"(%p, %c, %v) : (!tile.ptr<i32>, i64, i32) -> i32
  return
}
