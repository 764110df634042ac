func.func @first() attributes {tile.kernel} {
  return
}
func.func @second(%x: !tile.ptr<bf16>, %n: i64) attributes {tile.kernel} {
  return
}
