func.func @print_pointer(%p: !tile.ptr<f32>) {
  tile.print "p", %p : !tile.ptr<f32>
  return
}
