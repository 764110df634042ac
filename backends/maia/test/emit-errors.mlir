// RUN: not %tegula maia emit %s 2>&1 | FileCheck %s
// CHECK: emit-errors.mlir:6:{{[0-9]+}}: arith.remsi: has no Maia instruction
func.func @k() attributes {maia.kernel} {
  %a = maia.arg 0
  %b = maia.arg 1
  %q = arith.remsi %a, %b : i64
  maia.vfill %q, %a, %b sem 1
  maia.wait sem 1 count 1
  return
}
