// Vector add: the smallest kernel, one masked block per program instance.
#include "checks.h"

#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {
template <NumericDType T>
void vector_add_kernel(Ptr<T> x, Ptr<T> y, Ptr<T> out, Int n, VectorAddConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  auto offsets = program_id(0) * cfg.block + arange(cfg.block);
  auto in_range = offsets < n;
  store(out + offsets, load(x + offsets, in_range, 0.0) + load(y + offsets, in_range, 0.0), in_range);
}
} // namespace

VectorAddConfig default_vector_add_config(const std::string &target) {
  // 1024 f32 = 4 KiB per operand: three operands stay in L1 and the loop vectorizes.
  VectorAddConfig config;
  config.num_warps = detail::default_num_warps(target, config.block);
  return config;
}

dsl::TracedKernel trace_vector_add(DType dtype, const VectorAddConfig &config) {
  detail::require_block("vector_add", "block", config.block);
  std::vector<std::string> names{"x", "y", "out", "n"};
  switch (dtype) {
  case DType::F32: return dsl::trace("vector_add_f32", &vector_add_kernel<f32>, names, config);
  case DType::F16: return dsl::trace("vector_add_f16", &vector_add_kernel<f16>, names, config);
  case DType::BF16: return dsl::trace("vector_add_bf16", &vector_add_kernel<bf16>, names, config);
  case DType::I32: return dsl::trace("vector_add_i32", &vector_add_kernel<i32>, names, config);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, "vector_add has no " + std::string(dtype_name(dtype)) + " variant");
}

VectorAdd::VectorAdd(DType dtype, const std::string &target, CompileOptions options)
    : VectorAdd(dtype, target, std::move(options), default_vector_add_config(target)) {}

VectorAdd::VectorAdd(DType dtype, const std::string &target, CompileOptions options, VectorAddConfig config)
    : dtype_(dtype), config_(config), kernel_(compile_traced(trace_vector_add(dtype, config), target, options)) {}

void VectorAdd::operator()(const Buffer &x, const Buffer &y, Buffer &out, int64_t n, const LaunchOptions &launch) const {
  detail::require_not_negative("vector_add", "n", n);
  require_buffer(x, dtype_, n, "vector_add", "x");
  require_buffer(y, dtype_, n, "vector_add", "y");
  require_buffer(out, dtype_, n, "vector_add", "out");
  if (n == 0)
    return; // an empty output: nothing to do
  std::vector<Arg> args{x, y, out, n};
  kernel_->launch(Grid(dsl::cdiv(n, config_.block)), std::span<const Arg>(args), launch);
}

} // namespace tegula::kernels
