func.func @atomic_rmw_unsupported_i8(%p: !tile.ptr<i8>, %v: i8) {
  %0 = tile.atomic_rmw xchg %p, %v : !tile.ptr<i8>, i8
  return
}
