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

// -----

// tegula-expand-bf16-conversions: f32 -> bf16 rounds to nearest even on the bit pattern
// (no `__truncsfbf2` call, whatever the host), bf16 -> f32 is a shift.
// RUN: tegula-opt %s --tegula-expand-bf16-conversions --split-input-file | FileCheck %s --check-prefix=BF16
// BF16-LABEL: func.func @tensor
// BF16-LABEL: func.func @scalar
// BF16-LABEL: func.func @f32_to_bf16
// BF16-NOT: arith.truncf
// BF16: arith.bitcast %{{.*}} : f32 to i32
// BF16: arith.shrui
// BF16: arith.trunci %{{.*}} : i32 to i16
// BF16: arith.bitcast %{{.*}} : i16 to bf16
// BF16-NOT: arith.extf
// BF16: arith.shli
// BF16: return
func.func @f32_to_bf16(%x: f32) -> f32 {
  %r = arith.truncf %x : f32 to bf16
  %w = arith.extf %r : bf16 to f32
  return %w : f32
}
