#include "runners.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/norms.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <chrono>
#include <functional>

namespace tegula::cli {

using namespace tegula::kernels;

std::vector<std::string> kernel_names() { return {"vector_add", "softmax", "gemm"}; }

static std::vector<int64_t> shape_or(const std::vector<int64_t> &shape, std::vector<int64_t> fallback,
                                     size_t rank, const std::string &kernel) {
  if (shape.empty())
    return fallback;
  if (shape.size() != rank)
    throw Error(ErrorCode::InvalidArgument, kernel + " takes a shape of " + std::to_string(rank) +
                                                " sizes, got " + std::to_string(shape.size()));
  for (int64_t d : shape)
    if (d < 1)
      throw Error(ErrorCode::InvalidArgument, kernel + ": sizes must be positive");
  return shape;
}

/// Sets the fields of `fields` that `overrides` names; the kernel refuses any other.
static void apply_overrides(const std::string &kernel, const ConfigOverrides &overrides,
                            std::initializer_list<std::pair<const char *, int *>> fields) {
  for (const auto &[name, value] : overrides) {
    int *field = nullptr;
    std::string known;
    for (const auto &[candidate, at] : fields) {
      known += (known.empty() ? "" : ", ") + std::string(candidate);
      if (name == candidate)
        field = at;
    }
    if (!field)
      throw Error(ErrorCode::InvalidArgument, kernel + " has no configuration field '" + name + "'" +
                                                  (known.empty() ? " (it takes none)" : " (it has " + known + ")"));
    if (value < INT32_MIN || value > INT32_MAX)
      throw Error(ErrorCode::InvalidArgument, kernel + ": " + name + " = " + std::to_string(value) + " is out of range");
    *field = static_cast<int>(value);
  }
}

dsl::TracedKernel trace_kernel(const std::string &kernel, DType dtype, const std::string &target,
                               const std::vector<int64_t> &shape, const ConfigOverrides &overrides, bool generic) {
  if (kernel != "gemm" && kernel != "attention")
    apply_overrides(kernel, overrides, {});
  if (kernel == "vector_add")
    return trace_vector_add(dtype, default_vector_add_config(target));
  if (kernel == "softmax") {
    auto s = shape_or(shape, {1000, 1000}, 2, kernel);
    SoftmaxConfig config = default_softmax_config(target, s[1]);
    if (generic)
      config.n_multiple = 1;
    return trace_softmax(dtype, config);
  }
  if (kernel == "gemm") {
    auto s = shape_or(shape, {1000, 1000, 1000}, 3, kernel);
    // tf32=1 starts from the tf32 default (its own block and stages), then the rest apply.
    const bool tf32Asked = std::any_of(overrides.begin(), overrides.end(),
                                       [](const auto &item) { return item.first == "tf32" && item.second == 1; });
    GemmConfig config = tf32Asked && dtype == DType::F32 ? default_tf32_gemm_config(target, s[0], s[1], s[2])
                                                         : default_gemm_config(target, s[0], s[1], s[2]);
    int tf32 = config.allow_tf32 ? 1 : 0;
    apply_overrides(kernel, overrides,
                    {{"BM", &config.BM}, {"BN", &config.BN}, {"BK", &config.BK}, {"num_warps", &config.num_warps},
                     {"num_stages", &config.num_stages}, {"kn_multiple", &config.kn_multiple}, {"tf32", &tf32}});
    if (tf32 != 0 && tf32 != 1)
      throw Error(ErrorCode::InvalidArgument, "gemm: tf32 = " + std::to_string(tf32) + " (it is 0 or 1)");
    config.allow_tf32 = tf32 == 1;
    if (generic)
      config.kn_multiple = 1;
    return trace_gemm(dtype, config);
  }
  if (kernel == "rms_norm" || kernel == "layer_norm") {
    auto s = shape_or(shape, {1000, 1000}, 2, kernel);
    const NormConfig config = default_norm_config(target, s[1], 1e-6);
    return kernel == "rms_norm" ? trace_rms_norm(dtype, config) : trace_layer_norm(dtype, config);
  }
  if (kernel == "attention") {
    auto s = shape_or(shape, {64}, 1, kernel);
    AttentionConfig config = default_attention_config(target, static_cast<int>(s[0]), false, false);
    apply_overrides(kernel, overrides,
                    {{"BM", &config.BM}, {"BN", &config.BN}, {"num_warps", &config.num_warps},
                     {"num_stages", &config.num_stages}, {"head_block", &config.head_block}});
    if (generic)
      config.aligned = false;
    return trace_attention(dtype, config);
  }
  throw Error(ErrorCode::InvalidArgument,
              "unknown kernel '" + kernel + "' (known: vector_add, softmax, rms_norm, layer_norm, gemm, attention)");
}

static std::string shape_text(const std::vector<int64_t> &shape) {
  std::string out;
  for (int64_t d : shape)
    out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

/// Best wall time of `repeats` runs of `fn`, in milliseconds.
static double best_of(int repeats, const std::function<void()> &fn) {
  double best = 1e300;
  for (int r = 0; r < std::max(1, repeats); ++r) {
    auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

/// On a simulated target the time that matters is the machine's, not the host's.
static void simulated(const RunRequest &request, RunResult &result) {
  if (describe_target(request.target).simulated_time)
    result.best_ms = last_simulated_launch().seconds * 1e3;
}

RunResult run_kernel(const RunRequest &request) {
  RunResult result;
  result.kernel = request.kernel;
  result.target = request.target;
  result.dtype = std::string(dtype_name(request.dtype));
  CompileOptions options;
  options.bounds_check = request.bounds_check;
  LaunchOptions launch;
  launch.threads = request.threads;
  uint64_t seed = request.seed;

  if (request.kernel == "vector_add") {
    auto s = shape_or(request.shape, {1000003}, 1, request.kernel);
    int64_t n = s[0];
    result.shape = shape_text(s);
    clear_compile_cache();
    VectorAdd op(request.dtype, request.target, options);
    Buffer x(request.dtype, n), y(request.dtype, n), out(request.dtype, n);
    fill_uniform(x, seed);
    fill_uniform(y, seed + 1);
    out.fill_bytes(0xFF);
    op(x, y, out, n, launch);
    auto ref = reference_vector_add(x, y, n);
    result.check = check(out, ref, vector_add_bound(ref, request.dtype));
    result.compile_ms = op.compiled().compile_ms();
    result.best_ms = best_of(request.repeats, [&] { op(x, y, out, n, launch); });
    simulated(request, result);
    return result;
  }
  if (request.kernel == "softmax") {
    auto s = shape_or(request.shape, {1000, 1000}, 2, request.kernel);
    int64_t M = s[0], N = s[1];
    result.shape = shape_text(s);
    clear_compile_cache();
    Softmax op(request.dtype, request.target, options, default_softmax_config(request.target, N));
    Buffer x(request.dtype, M * N), y(request.dtype, M * N);
    fill_uniform(x, seed, -4.0, 4.0);
    y.fill_bytes(0xFF);
    op(x, y, M, N, launch);
    auto ref = reference_softmax(x, M, N);
    result.check = check(y, ref, softmax_bound(ref, N, request.dtype));
    result.compile_ms = op.compiled().compile_ms();
    result.best_ms = best_of(request.repeats, [&] { op(x, y, M, N, launch); });
    simulated(request, result);
    return result;
  }
  if (request.kernel == "gemm") {
    auto s = shape_or(request.shape, {1000, 1000, 1000}, 3, request.kernel);
    int64_t M = s[0], N = s[1], K = s[2];
    result.shape = shape_text(s);
    clear_compile_cache();
    Gemm op(request.dtype, request.target, options, default_gemm_config(request.target, M, N, K));
    Buffer a(request.dtype, M * K), b(request.dtype, K * N), c(DType::F32, M * N);
    fill_uniform(a, seed);
    fill_uniform(b, seed + 1);
    c.fill_bytes(0xFF);
    op(a, b, c, M, N, K, launch);
    std::vector<double> absProduct;
    auto ref = reference_gemm(a, b, M, N, K, &absProduct);
    result.check = check(c, ref, gemm_bound(absProduct, K));
    result.compile_ms = op.compiled().compile_ms();
    result.best_ms = best_of(request.repeats, [&] { op(a, b, c, M, N, K, launch); });
    simulated(request, result);
    result.gflops = 2.0 * M * N * K / (result.best_ms * 1e6);
    return result;
  }
  throw Error(ErrorCode::InvalidArgument, "unknown kernel '" + request.kernel + "' (known: vector_add, softmax, gemm)");
}

} // namespace tegula::cli
