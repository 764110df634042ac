// RUN: tegula-opt %s -split-input-file -verify-diagnostics

// Verifier and type-constraint diagnostics of the tile dialect, one case per split.

//===----------------------------------------------------------------------===//
// program_id / num_programs
//===----------------------------------------------------------------------===//

func.func @program_id_axis_too_large() {
  // expected-error @+1 {{attribute 'axis' failed to satisfy constraint: 32-bit signless integer attribute whose minimum value is 0 whose maximum value is 2}}
  %0 = tile.program_id 3 : i32
  return
}

// -----

func.func @num_programs_axis_negative() {
  // expected-error @+1 {{attribute 'axis' failed to satisfy constraint: 32-bit signless integer attribute whose minimum value is 0 whose maximum value is 2}}
  %0 = tile.num_programs -1 : i32
  return
}

// -----

func.func @program_id_not_i32() {
  // expected-error @+1 {{result #0 must be 32-bit signless integer, but got 'i64'}}
  %0 = tile.program_id 0 : i64
  return
}

//===----------------------------------------------------------------------===//
// range
//===----------------------------------------------------------------------===//

// -----

func.func @range_rank2() {
  // expected-error @+1 {{result must be a 1-D tile, got rank 2}}
  %0 = tile.range 0 to 4 : tensor<2x2xi32>
  return
}

// -----

func.func @range_empty() {
  // expected-error @+1 {{empty range [4, 4)}}
  %0 = tile.range 4 to 4 : tensor<1xi32>
  return
}

// -----

func.func @range_reversed() {
  // expected-error @+1 {{empty range [8, 4)}}
  %0 = tile.range 8 to 4 : tensor<4xi32>
  return
}

// -----

func.func @range_wrong_size() {
  // expected-error @+1 {{result has 8 elements but the range [0, 4) has 4}}
  %0 = tile.range 0 to 4 : tensor<8xi32>
  return
}

// -----

func.func @range_not_i32() {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %0 = tile.range 0 to 4 : tensor<4xi64>
  return
}

//===----------------------------------------------------------------------===//
// splat
//===----------------------------------------------------------------------===//

// -----

func.func @splat_element_type_mismatch(%v: f32) {
  // expected-error @+1 {{failed to verify that result element type is the scalar's type}}
  %0 = "tile.splat"(%v) : (f32) -> tensor<4xi32>
  return
}

// -----

func.func @splat_to_scalar(%v: f32) {
  // expected-error @+1 {{result #0 must be statically shaped tensor of any type values, but got 'f32'}}
  %0 = "tile.splat"(%v) : (f32) -> f32
  return
}

//===----------------------------------------------------------------------===//
// broadcast
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_rank_change(%a: tensor<64xf32>) {
  // expected-error @+1 {{cannot broadcast rank 1 to rank 2; use expand_dims first}}
  %0 = tile.broadcast %a : tensor<64xf32> -> tensor<16x64xf32>
  return
}

// -----

func.func @broadcast_non_unit_dim(%a: tensor<2x64xf32>) {
  // expected-error @+1 {{dimension 0 of [2,64] is 2, neither 1 nor 16}}
  %0 = tile.broadcast %a : tensor<2x64xf32> -> tensor<16x64xf32>
  return
}

// -----

func.func @broadcast_shrink(%a: tensor<16x64xf32>) {
  // expected-error @+1 {{dimension 1 of [16,64] is 64, neither 1 nor 1}}
  %0 = tile.broadcast %a : tensor<16x64xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @broadcast_element_type(%a: tensor<1x64xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = tile.broadcast %a : tensor<1x64xf32> -> tensor<16x64xf16>
  return
}

//===----------------------------------------------------------------------===//
// expand_dims
//===----------------------------------------------------------------------===//

// -----

func.func @expand_dims_axis_too_large(%a: tensor<32xf32>) {
  // expected-error @+1 {{axis 2 out of range for rank 1}}
  %0 = tile.expand_dims %a {axis = 2 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  return
}

// -----

func.func @expand_dims_axis_negative(%a: tensor<32xf32>) {
  // expected-error @+1 {{out of range for rank 1}}
  %0 = tile.expand_dims %a {axis = -1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  return
}

// -----

func.func @expand_dims_wrong_result(%a: tensor<32xf32>) {
  // expected-error @+1 {{result shape [32,1] should be [1,32]}}
  %0 = tile.expand_dims %a {axis = 0 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  return
}

// -----

func.func @expand_dims_element_type(%a: tensor<32xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = tile.expand_dims %a {axis = 0 : i32} : tensor<32xf32> -> tensor<1x32xi32>
  return
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_count(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{cannot reshape [16,32] (512 elements) to [16,16] (256 elements)}}
  %0 = tile.reshape %a : tensor<16x32xf32> -> tensor<16x16xf32>
  return
}

// -----

func.func @reshape_element_type(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = tile.reshape %a : tensor<16x32xf32> -> tensor<512xf16>
  return
}

//===----------------------------------------------------------------------===//
// trans
//===----------------------------------------------------------------------===//

// -----

func.func @trans_order_length(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{order has 1 entries for a rank-2 tile}}
  %0 = tile.trans %a, [0] : tensor<16x32xf32> -> tensor<16x32xf32>
  return
}

// -----

func.func @trans_order_duplicate(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{order is not a permutation of 0..1}}
  %0 = tile.trans %a, [1, 1] : tensor<16x32xf32> -> tensor<32x32xf32>
  return
}

// -----

func.func @trans_order_out_of_range(%a: tensor<2x4x8xf32>) {
  // expected-error @+1 {{order is not a permutation of 0..2}}
  %0 = tile.trans %a, [0, 3, 1] : tensor<2x4x8xf32> -> tensor<2x8x4xf32>
  return
}

// -----

func.func @trans_order_negative(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{order is not a permutation of 0..1}}
  %0 = tile.trans %a, [-1, 0] : tensor<16x32xf32> -> tensor<32x16xf32>
  return
}

// -----

func.func @trans_wrong_result(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{result shape [16,32] should be [32,16]}}
  %0 = tile.trans %a, [1, 0] : tensor<16x32xf32> -> tensor<16x32xf32>
  return
}

// -----

func.func @trans_element_type(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = tile.trans %a, [1, 0] : tensor<16x32xf32> -> tensor<32x16xbf16>
  return
}

//===----------------------------------------------------------------------===//
// addptr
//===----------------------------------------------------------------------===//

// -----

func.func @addptr_scalar_ptr_tile_offset(%p: !tile.ptr<f32>, %o: tensor<64xi32>) {
  // expected-error @+1 {{a scalar pointer takes a scalar offset; splat the pointer first}}
  %0 = tile.addptr %p, %o : !tile.ptr<f32>, tensor<64xi32>
  return
}

// -----

func.func @addptr_shape_mismatch(%p: tensor<64x!tile.ptr<f32>>, %o: tensor<32xi32>) {
  // expected-error @+1 {{offset shape [32] does not match pointer shape [64]}}
  %0 = tile.addptr %p, %o : tensor<64x!tile.ptr<f32>>, tensor<32xi32>
  return
}

// -----

func.func @addptr_float_offset(%p: !tile.ptr<f32>, %o: f32) {
  // expected-error @+1 {{operand #1 must be signless integer or statically shaped tensor of signless integer values, but got 'f32'}}
  %0 = tile.addptr %p, %o : !tile.ptr<f32>, f32
  return
}

// -----

func.func @addptr_not_a_pointer(%p: tensor<64xi64>, %o: tensor<64xi32>) {
  // expected-error @+1 {{operand #0 must be Pointer to global memory holding elements of one type or statically shaped tensor of Pointer to global memory holding elements of one type values, but got 'tensor<64xi64>'}}
  %0 = "tile.addptr"(%p, %o) : (tensor<64xi64>, tensor<64xi32>) -> tensor<64xi64>
  return
}

// -----

func.func @addptr_result_type(%p: !tile.ptr<f32>, %o: i32) {
  // expected-error @+1 {{failed to verify that all of {ptr, result} have same type}}
  %0 = "tile.addptr"(%p, %o) : (!tile.ptr<f32>, i32) -> !tile.ptr<f16>
  return
}

//===----------------------------------------------------------------------===//
// load
//===----------------------------------------------------------------------===//

// -----

func.func @load_result_shape(%p: tensor<32x!tile.ptr<f32>>) {
  // expected-error @+1 {{result shape [16] does not match pointer shape [32]}}
  %0 = tile.load %p : tensor<32x!tile.ptr<f32>> -> tensor<16xf32>
  return
}

// -----

func.func @load_tile_from_scalar_pointer(%p: !tile.ptr<f32>) {
  // expected-error @+1 {{result is a tile but pointer is a scalar}}
  %0 = tile.load %p : !tile.ptr<f32> -> tensor<4xf32>
  return
}

// -----

func.func @load_element_type(%p: tensor<32x!tile.ptr<f32>>) {
  // expected-error @+1 {{loads 'f16' through a pointer to 'f32'}}
  %0 = tile.load %p : tensor<32x!tile.ptr<f32>> -> tensor<32xf16>
  return
}

// -----

func.func @load_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<16xi1>) {
  // expected-error @+1 {{mask shape [16] does not match pointer shape [32]}}
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<16xi1>
  return
}

// -----

func.func @load_scalar_mask_for_tile(%p: tensor<32x!tile.ptr<f32>>, %m: i1) {
  // expected-error @+1 {{mask is a scalar but pointer is a tile}}
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, i1
  return
}

// -----

func.func @load_mask_not_i1(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi8>) {
  // expected-error @+1 {{operand #1 must be 1-bit signless integer or statically shaped tensor of 1-bit signless integer values, but got 'tensor<32xi8>'}}
  %0 = tile.load %p, %m : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi8>
  return
}

// -----

func.func @load_other_without_mask(%p: !tile.ptr<f32>, %o: f32) {
  // expected-error @+1 {{`other` is given without a mask}}
  %0 = "tile.load"(%p, %o) <{operandSegmentSizes = array<i32: 1, 0, 1>}> : (!tile.ptr<f32>, f32) -> f32
  return
}

// -----

func.func @load_other_type(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi1>, %o: tensor<32xf16>) {
  // expected-error @+1 {{`other` has type 'tensor<32xf16>', expected 'tensor<32xf32>'}}
  %0 = tile.load %p, %m, %o : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi1>, tensor<32xf16>
  return
}

// -----

func.func @load_other_scalar_for_tile(%p: tensor<32x!tile.ptr<f32>>, %m: tensor<32xi1>, %o: f32) {
  // expected-error @+1 {{`other` has type 'f32', expected 'tensor<32xf32>'}}
  %0 = tile.load %p, %m, %o : tensor<32x!tile.ptr<f32>> -> tensor<32xf32>, tensor<32xi1>, f32
  return
}

// -----

func.func @load_not_a_pointer(%p: tensor<32xi64>) {
  // expected-error @+1 {{operand #0 must be Pointer to global memory holding elements of one type or statically shaped tensor of Pointer to global memory holding elements of one type values, but got 'tensor<32xi64>'}}
  %0 = tile.load %p : tensor<32xi64> -> tensor<32xi64>
  return
}

//===----------------------------------------------------------------------===//
// store
//===----------------------------------------------------------------------===//

// -----

func.func @store_value_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<64xf32>) {
  // expected-error @+1 {{value shape [64] does not match pointer shape [32]}}
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, tensor<64xf32>
  return
}

// -----

func.func @store_scalar_through_tile(%p: tensor<32x!tile.ptr<f32>>, %v: f32) {
  // expected-error @+1 {{value is a scalar but pointer is a tile}}
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, f32
  return
}

// -----

func.func @store_element_type(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xi32>) {
  // expected-error @+1 {{stores 'i32' through a pointer to 'f32'}}
  tile.store %p, %v : tensor<32x!tile.ptr<f32>>, tensor<32xi32>
  return
}

// -----

func.func @store_scalar_element_type(%p: !tile.ptr<i64>, %v: i32) {
  // expected-error @+1 {{stores 'i32' through a pointer to 'i64'}}
  tile.store %p, %v : !tile.ptr<i64>, i32
  return
}

// -----

func.func @store_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>, %m: tensor<2x16xi1>) {
  // expected-error @+1 {{mask shape [2,16] does not match pointer shape [32]}}
  tile.store %p, %v, %m : tensor<32x!tile.ptr<f32>>, tensor<32xf32>, tensor<2x16xi1>
  return
}

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

// -----

func.func @gather_indices_shape(%p: !tile.ptr<f32>, %i: tensor<16xi32>) {
  // expected-error @+1 {{indices shape [16] does not match result shape [32]}}
  %0 = tile.gather %p[%i] : !tile.ptr<f32>, tensor<16xi32> -> tensor<32xf32>
  return
}

// -----

func.func @gather_element_type(%p: !tile.ptr<f32>, %i: tensor<32xi32>) {
  // expected-error @+1 {{gathers 'f16' through a pointer to 'f32'}}
  %0 = tile.gather %p[%i] : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf16>
  return
}

// -----

func.func @gather_mask_shape(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %m: tensor<16xi1>) {
  // expected-error @+1 {{mask shape [16] does not match}}
  %0 = tile.gather %p[%i], %m : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf32>, tensor<16xi1>
  return
}

// -----

func.func @gather_other_without_mask(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %o: tensor<32xf32>) {
  // expected-error @+1 {{`other` is given without a mask}}
  %0 = "tile.gather"(%p, %i, %o) <{operandSegmentSizes = array<i32: 1, 1, 0, 1>}> : (!tile.ptr<f32>, tensor<32xi32>, tensor<32xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @gather_other_type(%p: !tile.ptr<f32>, %i: tensor<32xi32>, %m: tensor<32xi1>, %o: f32) {
  // expected-error @+1 {{`other` has type 'f32', expected 'tensor<32xf32>'}}
  %0 = tile.gather %p[%i], %m, %o : !tile.ptr<f32>, tensor<32xi32> -> tensor<32xf32>, tensor<32xi1>, f32
  return
}

// -----

func.func @gather_float_indices(%p: !tile.ptr<f32>, %i: tensor<32xf32>) {
  // expected-error @+1 {{operand #1 must be statically shaped tensor of signless integer values, but got 'tensor<32xf32>'}}
  %0 = "tile.gather"(%p, %i) <{operandSegmentSizes = array<i32: 1, 1, 0, 0>}> : (!tile.ptr<f32>, tensor<32xf32>) -> tensor<32xf32>
  return
}

//===----------------------------------------------------------------------===//
// make_desc / desc_load / desc_store
//===----------------------------------------------------------------------===//

// -----

func.func @make_desc_too_few_sizes(%p: !tile.ptr<f32>, %x: i32) {
  // expected-error @+1 {{a rank-2 descriptor needs 2 sizes and strides, got 1 and 2}}
  %0 = tile.make_desc %p, shape [%x], strides [%x, %x] : !tile.ptr<f32> -> !tile.desc<64x32xf32>
  return
}

// -----

func.func @make_desc_too_many_strides(%p: !tile.ptr<f32>, %x: i32) {
  // expected-error @+1 {{a rank-2 descriptor needs 2 sizes and strides, got 2 and 3}}
  %0 = tile.make_desc %p, shape [%x, %x], strides [%x, %x, %x] : !tile.ptr<f32> -> !tile.desc<64x32xf32>
  return
}

// -----

func.func @make_desc_element_type(%p: !tile.ptr<f32>, %x: i32) {
  // expected-error @+1 {{descriptor of 'f16' over a pointer to 'f32'}}
  %0 = tile.make_desc %p, shape [%x, %x], strides [%x, %x] : !tile.ptr<f32> -> !tile.desc<64x32xf16>
  return
}

// -----

func.func @make_desc_zero_block(%p: !tile.ptr<f32>, %x: i32) {
  // expected-error @+1 {{block dimensions must be positive, got [64,0]}}
  %0 = tile.make_desc %p, shape [%x, %x], strides [%x, %x] : !tile.ptr<f32> -> !tile.desc<64x0xf32>
  return
}

// -----

func.func @make_desc_i64_shape(%p: !tile.ptr<f32>, %x: i64) {
  // expected-error @+1 {{operand #1 must be variadic of 32-bit signless integer, but got 'i64'}}
  %0 = "tile.make_desc"(%p, %x, %x) <{operandSegmentSizes = array<i32: 1, 1, 1>}> : (!tile.ptr<f32>, i64, i64) -> !tile.desc<64xf32>
  return
}

// -----

func.func @desc_load_offset_count(%d: !tile.desc<64x32xf32>, %x: i32) {
  // expected-error @+1 {{a rank-2 descriptor takes 2 offsets, got 1}}
  %0 = tile.desc_load %d[%x] : !tile.desc<64x32xf32> -> tensor<64x32xf32>
  return
}

// -----

func.func @desc_load_block_shape(%d: !tile.desc<64x32xf32>, %x: i32) {
  // expected-error @+1 {{block type 'tensor<32x64xf32>' does not match the descriptor's 'tensor<64x32xf32>'}}
  %0 = tile.desc_load %d[%x, %x] : !tile.desc<64x32xf32> -> tensor<32x64xf32>
  return
}

// -----

func.func @desc_load_block_element_type(%d: !tile.desc<64x32xf32>, %x: i32) {
  // expected-error @+1 {{block type 'tensor<64x32xbf16>' does not match the descriptor's 'tensor<64x32xf32>'}}
  %0 = tile.desc_load %d[%x, %x] : !tile.desc<64x32xf32> -> tensor<64x32xbf16>
  return
}

// -----

func.func @desc_store_offset_count(%d: !tile.desc<64x32xf32>, %x: i32, %v: tensor<64x32xf32>) {
  // expected-error @+1 {{a rank-2 descriptor takes 2 offsets, got 3}}
  tile.desc_store %d[%x, %x, %x], %v : !tile.desc<64x32xf32>, tensor<64x32xf32>
  return
}

// -----

func.func @desc_store_block_type(%d: !tile.desc<64x32xf32>, %x: i32, %v: tensor<64x16xf32>) {
  // expected-error @+1 {{block type 'tensor<64x16xf32>' does not match the descriptor's 'tensor<64x32xf32>'}}
  tile.desc_store %d[%x, %x], %v : !tile.desc<64x32xf32>, tensor<64x16xf32>
  return
}

//===----------------------------------------------------------------------===//
// atomic_rmw
//===----------------------------------------------------------------------===//

// -----

func.func @atomic_rmw_value_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<16xf32>) {
  // expected-error @+1 {{value shape [16] does not match pointer shape [32]}}
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f32>>, tensor<16xf32>
  return
}

// -----

func.func @atomic_rmw_element_type(%p: tensor<32x!tile.ptr<f64>>, %v: tensor<32xf32>) {
  // expected-error @+1 {{atomic on 'f32' through a pointer to 'f64'}}
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f64>>, tensor<32xf32>
  return
}

// -----

func.func @atomic_rmw_result_type(%p: !tile.ptr<f32>, %v: f32) {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %0 = "tile.atomic_rmw"(%p, %v) <{kind = 0 : i32}> : (!tile.ptr<f32>, f32) -> f64
  return
}

// -----

func.func @atomic_rmw_unsupported_f16(%p: tensor<32x!tile.ptr<f16>>, %v: tensor<32xf16>) {
  // expected-error @+1 {{atomics support f32, f64, i32 and i64, not 'f16'}}
  %0 = tile.atomic_rmw add %p, %v : tensor<32x!tile.ptr<f16>>, tensor<32xf16>
  return
}

// -----

func.func @atomic_rmw_unsupported_i8(%p: !tile.ptr<i8>, %v: i8) {
  // expected-error @+1 {{atomics support f32, f64, i32 and i64, not 'i8'}}
  %0 = tile.atomic_rmw xchg %p, %v : !tile.ptr<i8>, i8
  return
}

// -----

func.func @atomic_rmw_mask_shape(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>, %m: tensor<8xi1>) {
  // expected-error @+1 {{mask shape [8] does not match pointer shape [32]}}
  %0 = tile.atomic_rmw max %p, %v, %m : tensor<32x!tile.ptr<f32>>, tensor<32xf32>, tensor<8xi1>
  return
}

// -----

func.func @atomic_rmw_unknown_kind(%p: !tile.ptr<f32>, %v: f32) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [add, max, min, xchg]}}
  %0 = tile.atomic_rmw mul %p, %v : !tile.ptr<f32>, f32
  return
}

//===----------------------------------------------------------------------===//
// atomic_cas
//===----------------------------------------------------------------------===//

// -----

func.func @atomic_cas_value_shape(%p: tensor<32x!tile.ptr<i32>>, %v: tensor<16xi32>) {
  // expected-error @+1 {{value shape [16] does not match pointer shape [32]}}
  %0 = tile.atomic_cas %p, %v, %v : tensor<32x!tile.ptr<i32>>, tensor<16xi32>
  return
}

// -----

func.func @atomic_cas_element_type(%p: !tile.ptr<i64>, %v: i32) {
  // expected-error @+1 {{compare-and-swap of 'i32' through a pointer to 'i64'}}
  %0 = tile.atomic_cas %p, %v, %v : !tile.ptr<i64>, i32
  return
}

// -----

func.func @atomic_cas_float(%p: tensor<32x!tile.ptr<f32>>, %v: tensor<32xf32>) {
  // expected-error @+1 {{compare-and-swap supports i32 and i64, not 'f32'}}
  %0 = tile.atomic_cas %p, %v, %v : tensor<32x!tile.ptr<f32>>, tensor<32xf32>
  return
}

// -----

func.func @atomic_cas_cmp_type(%p: !tile.ptr<i32>, %c: i64, %v: i32) {
  // expected-error @+1 {{failed to verify that all of {cmp, value, result} have same type}}
  %0 = "tile.atomic_cas"(%p, %c, %v) : (!tile.ptr<i32>, i64, i32) -> i32
  return
}

//===----------------------------------------------------------------------===//
// dot
//===----------------------------------------------------------------------===//

// -----

func.func @dot_rank(%a: tensor<32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{operands must be 2-D tiles, got ranks 1, 2, 2}}
  %0 = tile.dot %a, %b, %c : tensor<32xf32>, tensor<32x16xf32> -> tensor<64x16xf32>
  return
}

// -----

func.func @dot_acc_rank(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<2x64x16xf32>) {
  // expected-error @+1 {{operands must be 2-D tiles, got ranks 2, 2, 3}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<2x64x16xf32>
  return
}

// -----

func.func @dot_inner_dims(%a: tensor<64x32xf32>, %b: tensor<16x16xf32>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{inner dimensions differ: a is [64,32], b is [16,16]}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<16x16xf32> -> tensor<64x16xf32>
  return
}

// -----

func.func @dot_acc_shape(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x64xf32>) {
  // expected-error @+1 {{accumulator is [64,64], expected [64,16]}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x64xf32>
  return
}

// -----

func.func @dot_operand_dtypes(%a: tensor<64x32xf16>, %b: tensor<32x16xbf16>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{operand dtypes differ: 'f16' and 'bf16'}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf16>, tensor<32x16xbf16> -> tensor<64x16xf32>
  return
}

// -----

func.func @dot_f16_accumulator(%a: tensor<64x32xf16>, %b: tensor<32x16xf16>, %c: tensor<64x16xf16>) {
  // expected-error @+1 {{cannot accumulate 'f16' products in 'f16' (use f32 for float inputs, i32 for i8)}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf16>, tensor<32x16xf16> -> tensor<64x16xf16>
  return
}

// -----

func.func @dot_f64_into_f32(%a: tensor<64x32xf64>, %b: tensor<32x16xf64>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{cannot accumulate 'f64' products in 'f32'}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf64>, tensor<32x16xf64> -> tensor<64x16xf32>
  return
}

// -----

func.func @dot_i8_into_f32(%a: tensor<64x32xi8>, %b: tensor<32x16xi8>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{cannot accumulate 'i8' products in 'f32'}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xi8>, tensor<32x16xi8> -> tensor<64x16xf32>
  return
}

// -----

func.func @dot_i32_inputs(%a: tensor<64x32xi32>, %b: tensor<32x16xi32>, %c: tensor<64x16xi32>) {
  // expected-error @+1 {{cannot accumulate 'i32' products in 'i32'}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xi32>, tensor<32x16xi32> -> tensor<64x16xi32>
  return
}

// -----

func.func @dot_f32_into_i32(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xi32>) {
  // expected-error @+1 {{cannot accumulate 'f32' products in 'i32'}}
  %0 = tile.dot %a, %b, %c : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x16xi32>
  return
}

// -----

func.func @dot_result_type(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64x16xf32>) {
  // expected-error @+1 {{failed to verify that all of {acc, result} have same type}}
  %0 = "tile.dot"(%a, %b, %c) : (tensor<64x32xf32>, tensor<32x16xf32>, tensor<64x16xf32>) -> tensor<64x16xf64>
  return
}

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_too_large(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{axis 2 out of range for rank 2}}
  %0 = tile.reduce sum %a {axis = 2 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}

// -----

func.func @reduce_axis_negative(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{out of range for rank 2}}
  %0 = tile.reduce max %a {axis = -1 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}

// -----

func.func @reduce_wrong_axis_removed(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{result type 'tensor<16xf32>' should be 'tensor<32xf32>'}}
  %0 = tile.reduce sum %a {axis = 0 : i32} : tensor<16x32xf32> -> tensor<16xf32>
  return
}

// -----

func.func @reduce_rank1_to_tile(%a: tensor<16xf32>) {
  // expected-error @+1 {{result type 'tensor<1xf32>' should be 'f32'}}
  %0 = tile.reduce sum %a {axis = 0 : i32} : tensor<16xf32> -> tensor<1xf32>
  return
}

// -----

func.func @reduce_element_type(%a: tensor<16xf32>) {
  // expected-error @+1 {{result type 'f16' should be 'f32'}}
  %0 = tile.reduce min %a {axis = 0 : i32} : tensor<16xf32> -> f16
  return
}

// -----

func.func @reduce_argmax_not_i32(%a: tensor<16xf32>) {
  // expected-error @+1 {{result type 'f32' should be 'i32'}}
  %0 = tile.reduce argmax %a {axis = 0 : i32} : tensor<16xf32> -> f32
  return
}

// -----

func.func @reduce_argmin_rank2_not_i32(%a: tensor<16x32xf16>) {
  // expected-error @+1 {{result type 'tensor<16xf16>' should be 'tensor<16xi32>'}}
  %0 = tile.reduce argmin %a {axis = 1 : i32} : tensor<16x32xf16> -> tensor<16xf16>
  return
}

// -----

func.func @reduce_unknown_kind(%a: tensor<16xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [sum, max, min, argmax, argmin]}}
  %0 = tile.reduce prod %a {axis = 0 : i32} : tensor<16xf32> -> f32
  return
}

// -----

func.func @reduce_scalar_source(%a: f32) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of any type values, but got 'f32'}}
  %0 = "tile.reduce"(%a) <{axis = 0 : i32, kind = 0 : i32}> : (f32) -> f32
  return
}

//===----------------------------------------------------------------------===//
// scan
//===----------------------------------------------------------------------===//

// -----

func.func @scan_axis_too_large(%a: tensor<16xf32>) {
  // expected-error @+1 {{axis 1 out of range for rank 1}}
  %0 = tile.scan sum %a {axis = 1 : i32} : tensor<16xf32>
  return
}

// -----

func.func @scan_axis_negative(%a: tensor<8x16xf32>) {
  // expected-error @+1 {{out of range for rank 2}}
  %0 = tile.scan sum %a {axis = -1 : i32} : tensor<8x16xf32>
  return
}

// -----

func.func @scan_unknown_kind(%a: tensor<16xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [sum, max, min]}}
  %0 = tile.scan argmax %a {axis = 0 : i32} : tensor<16xf32>
  return
}

// -----

func.func @scan_reverse_not_bool(%a: tensor<16xf32>) {
  // expected-error @+1 {{attribute 'reverse' failed to satisfy constraint: bool attribute}}
  %0 = tile.scan sum %a {axis = 0 : i32, reverse = 1 : i32} : tensor<16xf32>
  return
}

// -----

func.func @scan_result_type(%a: tensor<16xf32>) {
  // expected-error @+1 {{failed to verify that all of {src, result} have same type}}
  %0 = "tile.scan"(%a) <{axis = 0 : i32, kind = 0 : i32}> : (tensor<16xf32>) -> tensor<16xf16>
  return
}

// -----

func.func @reduce_with_wrong_yield(%t: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{the combiner must yield one 'f32'}}
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
    tile.yield %x, %y : f32, f32
  }
  return %r : tensor<4xf32>
}

// -----

// An empty combiner (no terminator at all) is an error, not a read past the block.
func.func @reduce_with_empty(%t: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{the combiner must yield one 'f32'}}
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
  }
  return %r : tensor<4xf32>
}

// -----

func.func @reduce_with_wrong_args(%t: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{the combiner takes two 'f32' elements}}
  %r = tile.reduce_with %t {axis = 1 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32):
    tile.yield %x : f32
  }
  return %r : tensor<4xf32>
}

// -----

func.func @reduce_with_axis(%t: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{axis 2 out of range for rank 2}}
  %r = tile.reduce_with %t {axis = 2 : i32} : tensor<4x8xf32> -> tensor<4xf32> {
  ^bb0(%x: f32, %y: f32):
    tile.yield %x : f32
  }
  return %r : tensor<4xf32>
}

// -----

func.func @join_shape(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{result should be [4,2] of 'f32'}}
  %j = tile.join %a, %b : tensor<4xf32> -> tensor<2x4xf32>
  return %j : tensor<2x4xf32>
}

// -----

func.func @split_last_dim(%a: tensor<4x3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{the last dimension must be 2, got [4,3]}}
  %l, %r = tile.split %a : tensor<4x3xf32> -> tensor<4xf32>
  return %l : tensor<4xf32>
}

// -----

func.func @print_pointer(%p: !tile.ptr<f32>) {
  // expected-error @+1 {{can print integers and floats, not '!tile.ptr<f32>'}}
  tile.print "p", %p : !tile.ptr<f32>
  return
}

// -----

func.func @dot_precision_value(%a: tensor<16x8xf32>, %b: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @+1 {{input_precision}}
  %0 = tile.dot %a, %b, %c {input_precision = 7 : i32} : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}

// -----

// expected-error @+1 {{'tile.num_warps' takes a power of two from 1 to 32, got 3 : i64}}
func.func @three_warps() attributes {tile.kernel, tile.num_warps = 3 : i64} {
  return
}

// -----

// expected-error @+1 {{'tile.num_warps' takes a power of two from 1 to 32, got 64 : i64}}
func.func @too_many_warps() attributes {tile.kernel, tile.num_warps = 64 : i64} {
  return
}

// -----

// expected-error @+1 {{'tile.num_stages' takes 1 to 8, got 0 : i64}}
func.func @no_stages() attributes {tile.kernel, tile.num_stages = 0 : i64} {
  return
}

// -----

// expected-error @+1 {{'tile.num_stages' takes 1 to 8, got 9 : i64}}
func.func @too_many_stages() attributes {tile.kernel, tile.num_stages = 9 : i64} {
  return
}

// -----

// expected-error @+1 {{unknown tile dialect attribute 'tile.kernal'}}
func.func @misspelt() attributes {tile.kernal} {
  return
}
