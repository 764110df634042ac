func.func @atomic_cas(%ptrs: tensor<8x!tile.ptr<i32>>, %cmp: tensor<8xi32>, %v: tensor<8xi32>,
                      %p: !tile.ptr<i64>, %c: i64, %s: i64) -> (tensor<8xi32>, i64)
    attributes {tile.kernel} {
  %0 = tile.atomic_cas %ptrs, %cmp, %v : tensor<8x!tile.ptr<i32>>, tensor<8xi32>
  %1 = tile.atomic_cas %p, %c, %s : !tile.ptr<i64>, i64
  return %0, %1 : tensor<8xi32>, i64
}
