#include "backends/gpu/Layout/SharedMemory.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace tegula::gpu {

namespace {

/// Packed (register, lane, warp) input of `dist`.
uint64_t packed_input(const LinearLayout &dist, int64_t reg, int64_t lane, int64_t warp) {
  uint64_t bits = 0;
  int offset = 0;
  for (const LinearLayout::Dim &d : dist.ins()) {
    int64_t v = d.name == "register" ? reg : d.name == "lane" ? lane : d.name == "warp" ? warp : 0;
    bits |= static_cast<uint64_t>(v) << offset;
    offset += d.log2_size;
  }
  return bits;
}

void require_tile(const LinearLayout &l, const char *what) {
  if (l.outs().size() != 2 || l.outs()[0].name != "dim0" || l.outs()[1].name != "dim1")
    throw std::invalid_argument(std::string(what) + " must map onto (dim0, dim1)");
}

} // namespace

LinearLayout shared_layout(int64_t rows, int64_t cols, const Swizzle &s) {
  int lr = log2_exact(rows, "rows"), lc = log2_exact(cols, "cols");
  int lv = log2_exact(s.vec, "a swizzle's vec"), lpp = log2_exact(s.per_phase, "a swizzle's per_phase");
  int lmp = log2_exact(s.max_phase, "a swizzle's max_phase");
  if (lv + lmp > lc)
    throw std::invalid_argument("a swizzle of " + std::to_string(s.max_phase) + " phases of " +
                                std::to_string(s.vec) + " elements does not fit a row of " + std::to_string(cols));
  std::vector<LinearLayout::Basis> bases;
  for (int b = 0; b < lc; ++b)
    bases.push_back({0, int64_t{1} << b});
  // Row bit k moves the row by 2^k and, where it is a phase bit, XORs the group.
  for (int k = 0; k < lr; ++k) {
    int64_t phase = k >= lpp && k - lpp < lmp ? int64_t{1} << (k - lpp) : 0;
    bases.push_back({int64_t{1} << k, phase << lv});
  }
  return LinearLayout({{"offset", lr + lc}}, {{"dim0", lr}, {"dim1", lc}}, {bases});
}

int64_t row_vector(const LinearLayout &dist, int64_t element_bytes) {
  require_tile(dist, "a distributed layout");
  int64_t most = std::max<int64_t>(1, 16 / element_bytes);
  int64_t vec = 1;
  for (int b = 0; (int64_t{1} << b) < dist.in_size("register"); ++b) {
    if (dist.basis("register", b) != LinearLayout::Basis{0, int64_t{1} << b} || vec * 2 > most)
      break;
    vec *= 2;
  }
  return vec;
}

namespace {

/// `dist`'s packed (dim0, dim1) of each register, lane and warp, at
/// [(warp * registers + register) * lanes + lane]: what every candidate layout of the
/// shared tile is costed on.
struct Footprint {
  int64_t regs, lanes, warps;
  std::vector<uint64_t> coords;
  explicit Footprint(const LinearLayout &dist)
      : regs(dist.in_size("register")), lanes(dist.in_size("lane")), warps(dist.in_size("warp")) {
    coords.resize(static_cast<size_t>(regs * lanes * warps));
    for (int64_t w = 0; w < warps; ++w)
      for (int64_t r = 0; r < regs; ++r)
        for (int64_t lane = 0; lane < lanes; ++lane)
          coords[static_cast<size_t>((w * regs + r) * lanes + lane)] =
              dist.apply_packed(packed_input(dist, r, lane, w));
  }
};

/// The cost of accessing the tile through `f`, or as soon as its wavefronts pass
/// `budget`, what it came to then.
AccessCost cost_of(const Footprint &f, const LinearLayout &shared, int64_t element_bytes, int64_t vec,
                   const SharedMemoryBanks &banks, int64_t budget = INT64_MAX) {
  std::optional<LinearLayout> where = shared.invert(); // (dim0, dim1) -> offset
  if (!where)
    throw std::invalid_argument("the shared layout stores some element twice or not at all");
  if (vec < 1 || f.regs % vec != 0)
    throw std::invalid_argument("vectors of " + std::to_string(vec) + " registers do not divide " +
                                std::to_string(f.regs));
  const int64_t access_bytes = vec * element_bytes;
  const int64_t per_phase =
      std::min(f.lanes, banks.banks * banks.bank_bytes / std::max(access_bytes, banks.bank_bytes));
  AccessCost cost;
  std::vector<int64_t> words;                        // of one phase, each once
  std::vector<int64_t> per_bank(static_cast<size_t>(banks.banks), 0);
  for (int64_t w = 0; w < f.warps; ++w)
    for (int64_t r0 = 0; r0 < f.regs; r0 += vec)
      for (int64_t first = 0; first < f.lanes; first += per_phase) {
        words.clear();
        for (int64_t lane = first; lane < first + per_phase; ++lane) {
          int64_t start = -1;
          for (int64_t i = 0; i < vec; ++i) {
            auto offset = static_cast<int64_t>(
                where->apply_packed(f.coords[static_cast<size_t>((w * f.regs + r0 + i) * f.lanes + lane)]));
            if (i == 0)
              start = offset;
            else if (offset != start + i)
              throw std::invalid_argument("registers " + std::to_string(r0) + ".." + std::to_string(r0 + vec - 1) +
                                          " are not consecutive in shared memory");
          }
          for (int64_t byte = start * element_bytes; byte < (start + vec) * element_bytes; byte += banks.bank_bytes)
            words.push_back(byte / banks.bank_bytes);
        }
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
        int64_t worst = 0;
        for (int64_t word : words)
          worst = std::max(worst, ++per_bank[static_cast<size_t>(word % banks.banks)]);
        for (int64_t word : words)
          per_bank[static_cast<size_t>(word % banks.banks)] = 0;
        cost.wavefronts += worst;
        cost.ideal += std::max<int64_t>(1, (static_cast<int64_t>(words.size()) + banks.banks - 1) / banks.banks);
        if (cost.wavefronts > budget)
          return cost;
      }
  return cost;
}

} // namespace

AccessCost shared_access_cost(const LinearLayout &dist, const LinearLayout &shared, int64_t element_bytes,
                              int64_t vec, const SharedMemoryBanks &banks) {
  require_tile(dist, "a distributed layout");
  require_tile(shared, "a shared layout");
  return cost_of(Footprint(dist), shared, element_bytes, vec, banks);
}

Swizzle choose_swizzle(const LinearLayout &from, const LinearLayout &to, int64_t element_bytes,
                       const SharedMemoryBanks &banks) {
  require_tile(from, "the written layout");
  require_tile(to, "the read layout");
  const int64_t rows = from.out_size("dim0"), cols = from.out_size("dim1");
  if (to.out_size("dim0") != rows || to.out_size("dim1") != cols)
    throw std::invalid_argument("a conversion's two layouts must cover one tile");
  const int64_t write_vec = row_vector(from, element_bytes), read_vec = row_vector(to, element_bytes);
  // Where each thread's elements are does not depend on the candidate: computed once.
  // Nor does the ideal (a swizzle moves words within their rows, so each phase touches
  // as many): the first candidate that reaches it is the preferred one, and a candidate
  // is dropped as soon as it costs more than the best so far.
  const Footprint written(from), read(to);
  Swizzle best;
  int64_t best_cost = -1, ideal = -1;
  for (int64_t max_phase = 1; max_phase <= cols; max_phase *= 2)
    for (int64_t per_phase = 1; per_phase <= (max_phase == 1 ? 1 : rows); per_phase *= 2)
      for (int64_t vec = std::max(write_vec, read_vec); vec * max_phase <= cols; vec *= 2) {
        Swizzle s{vec, per_phase, max_phase};
        LinearLayout stored = shared_layout(rows, cols, s);
        const int64_t budget = best_cost < 0 ? INT64_MAX : best_cost;
        const AccessCost w = cost_of(written, stored, element_bytes, write_vec, banks, budget);
        if (w.wavefronts > budget)
          continue;
        const AccessCost r = cost_of(read, stored, element_bytes, read_vec, banks, budget - w.wavefronts);
        const int64_t cost = w.wavefronts + r.wavefronts;
        if (best_cost < 0 || cost < best_cost) {
          best = s;
          best_cost = cost;
        }
        if (ideal < 0)
          ideal = w.ideal + r.ideal;
        if (best_cost <= ideal)
          return best;
      }
  return best;
}

} // namespace tegula::gpu
