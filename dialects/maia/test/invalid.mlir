// RUN: tegula-opt %s -split-input-file -verify-diagnostics

func.func @bad_sem() {
  // expected-error @+1 {{attribute 'sem' failed to satisfy constraint}}
  maia.wait sem 32 count 1
  return
}

// -----

func.func @bad_axis() {
  // expected-error @+1 {{attribute 'axis' failed to satisfy constraint}}
  %p = maia.program_id 3
  return
}

// -----

func.func @zero_count() {
  // expected-error @+1 {{attribute 'count' failed to satisfy constraint}}
  maia.signal sem 1 count 0
  return
}

// -----

func.func @row_reduce_with_vector(%x: i64) {
  // expected-error @+1 {{row max reduces rows and takes no vector}}
  maia.vrow max %x, %x vector %x, %x, %x sem 0
  return
}

// -----

func.func @row_update_without_vector(%x: i64) {
  // expected-error @+1 {{row sub needs the per-row vector}}
  maia.vrow sub %x, %x, %x, %x sem 0
  return
}

// -----

func.func @negative_stride(%x: i64) {
  // expected-error @+1 {{TSRAM row stride must be 0 (dense) or positive, got -4}}
  maia.dma_in %x, %x, %x, %x, %x sem 1 {tsram_stride = -4 : i32}
  return
}

// -----

func.func @zero_k(%x: i64) {
  // expected-error @+1 {{attribute 'k' failed to satisfy constraint}}
  maia.mma %x, %x, %x, %x, %x k 0 sem 1
  return
}
