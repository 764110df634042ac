// Random tile programs that once failed on maia, replayed by seed (the generator is a
// function of the seed: tests/unit/difftest_test.cpp).
//
// Seed 1796617174: `v0.row() * v1` with one column (BN = 1), a [1, 1] tile broadcast
// down the rows to [2, 1]. The lowering took every [r, 1] source for a value per row,
// so the second row multiplied by what followed the one value in TSRAM (zeros); the
// axis that grows decides: here a value per column.
// RUN: %tegula xcheck --programs 1 --seed 1796617174 --backend cpu,maia | FileCheck %s
// CHECK: cpu: 1 programs (seed 1796617174): 1 pass, 0 fail, 0 refused, 0 error
// CHECK: maia: 1 programs (seed 1796617174): 1 pass, 0 fail, 0 refused, 0 error
