// Shape changes of tegula-convert-tile-to-maia. A TSRAM buffer is dense and row-major,
// so a reshape (row-major by definition) only renames its shape, and an index tile
// that is affine in its row-major position stays symbolic; join and split are one
// transpose each, and a permutation of more than two axes a few batches of them.
#include "backends/maia/Conversion/Lowering.h"
#include "dialects/tile/IR/TileDialect.h"

#include <algorithm>

namespace tegula::maia::lowering {

using namespace mlir;

namespace tile = tegula::tile;

namespace {
/// The number of elements after dimension `d` of `shape` (its row-major stride).
int64_t rowMajorStride(ArrayRef<int64_t> shape, size_t d) {
  int64_t n = 1;
  for (size_t e = d + 1; e < shape.size(); ++e)
    n *= shape[e];
  return n;
}
} // namespace

void Lowering::lowerReshape(tile::ReshapeOp op) {
  auto from = op.getSrc().getType().getShape();
  auto to = op.getResult().getType().getShape();
  Info i = info(op.getSrc(), op); // a copy: materializing grows the map
  if (auto *c = std::get_if<FloatConst>(&i)) {
    tiles_[op.getResult()] = *c; // a splat in any shape
    return;
  }
  if (auto *a = std::get_if<Affine>(&i)) {
    // base + s * (row-major position): the same in the new shape, with the new shape's
    // row-major strides times s. Dimensions of size 1 contribute nothing.
    std::optional<int64_t> unit;
    Value s;
    bool linear = true;
    for (size_t d = 0; d < from.size() && linear; ++d) {
      if (from[d] == 1)
        continue;
      Value stride = a->strides[d];
      std::optional<int64_t> k = stride ? constOf(stride) : std::optional<int64_t>(0);
      if (!k || *k % rowMajorStride(from, d) != 0) {
        linear = false;
        break;
      }
      int64_t perElement = *k / rowMajorStride(from, d);
      if (unit && *unit != perElement)
        linear = false;
      unit = perElement;
    }
    if (linear) {
      Affine out{a->base, {}};
      for (size_t d = 0; d < to.size(); ++d)
        out.strides.push_back(unit && *unit != 0 && to[d] != 1 ? cst(*unit * rowMajorStride(to, d)) : Value());
      tiles_[op.getResult()] = out;
      return;
    }
  }
  if (std::holds_alternative<PtrTile>(i) || std::holds_alternative<Desc>(i))
    fail(op, "a tile of pointers is reshaped only as the offsets it is built from; reshape the offsets first");
  Buffer buf = materializeAs(op.getSrc(), op);
  buf.shape.assign(to.begin(), to.end());
  tiles_[op.getResult()] = buf;
}

void Lowering::lowerJoin(tile::JoinOp op) {
  // [n...] and [n...] -> [n..., 2]: both tiles as the two rows of a [2, N] buffer, then
  // one transpose to [N, 2], which is the result's row-major order.
  Buffer lhs = materializeAs(op.getLhs(), op), rhs = materializeAs(op.getRhs(), op);
  const int64_t n = lhs.numel();
  Buffer stacked = allocate({2, n}, lhs.elem, op);
  Buffer rows[2] = {stacked, stacked};
  rows[0].shape = rows[1].shape = {n};
  rows[1].offset += n * bytesOf(lhs.elem);
  copyElements(rows[0], lhs);
  copyElements(rows[1], rhs);
  auto shape = op.getResult().getType().getShape();
  Buffer out = allocate(shape, lhs.elem, op);
  typedRow(mir::TypedRowKind::Trans, out, stacked, n, 2);
  tiles_[op.getResult()] = out;
}

void Lowering::lowerSplit(tile::SplitOp op) {
  // [n..., 2] -> two [n...]: one transpose of the [N, 2] elements to [2, N], whose rows
  // are the halves.
  Buffer src = materializeAs(op.getSrc(), op);
  const int64_t n = src.numel() / 2;
  Buffer halves = allocate({2, n}, src.elem, op);
  typedRow(mir::TypedRowKind::Trans, halves, src, 2, n);
  auto shape = op.getLhs().getType().getShape();
  Buffer first = halves, second = halves;
  first.shape.assign(shape.begin(), shape.end());
  second.shape = first.shape;
  second.offset += n * bytesOf(src.elem);
  tiles_[op.getLhs()] = first;
  tiles_[op.getRhs()] = second;
}

void Lowering::lowerPermute(tile::TransOp op) {
  // Axes are brought into the result's order one position at a time: moving axis `a`
  // from position j to i < j is, with P the product of the axes before i, one
  // transpose of each of the P matrices [axes i..j-1] x [axes j..] (a batch of P
  // commands). Exact, and slow for long batches.
  auto order = op.getOrder();
  auto shape = op.getSrc().getType().getShape();
  Buffer x = materializeAs(op.getSrc(), op);
  SmallVector<int64_t> current(shape.size()); // original axis at each position
  for (size_t d = 0; d < current.size(); ++d)
    current[d] = static_cast<int64_t>(d);
  const int64_t esize = bytesOf(x.elem);
  for (size_t i = 0; i < order.size(); ++i) {
    size_t j = llvm::find(current, order[i]) - current.begin();
    if (j == i)
      continue;
    int64_t batch = 1, rows = 1, cols = 1;
    for (size_t d = 0; d < current.size(); ++d)
      (d < i ? batch : d < j ? rows : cols) *= shape[current[d]];
    Buffer out = allocate({x.numel()}, x.elem, op);
    for (int64_t b = 0; b < batch; ++b) {
      Buffer from = x, to = out;
      from.offset += b * rows * cols * esize;
      to.offset += b * rows * cols * esize;
      from.shape = to.shape = {rows, cols};
      typedRow(mir::TypedRowKind::Trans, to, from, cols, rows);
    }
    x = out;
    // Positions i..j-1 move behind the others.
    std::rotate(current.begin() + i, current.begin() + j, current.end());
  }
  auto result = op.getResult().getType().getShape();
  x.shape.assign(result.begin(), result.end());
  tiles_[op.getResult()] = x;
}

} // namespace tegula::maia::lowering
