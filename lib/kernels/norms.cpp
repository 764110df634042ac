// RMSNorm and LayerNorm, one source each: a program instance owns `rows` rows and walks
// them in `block`-column steps, once per statistic and once more to write. Rows and
// columns past the matrix are masked.
#include "tegula/kernels/norms.h"

#include "checks.h"
#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <cmath>

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {

template <FloatDType T> void rms_norm_kernel(Ptr<T> x, Ptr<T> w, Ptr<T> y, Int M, Int N, NormConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  if (cfg.n_multiple > 1) { // rows and buffers aligned: 16-byte vectors on the GPU targets
    assume_multiple_of(N, cfg.n_multiple);
    for (const Ptr<T> *p : {&x, &w, &y})
      assume_multiple_of(*p, 16);
  }
  auto rows = program_id(0) * cfg.rows + arange(cfg.rows);
  auto cols = arange(cfg.block);
  auto row_ok = rows.col() < M;
  auto row_start = rows.col() * N;
  auto sumsq = zeros<f32>({cfg.rows});
  for (auto n : range(0, N, cfg.block).carry(sumsq)) {
    auto c = n + cols;
    auto t = cast<f32>(load(x + row_start + c.row(), row_ok && c.row() < N, 0.0));
    sumsq = sumsq + sum(t * t, 1);
  }
  auto rstd = rsqrt(sumsq / cast<f32>(N) + cfg.eps);
  for (auto n : range(0, N, cfg.block)) {
    auto c = n + cols;
    auto mask = row_ok && c.row() < N;
    auto t = cast<f32>(load(x + row_start + c.row(), mask, 0.0));
    auto scale = cast<f32>(load(w + c, c < N, 0.0));
    store(y + row_start + c.row(), cast<T>(t * rstd.col() * scale.row()), mask);
  }
}

template <FloatDType T>
void layer_norm_kernel(Ptr<T> x, Ptr<T> w, Ptr<T> b, Ptr<T> y, Int M, Int N, NormConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  if (cfg.n_multiple > 1) {
    assume_multiple_of(N, cfg.n_multiple);
    for (const Ptr<T> *p : {&x, &w, &b, &y})
      assume_multiple_of(*p, 16);
  }
  auto rows = program_id(0) * cfg.rows + arange(cfg.rows);
  auto cols = arange(cfg.block);
  auto row_ok = rows.col() < M;
  auto row_start = rows.col() * N;
  auto total = zeros<f32>({cfg.rows});
  for (auto n : range(0, N, cfg.block).carry(total)) {
    auto c = n + cols;
    total = total + sum(cast<f32>(load(x + row_start + c.row(), row_ok && c.row() < N, 0.0)), 1);
  }
  auto count = cast<f32>(N);
  auto mean = total / count;
  // The variance from the centred values (a second pass), not E[x^2] - mean^2, which
  // cancels catastrophically when |mean| >> std.
  auto sq = zeros<f32>({cfg.rows});
  for (auto n : range(0, N, cfg.block).carry(sq)) {
    auto c = n + cols;
    auto mask = row_ok && c.row() < N;
    auto centred = where(mask, cast<f32>(load(x + row_start + c.row(), mask, 0.0)) - mean.col(), 0.0);
    sq = sq + sum(centred * centred, 1);
  }
  auto rstd = rsqrt(sq / count + cfg.eps);
  for (auto n : range(0, N, cfg.block)) {
    auto c = n + cols;
    auto mask = row_ok && c.row() < N;
    auto t = cast<f32>(load(x + row_start + c.row(), mask, 0.0));
    auto scale = cast<f32>(load(w + c, c < N, 0.0));
    auto shift = cast<f32>(load(b + c, c < N, 0.0));
    store(y + row_start + c.row(), cast<T>((t - mean.col()) * rstd.col() * scale.row() + shift.row()), mask);
  }
}

[[noreturn]] void no_variant(const char *kernel, DType dtype) {
  throw Error(ErrorCode::Unsupported, std::string(kernel) + " has no " + std::string(dtype_name(dtype)) + " variant");
}

/// Checks the sizes and gives the element count of x and y (0: a no-op).
int64_t require_shape(const char *kernel, int64_t M, int64_t N) {
  detail::require_not_negative(kernel, "M", M);
  detail::require_not_negative(kernel, "N", N);
  return detail::element_count(kernel, {M, N});
}

void require_config(const char *kernel, const NormConfig &config) {
  detail::require_block(kernel, "rows", config.rows);
  detail::require_block(kernel, "block", config.block);
  detail::require_block(kernel, "n_multiple", config.n_multiple);
  if (!(config.eps >= 0) || !std::isfinite(config.eps))
    throw Error(ErrorCode::InvalidArgument,
                std::string(kernel) + ": configuration field eps must be finite and not negative, got " +
                    std::to_string(config.eps));
}

} // namespace

NormConfig default_norm_config(const std::string &target, int64_t N, double eps) {
  NormConfig config;
  SoftmaxConfig rows = default_softmax_config(target, N); // the same row-walking rule
  config.rows = rows.rows;
  config.block = rows.block;
  config.n_multiple = rows.n_multiple;
  config.num_warps = rows.num_warps;
  config.eps = eps;
  return config;
}

dsl::TracedKernel trace_rms_norm(DType dtype, const NormConfig &config) {
  require_config("rms_norm", config);
  std::vector<std::string> names{"x", "w", "y", "M", "N"};
  switch (dtype) {
  case DType::F32: return dsl::trace("rms_norm_f32", &rms_norm_kernel<f32>, names, config);
  case DType::F16: return dsl::trace("rms_norm_f16", &rms_norm_kernel<f16>, names, config);
  case DType::BF16: return dsl::trace("rms_norm_bf16", &rms_norm_kernel<bf16>, names, config);
  default: no_variant("rms_norm", dtype);
  }
}

dsl::TracedKernel trace_layer_norm(DType dtype, const NormConfig &config) {
  require_config("layer_norm", config);
  std::vector<std::string> names{"x", "w", "b", "y", "M", "N"};
  switch (dtype) {
  case DType::F32: return dsl::trace("layer_norm_f32", &layer_norm_kernel<f32>, names, config);
  case DType::F16: return dsl::trace("layer_norm_f16", &layer_norm_kernel<f16>, names, config);
  case DType::BF16: return dsl::trace("layer_norm_bf16", &layer_norm_kernel<bf16>, names, config);
  default: no_variant("layer_norm", dtype);
  }
}

RmsNorm::RmsNorm(DType dtype, const std::string &target, CompileOptions options, NormConfig config)
    : dtype_(dtype), config_(config), kernel_(compile_traced(trace_rms_norm(dtype, config), target, options)) {}

void RmsNorm::operator()(const Buffer &x, const Buffer &w, Buffer &y, int64_t M, int64_t N,
                         const LaunchOptions &launch) const {
  const int64_t count = require_shape("rms_norm", M, N);
  require_buffer(x, dtype_, count, "rms_norm", "x");
  require_buffer(w, dtype_, count == 0 ? 0 : N, "rms_norm", "w");
  require_buffer(y, dtype_, count, "rms_norm", "y");
  if (count == 0)
    return; // an empty output: nothing to do
  std::vector<Arg> args{x, w, y, M, N};
  kernel_->launch(Grid(dsl::cdiv(M, config_.rows)), std::span<const Arg>(args), launch);
}

LayerNorm::LayerNorm(DType dtype, const std::string &target, CompileOptions options, NormConfig config)
    : dtype_(dtype), config_(config), kernel_(compile_traced(trace_layer_norm(dtype, config), target, options)) {}

void LayerNorm::operator()(const Buffer &x, const Buffer &w, const Buffer &b, Buffer &y, int64_t M, int64_t N,
                           const LaunchOptions &launch) const {
  const int64_t count = require_shape("layer_norm", M, N);
  require_buffer(x, dtype_, count, "layer_norm", "x");
  require_buffer(w, dtype_, count == 0 ? 0 : N, "layer_norm", "w");
  require_buffer(b, dtype_, count == 0 ? 0 : N, "layer_norm", "b");
  require_buffer(y, dtype_, count, "layer_norm", "y");
  if (count == 0)
    return; // an empty output: nothing to do
  std::vector<Arg> args{x, w, b, y, M, N};
  kernel_->launch(Grid(dsl::cdiv(M, config_.rows)), std::span<const Arg>(args), launch);
}

// --- references and bounds ---------------------------------------------------------

std::vector<double> reference_rms_norm(const Buffer &x, const Buffer &w, int64_t M, int64_t N, double eps) {
  std::vector<double> y(M * N);
  for (int64_t i = 0; i < M; ++i) {
    double s = 0;
    for (int64_t j = 0; j < N; ++j)
      s += read_element(x, i * N + j) * read_element(x, i * N + j);
    double rstd = 1.0 / std::sqrt(s / N + eps);
    for (int64_t j = 0; j < N; ++j)
      y[i * N + j] = read_element(x, i * N + j) * rstd * read_element(w, j);
  }
  return y;
}

std::vector<double> reference_layer_norm(const Buffer &x, const Buffer &w, const Buffer &b, int64_t M, int64_t N,
                                         double eps) {
  std::vector<double> y(M * N);
  for (int64_t i = 0; i < M; ++i) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < N; ++j)
      mean += read_element(x, i * N + j);
    mean /= N;
    for (int64_t j = 0; j < N; ++j)
      var += (read_element(x, i * N + j) - mean) * (read_element(x, i * N + j) - mean);
    double rstd = 1.0 / std::sqrt(var / N + eps);
    for (int64_t j = 0; j < N; ++j)
      y[i * N + j] = (read_element(x, i * N + j) - mean) * rstd * read_element(w, j) + read_element(b, j);
  }
  return y;
}

std::vector<double> rms_norm_bound(const std::vector<double> &reference, int64_t N, DType out) {
  const double c = 2.0, u = unit_roundoff(DType::F32);
  std::vector<double> bound(reference.size());
  for (size_t i = 0; i < bound.size(); ++i) {
    double y = std::fabs(reference[i]);
    bound[i] = c * (N + 8) * u * y + unit_roundoff(out) * y + half_subnormal_spacing(out);
  }
  return bound;
}

std::vector<double> layer_norm_bound(const Buffer &x, const Buffer &w, const Buffer &b,
                                     const std::vector<double> &reference, int64_t M, int64_t N, double eps,
                                     DType out) {
  // An error d in the mean moves every centred value by d: its effect is |w| * rstd * d,
  // with |d| <= N u mean(|x|). The rest is relative to the centred term, and the shift
  // adds one rounding.
  const double c = 2.0, u = unit_roundoff(DType::F32);
  std::vector<double> bound(M * N);
  for (int64_t i = 0; i < M; ++i) {
    double mean = 0, meanAbs = 0, var = 0;
    for (int64_t j = 0; j < N; ++j) {
      mean += read_element(x, i * N + j);
      meanAbs += std::fabs(read_element(x, i * N + j));
    }
    mean /= N;
    meanAbs /= N;
    for (int64_t j = 0; j < N; ++j)
      var += (read_element(x, i * N + j) - mean) * (read_element(x, i * N + j) - mean);
    double rstd = 1.0 / std::sqrt(var / N + eps);
    for (int64_t j = 0; j < N; ++j) {
      double scale = std::fabs(read_element(w, j)), shift = std::fabs(read_element(b, j));
      double centred = std::fabs(read_element(x, i * N + j) - mean) * rstd * scale;
      bound[i * N + j] = c * (N + 8) * u * (centred + scale * rstd * meanAbs) + 4 * u * shift +
                         unit_roundoff(out) * std::fabs(reference[i * N + j]) + half_subnormal_spacing(out);
    }
  }
  return bound;
}

} // namespace tegula::kernels
