// Conformance cases: loads with runtime strides and with a non-constant `other`, masked
// integer loads, gathers, pointer tiles carried through loops, descriptors and atomics.
#include "harness.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

struct Blocks {
  int BM, BN;
};

/// out[i, j] = x[i * sx + j * sy]: a view with strides that arrive at run time (here the
/// transpose of a [N, M] array).
template <NumericDType T> void strided_kernel(Ptr<T> x, Ptr<T> out, Int M, Int N, Int sx, Int sy, Blocks cfg) {
  auto rows = program_id(0) * cfg.BM + arange(cfg.BM);
  auto cols = program_id(1) * cfg.BN + arange(cfg.BN);
  auto in = rows.col() < M && cols.row() < N;
  auto t = load(x + rows.col() * sx + cols.row() * sy, in, 0.0);
  store(out + rows.col() * N + cols.row(), t, in);
}

/// Lanes where i % 3 == 0 read `other` from a second input instead of x.
template <NumericDType T> void other_tile_kernel(Ptr<T> x, Ptr<T> y, Ptr<T> out, Int n, Blocks cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto in = offs < n;
  auto other = load(y + offs, in, 0.0);
  store(out + offs, load(x + offs, in && offs % 3 != 0, other), in);
}

/// Masked loads with a number `other`, for integer dtypes in particular: odd lanes read -7.
template <NumericDType T> void masked_kernel(Ptr<T> x, Ptr<T> out, Int n, Blocks cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto in = offs < n;
  store(out + offs, load(x + offs, in && offs % 2 == 0, -7.0), in);
}

/// out[i] = table[ids[i]] where 0 <= ids[i], else -1.
template <NumericDType T, IntDType I> void gather_kernel(Ptr<T> table, Ptr<I> ids, Ptr<T> out, Int n, Blocks cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto in = offs < n;
  auto id = load(ids + offs, in, -1.0);
  store(out + offs, gather(table, id, in && id >= 0, -1.0), in);
}

/// Column sums of x[K, n] by a pointer tile advanced one row per iteration.
template <NumericDType T> void pointer_loop_kernel(Ptr<T> x, Ptr<T> out, Int n, Int K, Blocks cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto in = offs < n;
  auto p = x + offs;
  auto acc = zeros<T>({cfg.BM});
  for (auto k : range(0, K).carry(p, acc)) {
    (void)k;
    acc = acc + load(p, in, 0.0);
    p = p + n;
  }
  store(out + offs, acc, in);
}

/// A block copy through descriptors, with a scale: out = 2 x on an [M, N] array.
template <NumericDType T> void desc_kernel(Ptr<T> x, Ptr<T> out, Int M, Int N, Blocks cfg) {
  auto xd = make_desc(x, {M, N}, {N, 1}, {cfg.BM, cfg.BN});
  auto od = make_desc(out, {M, N}, {N, 1}, {cfg.BM, cfg.BN});
  Int row = program_id(0) * cfg.BM, col = program_id(1) * cfg.BN;
  store(od, {row, col}, xd.load({row, col}) * 2.0);
}

enum class MemOp { Strided, OtherTile, Masked, Gather32, Gather64, PointerLoop, Desc };

void run_memory(Run &run, MemOp op) {
  with_numeric(run.dtype, [&]<typename T>() {
    const bool fl = dtype_is_float(run.dtype);
    const double lo = fl ? -4 : -100, hi = -lo;
    switch (op) {
    case MemOp::Strided:
    case MemOp::Desc: {
      const int64_t M = run.shape[0], N = run.shape[1];
      Buffer x = run.input(M * N, lo, hi), out = run.output(M * N);
      std::vector<double> ref(M * N), bnd(M * N, 0.0);
      if (op == MemOp::Strided) {
        auto k = run.compile("strided", &strided_kernel<T>, Blocks{16, 32});
        run.launch(*k, Grid(cdiv(M, 16), cdiv(N, 32)), x, out, M, N, int64_t{1}, M);
        for (int64_t i = 0; i < M; ++i)
          for (int64_t j = 0; j < N; ++j)
            ref[i * N + j] = kernels::read_element(x, j * M + i);
      } else {
        auto k = run.compile("desc", &desc_kernel<T>, Blocks{16, 32});
        run.launch(*k, Grid(cdiv(M, 16), cdiv(N, 32)), x, out, M, N);
        for (int64_t i = 0; i < M * N; ++i)
          ref[i] = fl ? 2 * kernels::read_element(x, i) : wrap_int(2 * kernels::read_element(x, i), run.dtype);
      }
      run.expect_exact(out, ref);
      break;
    }
    case MemOp::OtherTile:
    case MemOp::Masked: {
      const int64_t n = run.shape[0];
      Buffer x = run.input(n, lo, hi), y = run.input(n, lo, hi), out = run.output(n);
      std::vector<double> ref(n);
      if (op == MemOp::OtherTile) {
        auto k = run.compile("other_tile", &other_tile_kernel<T>, Blocks{128, 0});
        run.launch(*k, Grid(cdiv(n, 128)), x, y, out, n);
        for (int64_t i = 0; i < n; ++i)
          ref[i] = kernels::read_element(i % 3 ? x : y, i);
      } else {
        auto k = run.compile("masked", &masked_kernel<T>, Blocks{128, 0});
        run.launch(*k, Grid(cdiv(n, 128)), x, out, n);
        for (int64_t i = 0; i < n; ++i)
          ref[i] = i % 2 ? -7 : kernels::read_element(x, i);
      }
      run.expect_exact(out, ref);
      break;
    }
    case MemOp::Gather32:
    case MemOp::Gather64: {
      const int64_t n = run.shape[0], rows = 97;
      const DType id_type = op == MemOp::Gather32 ? DType::I32 : DType::I64;
      Buffer table = run.input(rows, lo, hi), ids = run.input(id_type, n, -10, rows), out = run.output(n);
      auto launch = [&]<typename I>() {
        auto k = run.compile("gather", &gather_kernel<T, I>, Blocks{128, 0});
        run.launch(*k, Grid(cdiv(n, 128)), table, ids, out, n);
      };
      if (id_type == DType::I32)
        launch.template operator()<i32>();
      else
        launch.template operator()<i64>();
      std::vector<double> ref(n);
      for (int64_t i = 0; i < n; ++i) {
        const double id = kernels::read_element(ids, i);
        ref[i] = id >= 0 ? kernels::read_element(table, static_cast<size_t>(id)) : -1;
      }
      run.expect_exact(out, ref);
      break;
    }
    case MemOp::PointerLoop: {
      const int64_t n = run.shape[0], K = 5;
      Buffer x = run.input(K * n, lo, hi), out = run.output(n);
      auto k = run.compile("pointer_loop", &pointer_loop_kernel<T>, Blocks{128, 0});
      run.launch(*k, Grid(cdiv(n, 128)), x, out, n, K);
      std::vector<double> ref(n), bnd(n);
      for (int64_t i = 0; i < n; ++i) {
        double s = 0, mag = 0;
        for (int64_t r = 0; r < K; ++r) {
          s += kernels::read_element(x, r * n + i);
          mag += std::fabs(kernels::read_element(x, r * n + i));
        }
        ref[i] = fl ? s : wrap_int(s, run.dtype);
        bnd[i] = fl ? 2 * K * kernels::unit_roundoff(run.dtype) * mag + rounding_bound(s, run.dtype) : 0;
      }
      run.expect(out, ref, bnd);
      break;
    }
    }
  });
}

// --- atomics ----------------------------------------------------------------------------
enum class AtomicOp { Add, Max, Min, Xchg, Cas };

/// Lane i updates slot i % slots (add, max, min: many lanes per slot) or slot i (xchg,
/// cas: one lane per slot, so the old values are determined).
template <AtomicDType T> void atomic_kernel(Ptr<T> x, Ptr<T> slots, Ptr<T> old, Int n, Int nslots, AtomicOp op) {
  auto offs = program_id(0) * 128 + arange(128);
  auto in = offs < n;
  auto v = load(x + offs, in, 0.0);
  Tile<T> before;
  switch (op) {
  case AtomicOp::Add: before = atomic_add(slots + offs % nslots, v, in); break;
  case AtomicOp::Max: before = atomic_max(slots + offs % nslots, v, in); break;
  case AtomicOp::Min: before = atomic_min(slots + offs % nslots, v, in); break;
  case AtomicOp::Xchg: before = atomic_xchg(slots + offs, v, in); break;
  case AtomicOp::Cas:
    if constexpr (IntDType<T>) {
      // Only slots holding 0 take the value; every lane gets the slot's old value.
      auto safe = where(in, offs, 0);
      before = atomic_cas(slots + safe, zeros<T>({128}), v);
    }
    break;
  }
  if (op == AtomicOp::Xchg || op == AtomicOp::Cas)
    store(old + offs, before, in);
}

void run_atomic(Run &run, AtomicOp op) {
  auto body = [&]<typename T>() {
    const int64_t n = run.shape[0];
    const bool fl = dtype_is_float(run.dtype);
    const bool per_lane = op == AtomicOp::Xchg || op == AtomicOp::Cas;
    const int64_t nslots = per_lane ? std::max<int64_t>(n, 128 * cdiv(n, 128)) : 7;
    Buffer x = run.input(std::max<int64_t>(n, 1), fl ? -4 : -100, fl ? 4 : 100);
    Buffer slots = run.input(nslots, op == AtomicOp::Cas ? 0 : -2, 2);
    Buffer old = run.output(n);
    std::vector<double> start = kernels::to_doubles(slots);
    auto k = run.compile("atomic", &atomic_kernel<T>, op);
    run.launch(*k, Grid(cdiv(n, 128)), x, slots, old, n, nslots);
    std::vector<double> ref = start, bnd(nslots, 0.0), mag(nslots, 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const double v = kernels::read_element(x, i);
      double &s = ref[per_lane ? i : i % nslots];
      switch (op) {
      case AtomicOp::Add: s += v; mag[i % nslots] += std::fabs(v); break;
      case AtomicOp::Max: s = std::max(s, v); break;
      case AtomicOp::Min: s = std::min(s, v); break;
      case AtomicOp::Xchg: s = v; break;
      case AtomicOp::Cas: s = s == 0 ? v : s; break;
      }
    }
    if (fl && op == AtomicOp::Add)
      for (int64_t s = 0; s < nslots; ++s)
        bnd[s] = 2 * (n / nslots + 2) * kernels::unit_roundoff(run.dtype) * (mag[s] + std::fabs(start[s])) +
                 rounding_bound(ref[s], run.dtype);
    std::vector<double> in_use(ref.begin(), ref.begin() + (per_lane ? n : nslots));
    bnd.resize(in_use.size());
    run.expect(slots, in_use, bnd);
    if (per_lane)
      run.expect_exact(old, std::vector<double>(start.begin(), start.begin() + n));
  };
  switch (run.dtype) {
  case DType::F32: body.template operator()<f32>(); break;
  case DType::F64: body.template operator()<f64>(); break;
  case DType::I32: body.template operator()<i32>(); break;
  case DType::I64: body.template operator()<i64>(); break;
  default: throw Error(ErrorCode::InvalidArgument, "atomics take f32, f64, i32 and i64");
  }
}

const std::vector<DType> kNumeric = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I8, DType::I32, DType::I64};

} // namespace

void add_memory_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> plane = {{37, 45}, {1, 1}}, flat = {{1000}, {1}};
  const std::tuple<MemOp, const char *, const char *, bool> ops[] = {
      {MemOp::Strided, "load.runtime_strides", "loads and stores", true},
      {MemOp::OtherTile, "load.other_tile", "loads and stores", false},
      {MemOp::Masked, "load.masked_other_number", "loads and stores", false},
      {MemOp::Gather32, "gather.i32_indices", "gather", false},
      {MemOp::Gather64, "gather.i64_indices", "gather", false},
      {MemOp::PointerLoop, "load.pointer_tile_carried", "pointer tiles in loops", false},
      {MemOp::Desc, "desc.load_store", "descriptors", true},
  };
  for (auto [op, name, construct, two_d] : ops)
    cases.push_back({name, construct, kNumeric, two_d ? plane : flat, [op](Run &r) { run_memory(r, op); }});
  const std::vector<DType> atomic_types = {DType::F32, DType::F64, DType::I32, DType::I64};
  const std::pair<AtomicOp, const char *> atomics[] = {{AtomicOp::Add, "atomic.add"}, {AtomicOp::Max, "atomic.max"},
                                                       {AtomicOp::Min, "atomic.min"}, {AtomicOp::Xchg, "atomic.xchg"},
                                                       {AtomicOp::Cas, "atomic.cas"}};
  for (auto [op, name] : atomics)
    cases.push_back({name, "atomics",
                     op == AtomicOp::Cas ? std::vector<DType>{DType::I32, DType::I64} : atomic_types, flat,
                     [op](Run &r) { run_atomic(r, op); }});
}

} // namespace tegula::conformance
