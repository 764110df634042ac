// RUN: tegula-opt %s -tegula-test-axis-info -split-input-file -verify-diagnostics

// Axis info is reported as `contiguity = [..], divisibility = [..], constancy = [..]`,
// one entry per dimension (a scalar has one). 1073741824 = 2^30 is the cap on
// divisibility, which zero reaches.

func.func @constants() {
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1], constant = 48}}
  %c48 = arith.constant 48 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [1], constant = 0}}
  %c0 = arith.constant 0 : i64
  // expected-remark @below {{contiguity = [1], divisibility = [2], constancy = [1], constant = -6}}
  %cm6 = arith.constant -6 : index
  // expected-remark @below {{contiguity = [1, 1], divisibility = [8, 8], constancy = [32, 64], constant = 8}}
  %splat = arith.constant dense<8> : tensor<32x64xi32>
  // Non-splat constants are not modelled.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %dense = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
  // Floats carry no axis info.
  %f = arith.constant 1.0 : f32
  return
}

// -----

func.func @range() {
  // expected-remark @below {{contiguity = [128], divisibility = [1073741824], constancy = [1]}}
  %0 = tile.range 0 to 128 : tensor<128xi32>
  // expected-remark @below {{contiguity = [8], divisibility = [16], constancy = [1]}}
  %1 = tile.range 16 to 24 : tensor<8xi32>
  // expected-remark @below {{contiguity = [4], divisibility = [4], constancy = [1]}}
  %2 = tile.range 12 to 16 : tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %3 = tile.range 7 to 8 : tensor<1xi32>
  // expected-remark @below {{contiguity = [16], divisibility = [8], constancy = [1]}}
  %4 = tile.range -8 to 8 : tensor<16xi32>
  // Sizes need not be powers of two.
  // expected-remark @below {{contiguity = [48], divisibility = [32], constancy = [1]}}
  %5 = tile.range 32 to 80 : tensor<48xi32>
  return
}

// -----

// Entry arguments take `tile.divisibility` (its largest power-of-two factor), else 1;
// for pointers it counts elements.
// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
// expected-remark @below {{arg #1: contiguity = [1], divisibility = [1], constancy = [1]}}
// expected-remark @below {{arg #2: contiguity = [1], divisibility = [16], constancy = [1]}}
// expected-remark @below {{arg #3: contiguity = [1], divisibility = [1], constancy = [1]}}
// expected-remark @below {{arg #4: contiguity = [1], divisibility = [8], constancy = [1]}}
func.func @arguments(%n: i32 {tile.divisibility = 16 : i32}, %m: i64,
                     %p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f16>,
                     %k: i64 {tile.divisibility = 24 : i64}, %f: f32) {
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %pid = tile.program_id 0 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %num = tile.num_programs 1 : i32
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @shapes(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %s = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [4], constancy = [1]}}
  %c4 = arith.constant 4 : i32
  // expected-remark @below {{contiguity = [1, 1], divisibility = [4, 4], constancy = [2, 8], constant = 4}}
  %s4 = tile.splat %c4 : tensor<2x8xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // The new dimension has size 1; along it every element starts a block, and the
  // elements of a run of 64 share no power of two.
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [1, 1]}}
  %e0 = tile.expand_dims %r {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 1]}}
  %e1 = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 64], divisibility = [1, 1073741824], constancy = [32, 1]}}
  %b0 = tile.broadcast %e0 : tensor<1x64xi32> -> tensor<32x64xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 32]}}
  %b1 = tile.broadcast %e1 : tensor<64x1xi32> -> tensor<64x32xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [64, 1]}}
  %es = tile.expand_dims %s {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [64, 8]}}
  %bs = tile.broadcast %es : tensor<64x1xi32> -> tensor<64x8xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 32]}}
  %t = tile.trans %b0, [1, 0] : tensor<32x64xi32> -> tensor<64x32xi32>
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @add_sub(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %s = tile.splat %n : tensor<64xi32>
  // A run plus a constant is a run starting at the constant.
  // expected-remark @below {{contiguity = [64], divisibility = [16], constancy = [1]}}
  %a = arith.addi %s, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [16], constancy = [1]}}
  %b = arith.addi %r, %s : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [16], constancy = [1]}}
  %c = arith.subi %r, %s : tensor<64xi32>
  // Subtracting a run counts down.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %d = arith.subi %s, %r : tensor<64xi32>
  // Two runs add up to steps of 2.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %e = arith.addi %r, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [4], constancy = [64], constant = 4}}
  %c4 = arith.constant dense<4> : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [4], constancy = [1]}}
  %f = arith.addi %r, %c4 : tensor<64xi32>
  // The analysis does not know both operands are one value: n + n is only known to be
  // a multiple of 16.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %g = arith.addi %s, %s : tensor<64xi32>
  // r + (r / 16) * 16: runs of 16 that start at multiples of 32, which a run of 64
  // plus constant blocks of 16 gives without knowing r / 16.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64], constant = 16}}
  %c16 = arith.constant dense<16> : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %q = arith.divsi %r, %c16 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [16]}}
  %q16 = arith.muli %q, %c16 : tensor<64xi32>
  // expected-remark @below {{contiguity = [16], divisibility = [16], constancy = [1]}}
  %h = arith.addi %r, %q16 : tensor<64xi32>
  // Constants fold in the width of the type.
  // expected-remark @below {{constant = 3}}
  %c3 = arith.constant 3 : i32
  // expected-remark @below {{constant = 5}}
  %c5 = arith.constant 5 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [8], constancy = [1], constant = 8}}
  %sum = arith.addi %c3, %c5 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [2], constancy = [1], constant = -2}}
  %diff = arith.subi %c3, %c5 : i32
  // expected-remark @below {{constant = 127}}
  %c127 = arith.constant 127 : i8
  // expected-remark @below {{constant = 1}}
  %c1 = arith.constant 1 : i8
  // expected-remark @below {{contiguity = [1], divisibility = [128], constancy = [1], constant = -128}}
  %wrap = arith.addi %c127, %c1 : i8
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @mul(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %s = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{constant = 16}}
  %c16 = arith.constant dense<16> : tensor<64xi32>
  // expected-remark @below {{constant = 1}}
  %c1 = arith.constant dense<1> : tensor<64xi32>
  // expected-remark @below {{constant = 0}}
  %c0 = arith.constant dense<0> : tensor<64xi32>
  // A run scaled by 16 has steps of 16; its start's divisibility is not every
  // element's.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1]}}
  %a = arith.muli %r, %c16 : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %b = arith.muli %c1, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [64], constant = 0}}
  %z = arith.muli %r, %c0 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1]}}
  %m = arith.muli %s, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [256], constancy = [64]}}
  %ss = arith.muli %s, %s : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [256], constancy = [1]}}
  %nn = arith.muli %n, %n : i32
  // expected-remark @below {{constant = 6}}
  %c6 = arith.constant 6 : i32
  // expected-remark @below {{constant = 7}}
  %c7 = arith.constant 7 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [2], constancy = [1], constant = 42}}
  %p = arith.muli %c6, %c7 : i32
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @casts(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %e = arith.extsi %r : tensor<64xi32> to tensor<64xi64>
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %t = arith.trunci %e : tensor<64xi64> to tensor<64xi16>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1]}}
  %i = arith.index_cast %n : i32 to index
  // expected-remark @below {{constant = 300}}
  %c300 = arith.constant 300 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [4], constancy = [1], constant = 44}}
  %tc = arith.trunci %c300 : i32 to i8
  // expected-remark @below {{constant = -1}}
  %cm1 = arith.constant -1 : i8
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1], constant = -1}}
  %x = arith.extsi %cm1 : i8 to i32
  // index_cast is a signed cast.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1], constant = -1}}
  %ic = arith.index_cast %cm1 : i8 to index
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @div_rem(%n: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %pid = tile.program_id 0 : i32
  // expected-remark @below {{constant = 64}}
  %c64 = arith.constant 64 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [1]}}
  %base = arith.muli %pid, %c64 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [64], constancy = [64]}}
  %bs = tile.splat %base : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // Non-negative (program id and range): runs line up with multiples of a power of two.
  // expected-remark @below {{contiguity = [64], divisibility = [64], constancy = [1]}}
  %off = arith.addi %bs, %r : tensor<64xi32>
  // expected-remark @below {{constant = 4}}
  %c4 = arith.constant dense<4> : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [4]}}
  %q = arith.divsi %off, %c4 : tensor<64xi32>
  // expected-remark @below {{contiguity = [4], divisibility = [1073741824], constancy = [1]}}
  %rem = arith.remsi %off, %c4 : tensor<64xi32>
  // expected-remark @below {{constant = 128}}
  %c128 = arith.constant dense<128> : tensor<64xi32>
  // A run of 64 from a multiple of 64 stays whole modulo 128, starting at 0 or 64.
  // expected-remark @below {{contiguity = [64], divisibility = [64], constancy = [1]}}
  %rem128 = arith.remsi %off, %c128 : tensor<64xi32>
  // ... and has one quotient.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %q128 = arith.divsi %off, %c128 : tensor<64xi32>
  // expected-remark @below {{constant = 3}}
  %c3 = arith.constant dense<3> : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %rem3 = arith.remsi %off, %c3 : tensor<64xi32>
  // A run of 4 that is one block of the divisor: one quotient per run.
  // expected-remark @below {{contiguity = [4], divisibility = [8], constancy = [1]}}
  %r4 = tile.range 8 to 12 : tensor<4xi32>
  // expected-remark @below {{constant = 4}}
  %c4s = arith.constant dense<4> : tensor<4xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [2], constancy = [4]}}
  %q4 = arith.divsi %r4, %c4s : tensor<4xi32>
  // The sign of n is unknown, and signed division rounds towards zero: -4..-1 / 4 is
  // -1, 0, 0, 0. Only what holds for either sign is kept.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %s = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [16], constancy = [1]}}
  %u = arith.addi %s, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %uq = arith.divsi %u, %c4 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %ur = arith.remsi %u, %c4 : tensor<64xi32>
  // Exact division and remainder hold for either sign.
  // expected-remark @below {{contiguity = [1], divisibility = [4], constancy = [64]}}
  %sq = arith.divsi %s, %c4 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [64]}}
  %sr = arith.remsi %s, %c4 : tensor<64xi32>
  // expected-remark @below {{constant = 1}}
  %c1 = arith.constant dense<1> : tensor<64xi32>
  // expected-remark @below {{contiguity = [64], divisibility = [16], constancy = [1]}}
  %d1 = arith.divsi %u, %c1 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1073741824], constancy = [64], constant = 0}}
  %r1 = arith.remsi %u, %c1 : tensor<64xi32>
  // A non-constant divisor: only constancy survives.
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %ss = arith.divsi %s, %s : tensor<64xi32>
  // expected-remark @below {{constant = -7}}
  %cm7 = arith.constant -7 : i32
  // expected-remark @below {{constant = 2}}
  %c2 = arith.constant 2 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1], constant = -3}}
  %fq = arith.divsi %cm7, %c2 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1], constant = -1}}
  %fr = arith.remsi %cm7, %c2 : i32
  return
}

// -----

// The pointers of a row-major [64, 32] block: base + rm[:, None] * K + rk[None, :].
// Only dimension 1 is contiguous, in runs of the block's width that start at multiples
// of 16 elements.
// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
// expected-remark @below {{arg #1: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @pointer_tile(%base: !tile.ptr<f32> {tile.divisibility = 16 : i32},
                        %K: i32 {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %rm = tile.range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [32], divisibility = [1073741824], constancy = [1]}}
  %rk = tile.range 0 to 32 : tensor<32xi32>
  // expected-remark @below {{contiguity = [64, 1], divisibility = [1073741824, 1], constancy = [1, 1]}}
  %rm2 = tile.expand_dims %rm {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [64, 1]}}
  %ks = tile.splat %K : tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [1, 1]}}
  %rowoff = arith.muli %rm2, %ks : tensor<64x1xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [1, 32]}}
  %rowb = tile.broadcast %rowoff : tensor<64x1xi32> -> tensor<64x32xi32>
  // expected-remark @below {{contiguity = [1, 32], divisibility = [1, 1073741824], constancy = [1, 1]}}
  %rk2 = tile.expand_dims %rk {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  // expected-remark @below {{contiguity = [1, 32], divisibility = [1, 1073741824], constancy = [64, 1]}}
  %colb = tile.broadcast %rk2 : tensor<1x32xi32> -> tensor<64x32xi32>
  // expected-remark @below {{contiguity = [1, 32], divisibility = [1, 16], constancy = [1, 1]}}
  %off = arith.addi %rowb, %colb : tensor<64x32xi32>
  // expected-remark @below {{contiguity = [1, 1], divisibility = [16, 16], constancy = [64, 32]}}
  %ptrs = tile.splat %base : tensor<64x32x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [1, 32], divisibility = [1, 16], constancy = [1, 1]}}
  %p = tile.addptr %ptrs, %off : tensor<64x32x!tile.ptr<f32>>, tensor<64x32xi32>
  %v = tile.load %p : tensor<64x32x!tile.ptr<f32>> -> tensor<64x32xf32>
  // A scalar offset moves every pointer alike.
  // expected-remark @below {{contiguity = [1, 32], divisibility = [1, 16], constancy = [1, 1]}}
  %p2 = tile.addptr %p, %K : tensor<64x32x!tile.ptr<f32>>, i32
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [1]}}
  %q = tile.addptr %base, %K : !tile.ptr<f32>, i32
  // expected-remark @below {{constant = 3}}
  %c3 = arith.constant 3 : i64
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %q3 = tile.addptr %q, %c3 : !tile.ptr<f32>, i64
  return
}

// -----

// Loop-carried values are assumed nothing about; an induction variable is divided by
// what divides both its lower bound and its step (here 32); a loop's results join what
// enters the loop with what its body yields.
// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @loop(%base: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{constant = 0}}
  %c0 = arith.constant 0 : i32
  // expected-remark @below {{constant = 32}}
  %c32 = arith.constant 32 : i32
  // expected-remark @below {{constant = 1024}}
  %c1024 = arith.constant 1024 : i32
  // expected-remark @below {{contiguity = [32], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 32 : tensor<32xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [32]}}
  %ps = tile.splat %base : tensor<32x!tile.ptr<f32>>
  // expected-remark @below {{contiguity = [32], divisibility = [16], constancy = [1]}}
  %p0 = tile.addptr %ps, %r : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  // expected-remark @below {{arg #0: contiguity = [1], divisibility = [32], constancy = [1]}}
  // expected-remark @below {{arg #1: contiguity = [1], divisibility = [1], constancy = [1]}}
  // expected-remark @below {{arg #2: contiguity = [1], divisibility = [1], constancy = [1]}}
  // expected-remark @below {{result #0: contiguity = [1], divisibility = [1], constancy = [1]}}
  // expected-remark @below {{result #1: contiguity = [1], divisibility = [1], constancy = [1]}}
  %res:2 = scf.for %i = %c0 to %c1024 step %c32 iter_args(%p = %p0, %k = %c0)
      -> (tensor<32x!tile.ptr<f32>>, i32) : i32 {
    // expected-remark @below {{contiguity = [1], divisibility = [32], constancy = [32]}}
    %is = tile.splat %i : tensor<32xi32>
    // expected-remark @below {{contiguity = [32], divisibility = [32], constancy = [1]}}
    %off = arith.addi %is, %r : tensor<32xi32>
    // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
    %pn = tile.addptr %p, %off : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
    // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
    %kn = arith.addi %k, %c32 : i32
    // expected-remark @below {{contiguity = [1], divisibility = [1024], constancy = [1]}}
    %s = arith.muli %i, %c32 : i32
    scf.yield %pn, %kn : tensor<32x!tile.ptr<f32>>, i32
  }
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [32]}}
  %one = tile.splat %base : tensor<32x!tile.ptr<f32>>
  // What both the initial value and every yield satisfy.
  // expected-remark @below {{arg #0: contiguity = [1], divisibility = [32], constancy = [1]}}
  // expected-remark @below {{arg #1: contiguity = [1], divisibility = [1], constancy = [1]}}
  // expected-remark @below {{contiguity = [32], divisibility = [16], constancy = [1]}}
  %same = scf.for %i = %c0 to %c1024 step %c32 iter_args(%p = %p0)
      -> (tensor<32x!tile.ptr<f32>>) : i32 {
    scf.yield %p0 : tensor<32x!tile.ptr<f32>>
  }
  return
}

// -----

// expected-remark @below {{arg #0: contiguity = [1], divisibility = [1], constancy = [1]}}
// expected-remark @below {{arg #1: contiguity = [1], divisibility = [16], constancy = [1]}}
func.func @join_and_fallbacks(%n: i32, %p: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  // expected-remark @below {{constant = 0}}
  %c0 = arith.constant 0 : i32
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %cond = arith.cmpi slt, %n, %c0 : i32
  // A conditional's results hold what both branches yield.
  // expected-remark @below {{result #0: contiguity = [32], divisibility = [64], constancy = [1]}}
  // expected-remark @below {{result #1: contiguity = [1], divisibility = [16], constancy = [1]}}
  // expected-remark @below {{result #2: contiguity = [1], divisibility = [8], constancy = [1], constant = 8}}
  %sel:3 = scf.if %cond -> (tensor<32xi32>, i32, i32) {
    // expected-remark @below {{contiguity = [32], divisibility = [128], constancy = [1]}}
    %a = tile.range 128 to 160 : tensor<32xi32>
    // expected-remark @below {{constant = 16}}
    %c16 = arith.constant 16 : i32
    // expected-remark @below {{constant = 8}}
    %c8 = arith.constant 8 : i32
    scf.yield %a, %c16, %c8 : tensor<32xi32>, i32, i32
  } else {
    // expected-remark @below {{contiguity = [32], divisibility = [64], constancy = [1]}}
    %b = tile.range 64 to 96 : tensor<32xi32>
    // expected-remark @below {{constant = 48}}
    %c48 = arith.constant 48 : i32
    // expected-remark @below {{constant = 8}}
    %c8 = arith.constant 8 : i32
    scf.yield %b, %c48, %c8 : tensor<32xi32>, i32, i32
  }
  // Other elementwise arith ops keep only constancy; a scalar condition is uniform.
  // expected-remark @below {{constant = 4}}
  %c4 = arith.constant dense<4> : tensor<32xi32>
  // expected-remark @below {{constant = 8}}
  %c8 = arith.constant dense<8> : tensor<32xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [32]}}
  %s = arith.select %cond, %c4, %c8 : tensor<32xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %and = arith.andi %sel#0, %c4 : tensor<32xi32>
  // Anything else is assumed nothing about.
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [32]}}
  %ps = tile.splat %p : tensor<32x!tile.ptr<i32>>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %v = tile.load %ps : tensor<32x!tile.ptr<i32>> -> tensor<32xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %sum = tile.reduce sum %v {axis = 0 : i32} : tensor<32xi32> -> i32
  // expected-remark @below {{contiguity = [1, 1], divisibility = [1, 1], constancy = [1, 1]}}
  %re = tile.reshape %sel#0 : tensor<32xi32> -> tensor<4x8xi32>
  return
}

// -----

// A mask `offsets < n` is constant over blocks of offsets that cannot straddle n: with
// n divisible by 16, blocks of 16 (so a masked access moves 16-element vectors or
// less). `offsets <= n` changes after n, and `==` at one element: neither is.
// expected-remark @below {{arg #0: contiguity = [1], divisibility = [16], constancy = [1]}}
// expected-remark @below {{arg #1: contiguity = [1], divisibility = [1], constancy = [1]}}
func.func @masks(%n: i32 {tile.divisibility = 16 : i32}, %m: i32) {
  // expected-remark @below {{contiguity = [64], divisibility = [1073741824], constancy = [1]}}
  %r = tile.range 0 to 64 : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [16], constancy = [64]}}
  %ns = tile.splat %n : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %ms = tile.splat %m : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %lt = arith.cmpi slt, %r, %ns : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [16]}}
  %gt = arith.cmpi sgt, %ns, %r : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %le = arith.cmpi sle, %r, %ns : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %eq = arith.cmpi eq, %r, %ns : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [1]}}
  %unknown = arith.cmpi slt, %r, %ms : tensor<64xi32>
  // expected-remark @below {{contiguity = [1], divisibility = [1], constancy = [64]}}
  %same = arith.cmpi slt, %ns, %ms : tensor<64xi32>
  return
}
