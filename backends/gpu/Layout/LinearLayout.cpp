#include "backends/gpu/Layout/LinearLayout.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace tegula::gpu {

int log2_exact(int64_t size, const char *what) {
  if (size < 1 || (size & (size - 1)) != 0)
    throw std::invalid_argument(std::string(what) + " must be a power of two, got " + std::to_string(size));
  int log2 = 0;
  while ((int64_t{1} << log2) < size)
    ++log2;
  return log2;
}

namespace {

int total_bits(const std::vector<LinearLayout::Dim> &dims) {
  int bits = 0;
  for (const auto &d : dims)
    bits += d.log2_size;
  return bits;
}

int find(const std::vector<LinearLayout::Dim> &dims, const std::string &name) {
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i].name == name)
      return static_cast<int>(i);
  return -1;
}

} // namespace

LinearLayout::LinearLayout(std::vector<Dim> ins, std::vector<Dim> outs, std::vector<std::vector<Basis>> bases)
    : ins_(std::move(ins)), outs_(std::move(outs)), bases_(std::move(bases)) {
  if (bases_.size() != ins_.size())
    throw std::invalid_argument("a layout needs one list of bases per input dimension");
  if (total_bits(outs_) > 62 || total_bits(ins_) > 62)
    throw std::invalid_argument("a layout is limited to 62 bits of input and of output");
  for (size_t i = 0; i < ins_.size(); ++i) {
    if (static_cast<int>(bases_[i].size()) != ins_[i].log2_size)
      throw std::invalid_argument("input dimension '" + ins_[i].name + "' needs " +
                                  std::to_string(ins_[i].log2_size) + " bases");
    for (const Basis &b : bases_[i]) {
      if (b.size() != outs_.size())
        throw std::invalid_argument("a basis of '" + ins_[i].name + "' has " + std::to_string(b.size()) +
                                    " coordinates for " + std::to_string(outs_.size()) + " output dimensions");
      for (size_t j = 0; j < b.size(); ++j)
        if (b[j] < 0 || b[j] >= (int64_t{1} << outs_[j].log2_size))
          throw std::invalid_argument("a basis of '" + ins_[i].name + "' has coordinate " + std::to_string(b[j]) +
                                      " outside '" + outs_[j].name + "'");
      packed_.push_back(flatten(b));
    }
  }
}

LinearLayout LinearLayout::identity(int64_t size, const std::string &in, const std::string &out) {
  int log2 = log2_exact(size, "an identity layout's size");
  std::vector<Basis> bases;
  for (int b = 0; b < log2; ++b)
    bases.push_back({int64_t{1} << b});
  return LinearLayout({{in, log2}}, {{out, log2}}, {bases});
}

LinearLayout LinearLayout::broadcast(int64_t size, const std::string &in, const std::string &out) {
  int log2 = log2_exact(size, "a broadcast layout's size");
  return LinearLayout({{in, log2}}, {{out, 0}}, {std::vector<Basis>(log2, Basis{0})});
}

LinearLayout LinearLayout::blocked(const std::vector<int64_t> &shape, const std::vector<int64_t> &size_per_thread,
                                   const std::vector<int64_t> &threads_per_warp, const std::vector<int64_t> &warps,
                                   const std::vector<int> &order) {
  const size_t rank = shape.size();
  if (size_per_thread.size() != rank || threads_per_warp.size() != rank || warps.size() != rank ||
      order.size() != rank)
    throw std::invalid_argument("a blocked layout needs one size per thread, thread count, warp count and order "
                                "entry per dimension");
  std::vector<int> sorted(order);
  std::sort(sorted.begin(), sorted.end());
  for (size_t d = 0; d < rank; ++d)
    if (sorted[d] != static_cast<int>(d))
      throw std::invalid_argument("a blocked layout's order must be a permutation of its dimensions");
  auto dim = [](int d) { return "dim" + std::to_string(d); };
  // One level (register, lane or warp) at a time, fastest dimension in the low bits.
  auto level = [&](const std::vector<int64_t> &sizes, const std::string &in) {
    LinearLayout l({{in, 0}}, {}, {{}});
    for (int d : order)
      l = l * identity(sizes[d], in, dim(d));
    return l;
  };
  LinearLayout layout = level(size_per_thread, "register") * level(threads_per_warp, "lane") * level(warps, "warp");
  for (int d : order) {
    int want = log2_exact(shape[d], "a blocked layout's shape");
    int have = layout.outs_[layout.out_index(dim(d))].log2_size;
    if (have < want) { // the block repeats in registers
      layout = layout * identity(int64_t{1} << (want - have), "register", dim(d));
    } else if (have > want) { // lanes or warps past the shape hold copies
      int j = layout.out_index(dim(d));
      for (auto &bits : layout.bases_)
        for (Basis &b : bits)
          if (b[j] >= (int64_t{1} << want))
            b[j] = 0;
      layout.outs_[j].log2_size = want;
      layout = LinearLayout(layout.ins_, layout.outs_, layout.bases_); // repack
    }
  }
  std::vector<std::string> names;
  for (size_t d = 0; d < rank; ++d)
    names.push_back(dim(static_cast<int>(d)));
  return layout.with_out_order(names);
}

int LinearLayout::in_index(const std::string &name) const {
  int i = find(ins_, name);
  if (i < 0)
    throw std::invalid_argument("the layout has no input dimension '" + name + "'");
  return i;
}

int LinearLayout::out_index(const std::string &name) const {
  int j = find(outs_, name);
  if (j < 0)
    throw std::invalid_argument("the layout has no output dimension '" + name + "'");
  return j;
}

int64_t LinearLayout::in_size(const std::string &name) const { return int64_t{1} << ins_[in_index(name)].log2_size; }
int64_t LinearLayout::out_size(const std::string &name) const { return int64_t{1} << outs_[out_index(name)].log2_size; }

const LinearLayout::Basis &LinearLayout::basis(const std::string &in, int bit) const {
  const auto &bits = bases_[in_index(in)];
  if (bit < 0 || bit >= static_cast<int>(bits.size()))
    throw std::invalid_argument("input dimension '" + in + "' has no bit " + std::to_string(bit));
  return bits[bit];
}

std::vector<int64_t> LinearLayout::apply(const std::vector<std::pair<std::string, int64_t>> &input) const {
  std::vector<int64_t> out(outs_.size(), 0);
  for (const auto &[name, value] : input) {
    int i = in_index(name);
    if (value < 0 || value >= (int64_t{1} << ins_[i].log2_size))
      throw std::invalid_argument("input " + name + "=" + std::to_string(value) + " is out of range");
    for (int b = 0; b < ins_[i].log2_size; ++b)
      if (value >> b & 1)
        for (size_t j = 0; j < out.size(); ++j)
          out[j] ^= bases_[i][b][j];
  }
  return out;
}

LinearLayout LinearLayout::operator*(const LinearLayout &high) const {
  // Dimensions of one name are concatenated, the others kept side by side.
  auto concatenate = [](std::vector<Dim> low, const std::vector<Dim> &more) {
    for (const Dim &d : more) {
      int i = find(low, d.name);
      if (i < 0)
        low.push_back(d);
      else
        low[i].log2_size += d.log2_size;
    }
    return low;
  };
  std::vector<Dim> ins = concatenate(ins_, high.ins_), outs = concatenate(outs_, high.outs_);
  std::vector<std::vector<Basis>> bases(ins.size());
  for (size_t i = 0; i < ins_.size(); ++i)
    for (const Basis &b : bases_[i]) {
      Basis wide(outs.size(), 0);
      std::copy(b.begin(), b.end(), wide.begin()); // this layout's outputs come first
      bases[i].push_back(wide);
    }
  for (size_t hi = 0; hi < high.ins_.size(); ++hi) {
    int i = find(ins, high.ins_[hi].name);
    for (const Basis &b : high.bases_[hi]) {
      Basis wide(outs.size(), 0);
      for (size_t hj = 0; hj < high.outs_.size(); ++hj) {
        int j = find(outs, high.outs_[hj].name);
        int low = find(outs_, high.outs_[hj].name);
        wide[j] = b[hj] << (low < 0 ? 0 : outs_[low].log2_size);
      }
      bases[i].push_back(wide);
    }
  }
  return LinearLayout(std::move(ins), std::move(outs), std::move(bases));
}

LinearLayout LinearLayout::compose(const LinearLayout &outer) const {
  if (outs_.size() != outer.ins_.size())
    throw std::invalid_argument("compose: " + std::to_string(outs_.size()) + " outputs feed " +
                                std::to_string(outer.ins_.size()) + " inputs");
  for (const Dim &d : outs_) {
    int i = find(outer.ins_, d.name);
    if (i < 0 || outer.ins_[i].log2_size != d.log2_size)
      throw std::invalid_argument("compose: output '" + d.name + "' is not an input of the same size");
  }
  std::vector<std::vector<Basis>> bases(ins_.size());
  for (size_t i = 0; i < ins_.size(); ++i)
    for (const Basis &b : bases_[i]) {
      std::vector<std::pair<std::string, int64_t>> input;
      for (size_t j = 0; j < outs_.size(); ++j)
        input.push_back({outs_[j].name, b[j]});
      bases[i].push_back(outer.apply(input));
    }
  return LinearLayout(ins_, outer.outs_, std::move(bases));
}

uint64_t LinearLayout::flatten(const Basis &b) const {
  uint64_t bits = 0;
  int offset = 0;
  for (size_t j = 0; j < outs_.size(); ++j) {
    bits |= static_cast<uint64_t>(b[j]) << offset;
    offset += outs_[j].log2_size;
  }
  return bits;
}

LinearLayout::Basis LinearLayout::unflatten(uint64_t bits) const {
  Basis b(outs_.size(), 0);
  int offset = 0;
  for (size_t j = 0; j < outs_.size(); ++j) {
    b[j] = static_cast<int64_t>((bits >> offset) & ((uint64_t{1} << outs_[j].log2_size) - 1));
    offset += outs_[j].log2_size;
  }
  return b;
}

int LinearLayout::total_in_bits() const { return total_bits(ins_); }
int LinearLayout::total_out_bits() const { return total_bits(outs_); }

int LinearLayout::rank() const {
  std::vector<uint64_t> rows;
  for (const auto &bits : bases_)
    for (const Basis &b : bits)
      rows.push_back(flatten(b));
  int rank = 0;
  for (int bit = 0; bit < total_out_bits(); ++bit) {
    auto pivot = std::find_if(rows.begin() + rank, rows.end(), [&](uint64_t r) { return r >> bit & 1; });
    if (pivot == rows.end())
      continue;
    std::iter_swap(rows.begin() + rank, pivot);
    for (size_t r = rank + 1; r < rows.size(); ++r)
      if (rows[r] >> bit & 1)
        rows[r] ^= rows[rank];
    ++rank;
  }
  return rank;
}

std::optional<LinearLayout> LinearLayout::invert() const {
  if (!injective() || !surjective())
    return std::nullopt;
  return right_inverse();
}

std::optional<LinearLayout> LinearLayout::right_inverse() const {
  const int m = total_out_bits();
  if (rank() != m)
    return std::nullopt;
  // Gauss-Jordan over GF(2): each row is an input bit's image, tagged with that bit;
  // once the first m images are the unit vectors, their tags are the bases sought (an
  // input bit no pivot needs, a copy, stays 0).
  std::vector<std::pair<uint64_t, uint64_t>> rows; // (image, input bits)
  int tag = 0;
  for (const auto &bits : bases_)
    for (const Basis &b : bits)
      rows.push_back({flatten(b), uint64_t{1} << tag++});
  for (int bit = 0; bit < m; ++bit) {
    auto pivot = std::find_if(rows.begin() + bit, rows.end(), [&](auto &r) { return r.first >> bit & 1; });
    std::iter_swap(rows.begin() + bit, pivot);
    for (size_t r = 0; r < rows.size(); ++r)
      if (r != static_cast<size_t>(bit) && (rows[r].first >> bit & 1)) {
        rows[r].first ^= rows[bit].first;
        rows[r].second ^= rows[bit].second;
      }
  }
  // Row `bit` now maps to output bit `bit`; split its tag into input coordinates.
  std::vector<std::vector<Basis>> bases(outs_.size());
  int bit = 0;
  for (size_t j = 0; j < outs_.size(); ++j)
    for (int k = 0; k < outs_[j].log2_size; ++k, ++bit) {
      Basis coords(ins_.size(), 0);
      int offset = 0;
      for (size_t i = 0; i < ins_.size(); ++i) {
        coords[i] = static_cast<int64_t>((rows[bit].second >> offset) & ((uint64_t{1} << ins_[i].log2_size) - 1));
        offset += ins_[i].log2_size;
      }
      bases[j].push_back(coords);
    }
  return LinearLayout(outs_, ins_, std::move(bases));
}

LinearLayout LinearLayout::with_out_order(const std::vector<std::string> &names) const {
  if (names.size() != outs_.size())
    throw std::invalid_argument("with_out_order: " + std::to_string(names.size()) + " names for " +
                                std::to_string(outs_.size()) + " output dimensions");
  std::vector<Dim> outs;
  std::vector<int> from;
  for (const std::string &n : names) {
    from.push_back(out_index(n));
    outs.push_back(outs_[from.back()]);
  }
  std::vector<std::vector<Basis>> bases(ins_.size());
  for (size_t i = 0; i < ins_.size(); ++i)
    for (const Basis &b : bases_[i]) {
      Basis moved;
      for (int j : from)
        moved.push_back(b[j]);
      bases[i].push_back(moved);
    }
  return LinearLayout(ins_, std::move(outs), std::move(bases));
}

std::string LinearLayout::str() const {
  std::ostringstream os;
  for (size_t i = 0; i < ins_.size(); ++i) {
    os << (i ? " | " : "") << ins_[i].name << ":";
    for (const Basis &b : bases_[i]) {
      os << " (";
      for (size_t j = 0; j < b.size(); ++j)
        os << (j ? "," : "") << b[j];
      os << ")";
    }
  }
  os << " ->";
  for (const Dim &d : outs_)
    os << " " << d.name << " x " << (int64_t{1} << d.log2_size);
  return os.str();
}

LinearLayout slice_layout(const LinearLayout &parent, int dim) {
  const auto &outs = parent.outs();
  if (dim < 0 || dim >= static_cast<int>(outs.size()) || outs[dim].log2_size != 0)
    throw std::invalid_argument("a slice takes out an output dimension of size 1");
  std::vector<LinearLayout::Dim> new_outs;
  for (size_t j = 0, k = 0; j < outs.size(); ++j)
    if (static_cast<int>(j) != dim)
      new_outs.push_back({"dim" + std::to_string(k++), outs[j].log2_size});
  std::vector<LinearLayout::Dim> ins;
  std::vector<std::vector<LinearLayout::Basis>> bases;
  for (const LinearLayout::Dim &in : parent.ins()) {
    std::vector<LinearLayout::Basis> kept;
    for (int bit = 0; bit < in.log2_size; ++bit) {
      LinearLayout::Basis b = parent.basis(in.name, bit);
      b.erase(b.begin() + dim);
      const bool zero = std::all_of(b.begin(), b.end(), [](int64_t c) { return c == 0; });
      if (in.name == "register" && zero) // a register of the parent's that moved along `dim` only
        continue;
      kept.push_back(std::move(b));
    }
    ins.push_back({in.name, static_cast<int>(kept.size())});
    bases.push_back(std::move(kept));
  }
  return LinearLayout(std::move(ins), std::move(new_outs), std::move(bases));
}

LinearLayout reshape_layout(const LinearLayout &layout, const std::vector<int64_t> &shape) {
  const auto &outs = layout.outs();
  int from_bits = 0, to_bits = 0;
  for (const LinearLayout::Dim &d : outs)
    from_bits += d.log2_size;
  std::vector<LinearLayout::Dim> new_outs;
  for (size_t d = 0; d < shape.size(); ++d) {
    new_outs.push_back({"dim" + std::to_string(d), log2_exact(shape[d], "a reshaped tile's extent")});
    to_bits += new_outs.back().log2_size;
  }
  if (from_bits != to_bits)
    throw std::invalid_argument("a reshape keeps the element count: 2^" + std::to_string(from_bits) + " elements into 2^" +
                                std::to_string(to_bits));
  std::vector<std::vector<LinearLayout::Basis>> bases;
  for (const LinearLayout::Dim &in : layout.ins()) {
    std::vector<LinearLayout::Basis> bits;
    for (int bit = 0; bit < in.log2_size; ++bit) {
      const LinearLayout::Basis &b = layout.basis(in.name, bit);
      uint64_t flat = 0; // row-major: the last dimension in the low bits
      for (size_t d = 0; d < outs.size(); ++d)
        flat = (flat << outs[d].log2_size) | static_cast<uint64_t>(b[d]);
      LinearLayout::Basis image(new_outs.size());
      for (size_t d = new_outs.size(); d-- > 0;) {
        image[d] = static_cast<int64_t>(flat & ((uint64_t{1} << new_outs[d].log2_size) - 1));
        flat >>= new_outs[d].log2_size;
      }
      bits.push_back(std::move(image));
    }
    bases.push_back(std::move(bits));
  }
  return LinearLayout(layout.ins(), std::move(new_outs), std::move(bases));
}

LinearLayout permute_layout(const LinearLayout &layout, const std::vector<int> &order) {
  const auto &outs = layout.outs();
  std::vector<int> sorted(order);
  std::sort(sorted.begin(), sorted.end());
  bool permutation = sorted.size() == outs.size();
  for (size_t d = 0; permutation && d < sorted.size(); ++d)
    permutation = sorted[d] == static_cast<int>(d);
  if (!permutation)
    throw std::invalid_argument("a permutation of a layout's " + std::to_string(outs.size()) +
                                  " dimensions names each once");
  std::vector<LinearLayout::Dim> new_outs;
  for (size_t i = 0; i < order.size(); ++i)
    new_outs.push_back({"dim" + std::to_string(i), outs[order[i]].log2_size});
  std::vector<std::vector<LinearLayout::Basis>> bases;
  for (const LinearLayout::Dim &in : layout.ins()) {
    std::vector<LinearLayout::Basis> bits;
    for (int bit = 0; bit < in.log2_size; ++bit) {
      const LinearLayout::Basis &b = layout.basis(in.name, bit);
      LinearLayout::Basis image;
      for (int d : order)
        image.push_back(b[d]);
      bits.push_back(std::move(image));
    }
    bases.push_back(std::move(bits));
  }
  return LinearLayout(layout.ins(), std::move(new_outs), std::move(bases));
}

int64_t extend_run(const LinearLayout &layout, const std::string &in, int dim, int64_t run) {
  for (int bit = 0; (int64_t{1} << bit) < layout.in_size(in); ++bit) {
    const LinearLayout::Basis &basis = layout.basis(in, bit);
    for (size_t d = 0; d < basis.size(); ++d)
      if (basis[d] != (static_cast<int>(d) == dim ? run : 0))
        return run;
    run *= 2;
  }
  return run;
}

int64_t contiguous_registers(const LinearLayout &layout, int dim) {
  int64_t run = extend_run(layout, "register", dim, 1);
  const int bits = log2_exact(run, "a run");
  // Every other input must move along `dim` by whole runs, or a run would straddle two.
  for (const LinearLayout::Dim &in : layout.ins())
    for (int bit = in.name == "register" ? bits : 0; bit < in.log2_size; ++bit)
      while (layout.basis(in.name, bit)[dim] % run != 0)
        run /= 2;
  return run;
}

} // namespace tegula::gpu
