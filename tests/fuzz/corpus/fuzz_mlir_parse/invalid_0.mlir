func.func @program_id_axis_too_large() {
  %0 = tile.program_id 3 : i32
  return
}
