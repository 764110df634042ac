// Row softmax with an online pass for the statistics: the row maximum m and the sum l
// of exp(x - m) are carried across column blocks (the attention inner loop's shape),
// so any N works with a fixed block.
#include "checks.h"

#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <limits>

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {
template <FloatDType T> void softmax_kernel(Ptr<T> x, Ptr<T> y, Int M, Int N, SoftmaxConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  if (cfg.n_multiple > 1) { // rows and buffers aligned: 16-byte vectors on the GPU targets
    assume_multiple_of(N, cfg.n_multiple);
    assume_multiple_of(x, 16);
    assume_multiple_of(y, 16);
  }
  const double neg_inf = -std::numeric_limits<double>::infinity();
  auto rows = program_id(0) * cfg.rows + arange(cfg.rows);
  auto cols = arange(cfg.block);
  auto row_ok = rows.col() < M;
  auto row_start = rows.col() * N;
  Int last = cfg.mutation == Mutation::MaskOffByOne ? N - 1 : N;

  auto m_i = full<f32>({cfg.rows}, neg_inf);
  auto l_i = zeros<f32>({cfg.rows});
  for (auto n : range(0, N, cfg.block).carry(m_i, l_i)) {
    auto c = n + cols;
    auto mask = row_ok && c.row() < last;
    auto t = cast<f32>(load(x + row_start + c.row(), mask, neg_inf));
    auto m_new = maximum(m_i, max(t, 1));
    l_i = l_i * exp(m_i - m_new) + sum(exp(t - m_new.col()), 1);
    m_i = m_new;
  }
  for (auto n : range(0, N, cfg.block)) {
    auto c = n + cols;
    auto mask = row_ok && c.row() < last;
    auto t = cast<f32>(load(x + row_start + c.row(), mask, neg_inf));
    store(y + row_start + c.row(), cast<T>(exp(t - m_i.col()) / l_i.col()), mask);
  }
}
} // namespace

SoftmaxConfig default_softmax_config(const std::string &target, int64_t N) {
  // One block spans the row when it is short (one pass over memory per phase); long
  // rows use 1024-column blocks: 4 rows x 4 KiB stays inside a 32 KiB L1.
  SoftmaxConfig config;
  int64_t block = 16;
  while (block < N && block < 1024)
    block *= 2;
  config.block = static_cast<int>(block);
  config.rows = 4;
  // Rows of a multiple of 16 elements start 16-byte aligned for every dtype: compiled
  // in, the loads and stores become vectors on the GPU targets.
  config.n_multiple = 1;
  while (N > 0 && config.n_multiple < 16 && N % (2 * config.n_multiple) == 0)
    config.n_multiple *= 2;
  config.num_warps = detail::default_num_warps(target, int64_t{config.rows} * config.block);
  return config;
}

dsl::TracedKernel trace_softmax(DType dtype, const SoftmaxConfig &config) {
  detail::require_block("softmax", "rows", config.rows);
  detail::require_block("softmax", "block", config.block);
  detail::require_block("softmax", "n_multiple", config.n_multiple);
  std::vector<std::string> names{"x", "y", "M", "N"};
  switch (dtype) {
  case DType::F32: return dsl::trace("softmax_f32", &softmax_kernel<f32>, names, config);
  case DType::F16: return dsl::trace("softmax_f16", &softmax_kernel<f16>, names, config);
  case DType::BF16: return dsl::trace("softmax_bf16", &softmax_kernel<bf16>, names, config);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, "softmax has no " + std::string(dtype_name(dtype)) + " variant");
}

Softmax::Softmax(DType dtype, const std::string &target, CompileOptions options, SoftmaxConfig config)
    : dtype_(dtype), config_(config), kernel_(compile_traced(trace_softmax(dtype, config), target, options)) {}

void Softmax::operator()(const Buffer &x, Buffer &y, int64_t M, int64_t N, const LaunchOptions &launch) const {
  detail::require_not_negative("softmax", "M", M);
  detail::require_not_negative("softmax", "N", N);
  const int64_t count = detail::element_count("softmax", {M, N});
  require_buffer(x, dtype_, count, "softmax", "x");
  require_buffer(y, dtype_, count, "softmax", "y");
  if (count == 0)
    return; // an empty output: nothing to do
  std::vector<Arg> args{x, y, M, N};
  kernel_->launch(Grid(dsl::cdiv(M, config_.rows)), std::span<const Arg>(args), launch);
}

} // namespace tegula::kernels
