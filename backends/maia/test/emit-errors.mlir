// RUN: not %tegula maia emit %s 2>&1 | FileCheck %s
// CHECK: emit-errors.mlir:6: arith.divsi: has no Maia instruction
func.func @k() attributes {maia.kernel} {
  %a = maia.arg 0
  %b = maia.arg 1
  %q = arith.divsi %a, %b : i64
  maia.signal sem 1 count 1
  return
}
