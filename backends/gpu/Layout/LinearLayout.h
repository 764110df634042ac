// Layouts as data: where each element of a tile lives on a GPU, as a linear map over
// GF(2) from the bits of (register, lane, warp) indices to the bits of the tile's
// coordinates. Every distributed layout the GPU lowering uses (blocked, its slices and
// broadcasts, the shared-memory swizzles) is one of these, so conversions between two
// layouts are computed, not special-cased: compose one with the other's inverse.
//
// A layout has named input dimensions and named output dimensions, each a power of two
// in size. Bit b of input dimension i maps to a basis vector (one coordinate per
// output dimension); the image of an input is the XOR of the basis vectors of its set
// bits. A zero basis vector is a broadcast: two inputs that differ only in that bit
// hold the same element.
#ifndef TEGULA_BACKENDS_GPU_LAYOUT_LINEARLAYOUT_H
#define TEGULA_BACKENDS_GPU_LAYOUT_LINEARLAYOUT_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tegula::gpu {

/// log2 of a power of two; std::invalid_argument naming `what` otherwise.
int log2_exact(int64_t size, const char *what);

class LinearLayout {
public:
  struct Dim {
    std::string name;
    int log2_size = 0;
    bool operator==(const Dim &) const = default;
  };
  /// bases[i][b]: the image of bit b of input dimension i, one coordinate per output
  /// dimension.
  using Basis = std::vector<int64_t>;

  LinearLayout() = default;
  /// Throws std::invalid_argument when a basis has the wrong length or a coordinate
  /// outside its output dimension.
  LinearLayout(std::vector<Dim> ins, std::vector<Dim> outs, std::vector<std::vector<Basis>> bases);

  /// `size` elements of `in` onto `out`, in order (size a power of two).
  static LinearLayout identity(int64_t size, const std::string &in, const std::string &out);
  /// `size` values of `in` that all hold element 0 of `out` (an output of size 1).
  static LinearLayout broadcast(int64_t size, const std::string &in, const std::string &out);

  /// The blocked layout of a tile `shape` (powers of two) over registers, lanes and
  /// warps: each thread holds `size_per_thread` contiguous elements per dimension,
  /// `threads_per_warp` and `warps` tile the dimensions, `order` lists the dimensions
  /// fastest first. Where the block covers less than the shape, registers repeat it;
  /// where it covers more, the extra lanes or warps hold copies (zero bases).
  /// Output dimensions are named dim0, dim1, ...
  static LinearLayout blocked(const std::vector<int64_t> &shape, const std::vector<int64_t> &size_per_thread,
                              const std::vector<int64_t> &threads_per_warp, const std::vector<int64_t> &warps,
                              const std::vector<int> &order);

  const std::vector<Dim> &ins() const { return ins_; }
  const std::vector<Dim> &outs() const { return outs_; }
  int64_t in_size(const std::string &name) const;
  int64_t out_size(const std::string &name) const;
  const Basis &basis(const std::string &in, int bit) const;

  /// The element (one coordinate per output dimension) that the input holds; inputs not
  /// named are 0. Throws std::invalid_argument for an unknown name or a value out of
  /// range.
  std::vector<int64_t> apply(const std::vector<std::pair<std::string, int64_t>> &input) const;
  /// The same on packed bits, for loops over every input: the input dimensions'
  /// values side by side, the first in the low bits; the result packed the same way
  /// over the output dimensions.
  uint64_t apply_packed(uint64_t input) const {
    uint64_t out = 0;
    for (size_t k = 0; input && k < packed_.size(); ++k, input >>= 1)
      if (input & 1)
        out ^= packed_[k];
    return out;
  }

  /// This layout's bits low, `high`'s above: input and output dimensions of one name
  /// are concatenated, the others kept side by side.
  LinearLayout operator*(const LinearLayout &high) const;
  /// outer(this(x)): this layout's outputs must be `outer`'s inputs (same names and
  /// sizes, in any order).
  LinearLayout compose(const LinearLayout &outer) const;
  /// The inverse of a bijective layout (outputs become inputs); nullopt otherwise.
  std::optional<LinearLayout> invert() const;
  /// For a surjective layout, one input that holds each element (of several copies,
  /// one whose redundant input bits are 0): this(right_inverse(y)) == y. nullopt
  /// otherwise.
  std::optional<LinearLayout> right_inverse() const;
  /// The same map with the output dimensions in `names`' order.
  LinearLayout with_out_order(const std::vector<std::string> &names) const;

  int total_in_bits() const;
  int total_out_bits() const;
  /// Over GF(2): the dimension of the image.
  int rank() const;
  bool injective() const { return rank() == total_in_bits(); }
  bool surjective() const { return rank() == total_out_bits(); }
  /// How many inputs hold each element: 2^(in bits - rank) for a surjective layout.
  int64_t copies() const { return int64_t{1} << (total_in_bits() - rank()); }

  bool operator==(const LinearLayout &) const = default;
  /// "register: [0,1] [0,2] | lane: [1,0] ... -> dim0 x 4, dim1 x 8"
  std::string str() const;

private:
  int in_index(const std::string &name) const;
  int out_index(const std::string &name) const;
  /// A basis vector as one integer: output dimension j at bits [offset_j, ...).
  uint64_t flatten(const Basis &b) const;
  Basis unflatten(uint64_t bits) const;

  std::vector<Dim> ins_, outs_;
  std::vector<std::vector<Basis>> bases_;
  std::vector<uint64_t> packed_; ///< every basis packed, in input-bit order
};

/// `parent` (register, lane, warp -> dim0..dimN) with output dimension `dim`, which
/// must have size 1, taken out (the dimensions after it renumbered), and the register
/// bits that only stepped along it dropped: the layout of a slice of the parent.
LinearLayout slice_layout(const LinearLayout &parent, int dim);

/// `layout`'s tile, its elements taken in row-major order as a tile of `shape` (as many
/// elements, each extent a power of two): every element stays where it was. Row-major
/// flattening of power-of-two extents concatenates coordinate bits, so this is linear.
/// Throws std::invalid_argument when the element counts differ.
LinearLayout reshape_layout(const LinearLayout &layout, const std::vector<int64_t> &shape);
/// `layout` with output dimension i taken from its dimension order[i] (a permutation):
/// the layout of the transposed tile, every element where it was.
LinearLayout permute_layout(const LinearLayout &layout, const std::vector<int> &order);

/// How many registers, from each multiple of that count, hold consecutive elements
/// along output dimension `dim` that start at a multiple of it in every thread: the
/// vector an access may move them in, where memory is contiguous along `dim`. 1 when
/// the first register bit steps elsewhere.
int64_t contiguous_registers(const LinearLayout &layout, int dim);
/// How far the lowest bits of input `in`, in order, keep stepping along `dim` from an
/// extent of `run` elements (each bit doubling it); `run` when the first does not.
int64_t extend_run(const LinearLayout &layout, const std::string &in, int dim, int64_t run);

} // namespace tegula::gpu

#endif
