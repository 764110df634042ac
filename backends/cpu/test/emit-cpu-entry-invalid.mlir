// RUN: tegula-opt %s -split-input-file -tegula-emit-cpu-entry -verify-diagnostics

// The entry wrapper needs the grid arguments that tegula-convert-tile-to-linalg appends.

// expected-error @+1 {{kernel lacks the grid arguments or still takes tiles or tile pointers}}
func.func @not_lowered(%x: !tile.ptr<f32>, %n: i32) attributes {tile.kernel} {
  return
}
