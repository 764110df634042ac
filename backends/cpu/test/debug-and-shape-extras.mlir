// RUN: tegula-opt %s -split-input-file -tegula-convert-tile-to-linalg | FileCheck %s

// join: two insert_slices into a [.., 2] tile; split: two rank-reducing extract_slices.
// CHECK-LABEL: func.func @join_split
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2xf32>
// CHECK: %[[J0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [4, 1] [1, 1] : tensor<4xf32> into tensor<4x2xf32>
// CHECK: %[[J1:.*]] = tensor.insert_slice %{{.*}} into %[[J0]][0, 1] [4, 1] [1, 1] : tensor<4xf32> into tensor<4x2xf32>
// CHECK: tensor.extract_slice %[[J1]][0, 0] [4, 1] [1, 1] : tensor<4x2xf32> to tensor<4xf32>
// CHECK: tensor.extract_slice %[[J1]][0, 1] [4, 1] [1, 1] : tensor<4x2xf32> to tensor<4xf32>
func.func @join_split(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {tile.kernel} {
  %j = tile.join %a, %b : tensor<4xf32> -> tensor<4x2xf32>
  %l, %r = tile.split %j : tensor<4x2xf32> -> tensor<4xf32>
  %s = arith.addf %l, %r : tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// reduce_with: a loop nest that starts each output from the first element and folds
// the rest in with an inlined copy of the combiner.
// CHECK-LABEL: func.func @reduce_with
// CHECK-NOT: tile.reduce_with
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %{{.*}}, %c0{{.*}} : index
// CHECK: scf.if %[[FIRST]] -> (f32)
// CHECK: } else {
// CHECK: %[[ACC:.*]] = tensor.extract
// CHECK: arith.mulf %[[ACC]], %{{.*}} : f32
// CHECK: tensor.insert
func.func @reduce_with(%t: tensor<4x8xf32>) -> tensor<4xf32> attributes {tile.kernel} {
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
    %p = arith.mulf %x, %y : f32
    tile.yield %p : f32
  }
  return %r : tensor<4xf32>
}

// -----

// print and assert become runtime calls per element, with their sites recorded.
// CHECK: module attributes {tegula.access_sites = ["print \22vals\22 at {{.*}}", "assertion \22positive\22 at {{.*}}"]}
// CHECK-DAG: func.func private @tegula_cpu_print_f64(i32, i64, f64)
// CHECK-DAG: func.func private @tegula_cpu_print_i64(i32, i64, i64)
// CHECK-DAG: func.func private @tegula_cpu_assert_fail(i32, i64)
// CHECK-LABEL: func.func @debug
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: call @tegula_cpu_print_f64(%{{.*}}, %{{.*}}, %{{.*}}) : (i32, i64, f64) -> ()
// CHECK: call @tegula_cpu_print_i64(%{{.*}}, %{{.*}}, %{{.*}}) : (i32, i64, i64) -> ()
// CHECK: %[[FAILED:.*]] = arith.xori %{{.*}}, %true : i1
// CHECK: scf.if %[[FAILED]] {
// CHECK-NEXT: call @tegula_cpu_assert_fail(%{{.*}}, %{{.*}}) : (i32, i64) -> ()
func.func @debug(%t: tensor<8xf32>, %n: i32) attributes {tile.kernel} {
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %ok = arith.cmpf ogt, %t, %zero : tensor<8xf32>
  tile.print "vals", %t, %n : tensor<8xf32>, i32
  tile.assert %ok, "positive" : tensor<8xi1>
  return
}
