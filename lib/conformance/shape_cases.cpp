// Conformance cases: trans, join/split, reshape, permute, expand_dims and broadcast_to.
// Each moves data, so every element must come out exactly.
#include "harness.h"

namespace tegula::conformance {

using namespace tegula::dsl;

namespace {

struct Block2 {
  int BM, BN;
};

/// out[N,M] = x[M,N]^T, block by block.
template <ScalarDType T> void trans_kernel(Ptr<T> x, Ptr<T> out, Int M, Int N, Block2 cfg) {
  auto rows = program_id(0) * cfg.BM + arange(cfg.BM);
  auto cols = program_id(1) * cfg.BN + arange(cfg.BN);
  auto t = load(x + rows.col() * N + cols.row(), rows.col() < M && cols.row() < N, 0.0);
  auto tt = trans(t); // [BN, BM]
  store(out + cols.col() * M + rows.row(), tt, cols.col() < N && rows.row() < M);
}

/// join(x, y) into pairs, then split and swapped: out[i] = (x[i], y[i]), swapped[i] = (y[i], x[i]).
template <ScalarDType T> void join_split_kernel(Ptr<T> x, Ptr<T> y, Ptr<T> out, Ptr<T> swapped, Int n, Block2 cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto in = offs < n;
  auto pairs = join(load(x + offs, in, 0.0), load(y + offs, in, 0.0)); // [BM, 2]
  auto at = offs.col() * 2 + arange(2).row();
  store(out + at, pairs, in.col());
  auto [first, second] = split(pairs);
  store(swapped + at, join(second, first), in.col());
}

/// A 1-D block reshaped to [BM/8, 8] and stored through 2-D pointers at the same places.
template <ScalarDType T> void reshape_kernel(Ptr<T> x, Ptr<T> out, Int n, Block2 cfg) {
  auto offs = program_id(0) * cfg.BM + arange(cfg.BM);
  auto t = reshape(load(x + offs, offs < n, 0.0), {cfg.BM / 8, 8});
  auto at = program_id(0) * cfg.BM + arange(cfg.BM / 8).col() * 8 + arange(8).row();
  store(out + at, t, at < n);
}

/// A 1-D block viewed as [4, 4, 8], permuted to [8, 4, 4] (order {2, 0, 1}) and stored
/// where each element came from.
template <ScalarDType T> void permute_kernel(Ptr<T> x, Ptr<T> out, Int n, Block2 cfg) {
  auto base = program_id(0) * 128;
  auto offs = base + arange(128);
  auto t = reshape(load(x + offs, offs < n, 0.0), {4, 4, 8});
  auto p = permute(t, {2, 0, 1}); // p[k][i][j] = t[i][j][k]
  auto k = reshape(arange(8), {8, 1, 1}), i = reshape(arange(4), {1, 4, 1}), j = reshape(arange(4), {1, 1, 4});
  auto at = base + i * 32 + j * 8 + k;
  store(out + at, p, at < n);
  (void)cfg;
}

/// A row vector made 2-D by expand_dims and broadcast_to: out[i, j] = v[j].
template <ScalarDType T> void broadcast_kernel(Ptr<T> v, Ptr<T> out, Int M, Int N, Block2 cfg) {
  auto rows = program_id(0) * cfg.BM + arange(cfg.BM);
  auto cols = program_id(1) * cfg.BN + arange(cfg.BN);
  auto w = broadcast_to(expand_dims(load(v + cols, cols < N, 0.0), 0), {cfg.BM, cfg.BN});
  store(out + rows.col() * N + cols.row(), w, rows.col() < M && cols.row() < N);
}

enum class ShapeOp { Trans, JoinSplit, Reshape, Permute, Broadcast };

void run_shape(Run &run, ShapeOp op) {
  with_numeric(run.dtype, [&]<typename T>() {
    const bool two_d = op == ShapeOp::Trans || op == ShapeOp::Broadcast;
    const int64_t M = two_d ? run.shape[0] : 1, N = two_d ? run.shape[1] : run.shape[0];
    const int64_t n = M * N;
    Buffer x = run.input(n, -100, 100);
    std::vector<double> ref(n);
    switch (op) {
    case ShapeOp::Trans: {
      Buffer out = run.output(n);
      auto k = run.compile("trans", &trans_kernel<T>, Block2{16, 32});
      run.launch(*k, Grid(cdiv(M, 16), cdiv(N, 32)), x, out, M, N);
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j)
          ref[j * M + i] = kernels::read_element(x, i * N + j);
      run.expect_exact(out, ref);
      break;
    }
    case ShapeOp::JoinSplit: {
      Buffer y = run.input(n, -100, 100);
      Buffer out = run.output(2 * n), swapped = run.output(2 * n);
      auto k = run.compile("join_split", &join_split_kernel<T>, Block2{64, 0});
      run.launch(*k, Grid(cdiv(n, 64)), x, y, out, swapped, n);
      std::vector<double> pairs(2 * n), swaps(2 * n);
      for (int64_t i = 0; i < n; ++i) {
        pairs[2 * i] = swaps[2 * i + 1] = kernels::read_element(x, i);
        pairs[2 * i + 1] = swaps[2 * i] = kernels::read_element(y, i);
      }
      run.expect_exact(out, pairs);
      run.expect_exact(swapped, swaps);
      break;
    }
    case ShapeOp::Reshape:
    case ShapeOp::Permute: {
      Buffer out = run.output(n);
      auto k = op == ShapeOp::Reshape ? run.compile("reshape", &reshape_kernel<T>, Block2{128, 0})
                                      : run.compile("permute", &permute_kernel<T>, Block2{128, 0});
      run.launch(*k, Grid(cdiv(n, 128)), x, out, n);
      ref = kernels::to_doubles(x);
      ref.resize(n);
      run.expect_exact(out, ref);
      break;
    }
    case ShapeOp::Broadcast: {
      Buffer out = run.output(n);
      auto k = run.compile("broadcast", &broadcast_kernel<T>, Block2{16, 32});
      run.launch(*k, Grid(cdiv(M, 16), cdiv(N, 32)), x, out, M, N);
      for (int64_t i = 0; i < n; ++i)
        ref[i] = kernels::read_element(x, i % N);
      run.expect_exact(out, ref);
      break;
    }
    }
  });
}

const std::vector<DType> kNumeric = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I8, DType::I32, DType::I64};

} // namespace

void add_shape_cases(std::vector<SuiteCase> &cases) {
  const std::vector<std::vector<int64_t>> plane = {{37, 45}, {1, 1}}, flat = {{1000}, {1}};
  cases.push_back({"shape.trans", "shape operations", kNumeric, plane, [](Run &r) { run_shape(r, ShapeOp::Trans); }});
  cases.push_back({"shape.join_split", "join and split", kNumeric, flat, [](Run &r) { run_shape(r, ShapeOp::JoinSplit); }});
  cases.push_back({"shape.reshape", "shape operations", kNumeric, flat, [](Run &r) { run_shape(r, ShapeOp::Reshape); }});
  cases.push_back({"shape.permute", "shape operations", kNumeric, flat, [](Run &r) { run_shape(r, ShapeOp::Permute); }});
  cases.push_back({"shape.expand_dims_broadcast_to", "shape operations", kNumeric, plane,
                   [](Run &r) { run_shape(r, ShapeOp::Broadcast); }});
}

} // namespace tegula::conformance
