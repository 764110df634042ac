// RUN: tegula-opt %s | tegula-opt | FileCheck %s

// CHECK-LABEL: func.func @commands
func.func @commands() attributes {maia.kernel} {
  // CHECK: %[[PID:.*]] = maia.program_id 1
  // CHECK-NEXT: maia.num_programs 0
  // CHECK-NEXT: %[[A:.*]] = maia.arg 2
  %pid = maia.program_id 1
  %np = maia.num_programs 0
  %a = maia.arg 2
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c64 = arith.constant 64 : i64
  // CHECK: maia.dma_in %{{.*}}, %[[A]], %{{.*}}, %{{.*}}, %{{.*}} sem 1
  // CHECK-NEXT: maia.dma_in %{{.*}}, %[[A]], %{{.*}}, %{{.*}}, %{{.*}} sem 2 {tsram_stride = 128 : i32}
  // CHECK-NEXT: maia.wait sem 1 count 1
  // CHECK-NEXT: maia.signal sem 4 count 2
  maia.dma_in %c0, %a, %c1, %c64, %c64 sem 1
  maia.dma_in %c0, %a, %c1, %c64, %c64 sem 2 {tsram_stride = 128 : i32}
  maia.wait sem 1 count 1
  maia.signal sem 4 count 2
  // CHECK: maia.mma %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} k 32 sem 3
  maia.mma %c0, %c0, %c64, %c64, %c64 k 32 sem 3
  // CHECK: maia.vbinary add %{{.*}} sem 0
  // CHECK-NEXT: maia.vunary exp %{{.*}} sem 5
  // CHECK-NEXT: maia.vfill %{{.*}} sem 0
  // CHECK-NEXT: maia.vrow max %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} sem 0
  // CHECK-NEXT: maia.vrow div %{{.*}}, %{{.*}} vector %{{.*}}, %{{.*}}, %{{.*}} sem 6
  maia.vbinary add %c0, %c64, %c64, %c64 sem 0
  maia.vunary exp %c0, %c64, %c64 sem 5
  maia.vfill %c0, %c1, %c64 sem 0
  maia.vrow max %c0, %c64, %c64, %c1 sem 0
  maia.vrow div %c0, %c64 vector %c0, %c64, %c1 sem 6
  maia.dma_out %a, %c0, %c1, %c64, %c64 sem 7
  return
}
