// Shared memory as layouts: a 2-D tile stored row-major with an XOR swizzle, the cost
// of a warp's accesses to it in bank wavefronts, and the choice of swizzle for a layout
// conversion that writes through one distributed layout and reads through another.
// The swizzle is linear over GF(2), so the stored tile is itself a LinearLayout (offset
// -> coordinates) and an access's addresses are a composition.
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_SHAREDMEMORY_H
#define TEGULA_BACKENDS_GPU_LAYOUT_SHAREDMEMORY_H

#include "backends/gpu/Layout/LinearLayout.h"

#include <cstdint>

namespace tegula::gpu {

/// The banks a warp's shared-memory accesses are served from: one `bank_bytes` word
/// per bank per wavefront, for the lanes of one phase (all 32 lanes for accesses of up
/// to 4 bytes, 16 for 8 bytes, 8 for 16 bytes).
struct SharedMemoryBanks {
  int64_t banks = 32;
  int64_t bank_bytes = 4;
};

/// In row r, the group of `vec` elements g is stored at group g ^ ((r / per_phase) %
/// max_phase). All powers of two; {1, 1, 1} is plain row-major.
struct Swizzle {
  int64_t vec = 1;
  int64_t per_phase = 1;
  int64_t max_phase = 1;
  bool operator==(const Swizzle &) const = default;
};

/// The stored tile: input "offset" (in elements) -> (dim0, dim1) of a rows x cols tile.
/// Throws std::invalid_argument when the swizzle does not fit the row.
LinearLayout shared_layout(int64_t rows, int64_t cols, const Swizzle &swizzle);

/// How many of `dist`'s leading registers are consecutive along dim1 (the row), capped
/// at one 16-byte access: the elements one vector access moves.
int64_t row_vector(const LinearLayout &dist, int64_t element_bytes);

/// Wavefronts for every warp to access the whole tile through `dist`, `vec` registers
/// at a time, against the `ideal` (one per phase that touches at most one word per
/// bank). `vec` consecutive registers must be consecutive in `shared`.
struct AccessCost {
  int64_t wavefronts = 0;
  int64_t ideal = 0;
};
AccessCost shared_access_cost(const LinearLayout &dist, const LinearLayout &shared, int64_t element_bytes,
                              int64_t vec, const SharedMemoryBanks &banks = {});

/// The swizzle that makes a conversion through shared memory cheapest: written through
/// `from` and read through `to` (both (register, lane, warp) -> (dim0, dim1) over the
/// same tile), each with its row vectors. Among equal costs, the smallest max_phase,
/// then per_phase, then vec.
Swizzle choose_swizzle(const LinearLayout &from, const LinearLayout &to, int64_t element_bytes,
                       const SharedMemoryBanks &banks = {});

} // namespace tegula::gpu

#endif
