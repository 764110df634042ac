func.func @num_programs_axis_negative() {
  %0 = tile.num_programs -1 : i32
  return
}
