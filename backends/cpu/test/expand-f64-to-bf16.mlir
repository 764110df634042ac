// RUN: tegula-opt %s --tegula-expand-f64-to-bf16 --split-input-file | FileCheck %s

// f64 -> bf16 goes through an f32 rounded to odd: no libcall, one correct rounding.
// CHECK-LABEL: func.func @tensor
// CHECK: %[[T:.*]] = arith.truncf %[[X:.*]] : tensor<4xf64> to tensor<4xf32>
// CHECK: %[[BACK:.*]] = arith.extf %[[T]] : tensor<4xf32> to tensor<4xf64>
// CHECK: arith.cmpf ogt
// CHECK: arith.bitcast %[[T]] : tensor<4xf32> to tensor<4xi32>
// CHECK: arith.subi
// CHECK: arith.cmpf une, %[[BACK]], %[[X]]
// CHECK: arith.ori
// CHECK: %[[ODD:.*]] = arith.bitcast %{{.*}} : tensor<4xi32> to tensor<4xf32>
// CHECK: arith.truncf %[[ODD]] : tensor<4xf32> to tensor<4xbf16>
// CHECK-NOT: f64> to tensor<4xbf16>
func.func @tensor(%x: tensor<4xf64>) -> tensor<4xbf16> {
  %r = arith.truncf %x : tensor<4xf64> to tensor<4xbf16>
  return %r : tensor<4xbf16>
}

// -----

// Scalars too; other truncations are left alone.
// CHECK-LABEL: func.func @scalar
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.truncf %{{.*}} : f64 to f16
func.func @scalar(%x: f64) -> (bf16, f16) {
  %r = arith.truncf %x : f64 to bf16
  %h = arith.truncf %x : f64 to f16
  return %r, %h : bf16, f16
}
