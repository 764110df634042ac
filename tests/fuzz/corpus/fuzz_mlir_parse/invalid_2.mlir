func.func @program_id_not_i32() {
  %0 = tile.program_id 0 : i64
  return
}
