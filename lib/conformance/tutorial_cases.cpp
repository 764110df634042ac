// Conformance cases: the idioms of the Triton tutorials, written as a kernel author
// writes them from docs/language.md: a matmul whose K loop advances pointer tiles, with
// and without grouped program ordering; a fused row softmax; LayerNorm forward and
// backward with weight gradients; a dropout; a cross-entropy with an ignore index.
#include "harness.h"

#include "tegula/kernels/norms.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

struct MatmulCfg {
  int BM, BN, BK;
  int group_m; ///< 0: a 2-D grid; else a 1-D grid in groups of group_m block rows
};

template <DotInputDType T> void matmul_kernel(Ptr<T> a, Ptr<T> b, Ptr<f32> c, Int M, Int N, Int K, MatmulCfg cfg) {
  Int pid_m = program_id(0), pid_n = program_id(1);
  if (cfg.group_m > 0) {
    // Consecutive programs walk down group_m block rows before moving right, so the
    // B columns they share stay in cache.
    Int pid = program_id(0);
    Int blocks_m = cdiv(M, cfg.BM), blocks_n = cdiv(N, cfg.BN);
    Int in_group = cfg.group_m * blocks_n;
    Int group = pid / in_group;
    Int first_m = group * cfg.group_m;
    Int size_m = minimum(blocks_m - first_m, cfg.group_m);
    pid_m = first_m + (pid % in_group) % size_m;
    pid_n = (pid % in_group) / size_m;
  }
  auto rm = pid_m * cfg.BM + arange(cfg.BM);
  auto rn = pid_n * cfg.BN + arange(cfg.BN);
  auto rk = arange(cfg.BK);
  auto a_ptrs = a + rm.col() * K + rk.row();
  auto b_ptrs = b + rk.col() * N + rn.row();
  auto acc = zeros<f32>({cfg.BM, cfg.BN});
  for (auto k : range(0, K, cfg.BK).carry(acc, a_ptrs, b_ptrs)) {
    auto x = load(a_ptrs, rm.col() < M && (k + rk).row() < K, 0.0);
    auto y = load(b_ptrs, (k + rk).col() < K && rn.row() < N, 0.0);
    acc = dot(x, y, acc);
    a_ptrs = a_ptrs + cfg.BK;
    b_ptrs = b_ptrs + cfg.BK * N;
  }
  store(c + rm.col() * N + rn.row(), acc, rm.col() < M && rn.row() < N);
}

void run_matmul(Run &run, bool grouped) {
  with_float(run.dtype, [&]<typename T>() {
    if constexpr (DotInputDType<T>) {
      const int64_t M = run.shape[0], N = run.shape[1], K = run.shape[2];
      const MatmulCfg cfg{16, 16, 16, grouped ? 3 : 0};
      Buffer a = run.input(M * K), b = run.input(K * N), c = run.output(DType::F32, M * N);
      auto k = run.compile("matmul", &matmul_kernel<T>, cfg);
      const int64_t bm = cdiv(M, cfg.BM), bn = cdiv(N, cfg.BN);
      run.launch(*k, grouped ? Grid(bm * bn) : Grid(bm, bn), a, b, c, M, N, K);
      std::vector<double> mag, ref = kernels::reference_gemm(a, b, M, N, K, &mag);
      run.expect(c, ref, kernels::gemm_bound(mag, K));
    }
  });
}

struct RowCfg {
  int BN;
};

/// One row per program, the whole row in one block; padding reads -inf.
template <FloatDType T> void softmax_kernel(Ptr<T> x, Ptr<T> y, Int N, RowCfg cfg) {
  auto cols = arange(cfg.BN);
  auto row = program_id(0) * N;
  auto v = cast<f32>(load(x + row + cols, cols < N, -std::numeric_limits<double>::infinity()));
  auto e = exp(v - max(v, 0));
  store(y + row + cols, cast<T>(e / sum(e, 0)), cols < N);
}

void run_softmax(Run &run) {
  with_float(run.dtype, [&]<typename T>() {
    const int64_t M = run.shape[0], N = run.shape[1];
    Buffer x = run.input(M * N, -4, 4), y = run.output(M * N);
    auto k = run.compile("fused_softmax", &softmax_kernel<T>, RowCfg{static_cast<int>(next_pow2(N))});
    run.launch(*k, Grid(M), x, y, N);
    std::vector<double> ref = kernels::reference_softmax(x, M, N);
    run.expect(y, ref, kernels::softmax_bound(ref, N, run.dtype));
  });
}

struct NormCfg {
  int BN;
  double eps;
};

/// y = (x - mean) * rstd * w + b per row; mean and rstd are kept for the backward pass.
template <FloatDType T>
void layernorm_fwd_kernel(Ptr<T> x, Ptr<T> w, Ptr<T> b, Ptr<T> y, Ptr<f32> mean_out, Ptr<f32> rstd_out, Int N,
                          NormCfg cfg) {
  auto cols = arange(cfg.BN);
  auto in = cols < N;
  auto row = program_id(0);
  auto v = cast<f32>(load(x + row * N + cols, in, 0.0));
  auto mean = sum(v, 0) / cast<f32>(N);
  auto centred = where(in, v - mean, 0.0);
  auto rstd = rsqrt(sum(centred * centred, 0) / cast<f32>(N) + cfg.eps);
  auto out = centred * rstd * cast<f32>(load(w + cols, in, 0.0)) + cast<f32>(load(b + cols, in, 0.0));
  store(y + row * N + cols, cast<T>(out), in);
  store(mean_out + row, mean);
  store(rstd_out + row, rstd);
}

/// dx = rstd (w dy - (xhat c1 + c2)) with c1 = mean(xhat w dy), c2 = mean(w dy); the
/// weight gradients dw = sum_rows dy xhat and db = sum_rows dy gather by atomics.
template <FloatDType T>
void layernorm_bwd_kernel(Ptr<T> x, Ptr<T> dy, Ptr<T> w, Ptr<f32> mean_in, Ptr<f32> rstd_in, Ptr<T> dx, Ptr<f32> dw,
                          Ptr<f32> db, Int N, NormCfg cfg) {
  auto cols = arange(cfg.BN);
  auto in = cols < N;
  auto row = program_id(0);
  auto v = cast<f32>(load(x + row * N + cols, in, 0.0));
  auto g = cast<f32>(load(dy + row * N + cols, in, 0.0));
  auto wt = cast<f32>(load(w + cols, in, 0.0));
  auto mean = load(mean_in + row), rstd = load(rstd_in + row);
  auto xhat = where(in, (v - mean) * rstd, 0.0);
  auto wdy = wt * g;
  auto c1 = sum(xhat * wdy, 0) / cast<f32>(N);
  auto c2 = sum(wdy, 0) / cast<f32>(N);
  store(dx + row * N + cols, cast<T>((wdy - (xhat * c1 + c2)) * rstd), in);
  atomic_add(dw + cols, g * xhat, in);
  atomic_add(db + cols, g, in);
}

void run_layernorm(Run &run, bool backward) {
  with_float(run.dtype, [&]<typename T>() {
    if constexpr (!std::is_same_v<T, f64>) {
      const int64_t M = run.shape[0], N = run.shape[1];
      const NormCfg cfg{static_cast<int>(next_pow2(N)), 1e-5};
      Buffer x = run.input(M * N, -2, 3), w = run.input(N, 0.5, 1.5), b = run.input(N);
      Buffer y = run.output(M * N), mean = run.output(DType::F32, M), rstd = run.output(DType::F32, M);
      auto fwd = run.compile("layernorm_fwd", &layernorm_fwd_kernel<T>, cfg);
      run.launch(*fwd, Grid(M), x, w, b, y, mean, rstd, N);
      // fp64 statistics of the inputs as stored.
      std::vector<double> mu(M), rs(M), xhat(M * N);
      for (int64_t i = 0; i < M; ++i) {
        double s = 0, q = 0;
        for (int64_t j = 0; j < N; ++j)
          s += kernels::read_element(x, i * N + j);
        mu[i] = s / N;
        for (int64_t j = 0; j < N; ++j)
          q += std::pow(kernels::read_element(x, i * N + j) - mu[i], 2);
        rs[i] = 1 / std::sqrt(q / N + cfg.eps);
        for (int64_t j = 0; j < N; ++j)
          xhat[i * N + j] = (kernels::read_element(x, i * N + j) - mu[i]) * rs[i];
      }
      const double u = kernels::unit_roundoff(DType::F32), slack = 2.0 * (N + 8) * u;
      if (!backward) {
        std::vector<double> ref = kernels::reference_layer_norm(x, w, b, M, N, cfg.eps);
        run.expect(y, ref, kernels::layer_norm_bound(x, w, b, ref, M, N, cfg.eps, run.dtype));
        std::vector<double> bm(M), br(M);
        for (int64_t i = 0; i < M; ++i) {
          double mag = 0;
          for (int64_t j = 0; j < N; ++j)
            mag += std::fabs(kernels::read_element(x, i * N + j));
          bm[i] = slack * mag / N + rounding_bound(mu[i], DType::F32);
          br[i] = slack * rs[i] * (1 + std::fabs(mu[i]) * rs[i]) * 4;
        }
        run.expect(mean, mu, bm);
        run.expect(rstd, rs, br);
        return;
      }
      // The backward pass takes the forward statistics the kernel produced.
      Buffer dy = run.input(M * N), dx = run.output(M * N);
      Buffer dw(DType::F32, N), db(DType::F32, N);
      dw.fill_bytes(0);
      db.fill_bytes(0);
      auto bwd = run.compile("layernorm_bwd", &layernorm_bwd_kernel<T>, cfg);
      run.launch(*bwd, Grid(M), x, dy, w, mean, rstd, dx, dw, db, N);
      std::vector<double> rdx(M * N), bdx(M * N), rdw(N, 0.0), rdb(N, 0.0), bdw(N, 0.0), bdb(N, 0.0);
      for (int64_t i = 0; i < M; ++i) {
        double c1 = 0, c2 = 0, mag = 0;
        for (int64_t j = 0; j < N; ++j) {
          const double wdy = kernels::read_element(w, j) * kernels::read_element(dy, i * N + j);
          c1 += xhat[i * N + j] * wdy;
          c2 += wdy;
          mag += std::fabs(wdy) * (1 + std::fabs(xhat[i * N + j]));
        }
        c1 /= N, c2 /= N;
        for (int64_t j = 0; j < N; ++j) {
          const int64_t e = i * N + j;
          const double wdy = kernels::read_element(w, j) * kernels::read_element(dy, e);
          const double g = kernels::read_element(dy, e);
          rdx[e] = (wdy - (xhat[e] * c1 + c2)) * rs[i];
          // The statistics' error moves xhat by (N + 8) u (1 + |xhat|); c1 and c2 carry
          // their sums' error.
          bdx[e] = 4 * slack * rs[i] * (std::fabs(wdy) + (1 + std::fabs(xhat[e])) * (mag / N + std::fabs(c1))) +
                   rounding_bound(rdx[e], run.dtype);
          rdw[j] += g * xhat[e];
          rdb[j] += g;
          bdw[j] += std::fabs(g) * (1 + std::fabs(xhat[e]));
          bdb[j] += std::fabs(g);
        }
      }
      for (int64_t j = 0; j < N; ++j) {
        bdw[j] = 4 * (slack + (M + 2) * u) * bdw[j] + kernels::half_subnormal_spacing(DType::F32);
        bdb[j] = 2 * (M + 2) * u * bdb[j] + kernels::half_subnormal_spacing(DType::F32);
      }
      run.expect(dx, rdx, bdx);
      run.expect(dw, rdw, bdw);
      run.expect(db, rdb, bdb);
    }
  });
}

struct DropoutCfg {
  int block;
  double p;
};

/// Triton's seeded dropout: keeps x / (1 - p) where the lane's Philox draw exceeds p, so
/// the mask is recomputed from (seed, offset) rather than stored.
template <FloatDType T> void dropout_kernel(Ptr<T> x, Ptr<T> out, Int n, Int seed, DropoutCfg cfg) {
  auto offs = program_id(0) * cfg.block + arange(cfg.block);
  auto in = offs < n;
  auto keep = rand(seed, offs) > cfg.p;
  store(out + offs, where(keep, load(x + offs, in, 0.0) / (1.0 - cfg.p), 0.0), in);
}

void run_dropout(Run &run) {
  with_float(run.dtype, [&]<typename T>() {
    const int64_t n = run.shape[0], seed = 20261206;
    const DropoutCfg cfg{128, 0.25};
    Buffer x = run.input(n, -4, 4), out = run.output(n);
    auto k = run.compile("dropout", &dropout_kernel<T>, cfg);
    run.launch(*k, Grid(cdiv(n, cfg.block)), x, out, n, seed);
    std::vector<double> ref(n), bnd(n);
    for (int64_t i = 0; i < n; ++i) {
      uint32_t w[4];
      kernels::philox4x32(static_cast<uint64_t>(seed), static_cast<uint64_t>(i), w);
      const double r = std::ldexp(static_cast<double>(w[0] >> 8), -24);
      ref[i] = r > cfg.p ? kernels::read_element(x, i) / (1 - cfg.p) : 0;
      // 1/(1 - p) is rounded to the dtype, then the division rounds.
      bnd[i] = 3 * rounding_bound(ref[i], run.dtype);
    }
    run.expect(out, ref, bnd);
  });
}

struct CrossEntropyCfg {
  int BN;
  int ignore_index;
};

/// loss[i] = logsumexp(logits[i]) - logits[i, label[i]], or 0 where label[i] is the
/// ignore index; the count of rows that count is gathered with an atomic.
template <FloatDType T>
void cross_entropy_kernel(Ptr<T> logits, Ptr<i32> labels, Ptr<f32> loss, Ptr<i32> counted, Int V, CrossEntropyCfg cfg) {
  auto cols = arange(cfg.BN);
  auto row = program_id(0);
  auto v = cast<f32>(load(logits + row * V + cols, cols < V, -std::numeric_limits<double>::infinity()));
  Int label = load(labels + row);
  auto m = max(v, 0);
  auto lse = log(sum(exp(v - m), 0)) + m;
  auto picked = sum(where(cols == label, v, 0.0), 0);
  auto keep = label != cfg.ignore_index;
  store(loss + row, where(keep, lse - picked, 0.0));
  atomic_add(counted, cast<i32>(keep));
}

void run_cross_entropy(Run &run) {
  with_float(run.dtype, [&]<typename T>() {
    const int64_t M = run.shape[0], V = run.shape[1];
    const CrossEntropyCfg cfg{static_cast<int>(next_pow2(V)), -100};
    Buffer logits = run.input(M * V, -3, 3), labels = run.input(DType::I32, M, 0, static_cast<double>(V));
    for (int64_t i = 0; i < M; i += 3)
      kernels::write_element(labels, i, cfg.ignore_index);
    run.rehash(labels);
    Buffer loss = run.output(DType::F32, M), counted(DType::I32, 1);
    counted.fill_bytes(0);
    auto k = run.compile("cross_entropy", &cross_entropy_kernel<T>, cfg);
    run.launch(*k, Grid(M), logits, labels, loss, counted, V);
    std::vector<double> ref(M), bnd(M);
    double kept = 0;
    for (int64_t i = 0; i < M; ++i) {
      const int64_t label = static_cast<int64_t>(kernels::read_element(labels, i));
      if (label == cfg.ignore_index) {
        ref[i] = 0, bnd[i] = 0;
        continue;
      }
      double m = -INFINITY, s = 0;
      for (int64_t j = 0; j < V; ++j)
        m = std::max(m, kernels::read_element(logits, i * V + j));
      for (int64_t j = 0; j < V; ++j)
        s += std::exp(kernels::read_element(logits, i * V + j) - m);
      ref[i] = std::log(s) + m - kernels::read_element(logits, i * V + label);
      bnd[i] = 2 * (V + 8) * kernels::unit_roundoff(DType::F32) * (std::fabs(m) + std::log(s) + 3 + 1);
      kept += 1;
    }
    run.expect(loss, ref, bnd);
    run.expect_exact(counted, {kept});
  });
}

const std::vector<DType> kDotFloats = {DType::F32, DType::F16, DType::BF16};

} // namespace

void add_tutorial_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> gemm = {{70, 45, 50}, {1, 1, 1}}, rows = {{9, 1000}, {1, 1}};
  cases.push_back({"tutorial.matmul_k_loop_pointers", "tutorials", kDotFloats, gemm,
                   [](Run &r) { run_matmul(r, false); }});
  cases.push_back({"tutorial.matmul_grouped_ordering", "tutorials", kDotFloats, gemm,
                   [](Run &r) { run_matmul(r, true); }});
  cases.push_back({"tutorial.fused_softmax", "tutorials", kDotFloats, rows, run_softmax});
  cases.push_back({"tutorial.layernorm_forward", "tutorials", kDotFloats, rows,
                   [](Run &r) { run_layernorm(r, false); }});
  cases.push_back({"tutorial.layernorm_backward", "tutorials", kDotFloats, rows,
                   [](Run &r) { run_layernorm(r, true); }});
  cases.push_back({"tutorial.dropout", "tutorials", kDotFloats, {{1000}, {1}}, run_dropout});
  cases.push_back({"tutorial.cross_entropy_ignore_index", "tutorials", kDotFloats, rows, run_cross_entropy});
}

} // namespace tegula::conformance
