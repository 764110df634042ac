// GEMM through tensor descriptors: each program instance owns a BM x BN block of C and
// walks K in BK steps; blocks hanging over the matrix edges read zeros and are not
// written, so any M, N, K work.
#include "checks.h"

#include "tegula/dsl.h"
#include "tegula/kernels/library.h"
#include "tegula/runtime/error.h"

#include <map>
#include <mutex>

namespace tegula::kernels {

using namespace tegula::dsl;

namespace {
Precision precision(const GemmConfig &cfg) { return cfg.allow_tf32 ? Precision::TF32 : Precision::IEEE; }

template <DotInputDType T>
Tile<f32> gemm_block(Ptr<T> a, Ptr<T> b, Int M, Int N, Int K, Int row, Int col, const GemmConfig &cfg) {
  auto a_desc = make_desc(a, {M, K}, {K, 1}, {cfg.BM, cfg.BK});
  auto acc = zeros<f32>({cfg.BM, cfg.BN});
  if (cfg.mutation == Mutation::TransposedOperand) { // B's memory read as B^T [N, K]
    auto bt_desc = make_desc(b, {N, K}, {K, 1}, {cfg.BN, cfg.BK});
    for (auto k : range(0, K, cfg.BK).carry(acc))
      acc = dot(a_desc.load({row, k}), trans(bt_desc.load({col, k})), acc, precision(cfg));
    return acc;
  }
  auto b_desc = make_desc(b, {K, N}, {N, 1}, {cfg.BK, cfg.BN});
  for (auto k : range(0, K, cfg.BK).carry(acc))
    acc = dot(a_desc.load({row, k}), b_desc.load({k, col}), acc, precision(cfg));
  return acc;
}

Tile<f32> activate(const Tile<f32> &x, Activation activation) {
  switch (activation) {
  case Activation::None: return x;
  case Activation::Relu: return maximum(x, zeros<f32>(x.shape()));
  case Activation::Gelu: return x * 0.5 * (erf(x * 0.70710678118654752440) + 1.0);
  case Activation::Silu: return x * sigmoid(x);
  }
  return x;
}

/// The kernel meta-parameters and promises of cfg (num_stages, kn_multiple).
template <DotInputDType T> void apply_meta_parameters(Ptr<T> a, Ptr<T> b, Ptr<f32> c, Int N, Int K, const GemmConfig &cfg) {
  if (cfg.num_stages > 1)
    num_stages(cfg.num_stages);
  if (cfg.kn_multiple <= 1) // 0: chosen per launch, this is the kernel that promises nothing
    return;
  assume_multiple_of(K, cfg.kn_multiple);
  assume_multiple_of(N, cfg.kn_multiple);
  assume_multiple_of(a, 16);
  assume_multiple_of(b, 16);
  assume_multiple_of(c, 16);
}

template <DotInputDType T>
void gemm_kernel(Ptr<T> a, Ptr<T> b, Ptr<f32> c, Int M, Int N, Int K, GemmConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  apply_meta_parameters(a, b, c, N, K, cfg);
  Int row = program_id(0) * cfg.BM;
  Int col = program_id(1) * cfg.BN;
  auto acc = activate(gemm_block(a, b, M, N, K, row, col, cfg), cfg.activation);
  store(make_desc(c, {M, N}, {N, 1}, {cfg.BM, cfg.BN}), {row, col}, acc);
}

template <DotInputDType T>
void gemm_bias_kernel(Ptr<T> a, Ptr<T> b, Ptr<f32> bias, Ptr<f32> c, Int M, Int N, Int K, GemmConfig cfg) {
  if (cfg.num_warps > 0)
    num_warps(cfg.num_warps);
  apply_meta_parameters(a, b, c, N, K, cfg);
  if (cfg.kn_multiple > 1)
    assume_multiple_of(bias, 16);
  Int row = program_id(0) * cfg.BM;
  Int col = program_id(1) * cfg.BN;
  auto cols = col + arange(cfg.BN);
  auto acc = gemm_block(a, b, M, N, K, row, col, cfg) + load(bias + cols, cols < N, 0.0).row();
  store(make_desc(c, {M, N}, {N, 1}, {cfg.BM, cfg.BN}), {row, col}, activate(acc, cfg.activation));
}
} // namespace

const char *activation_name(Activation activation) {
  switch (activation) {
  case Activation::None: return "none";
  case Activation::Relu: return "relu";
  case Activation::Gelu: return "gelu";
  case Activation::Silu: return "silu";
  }
  return "?";
}

/// The power-of-two factor of K and N up to 16: rows of a multiple of 16 elements start
/// 16-byte aligned for every dtype, so compiled in, A, B and C move as 16-byte vectors
/// on the GPU targets (as softmax's n_multiple).
static int kn_factor(int64_t N, int64_t K) {
  int factor = 1;
  while (factor < 16 && K % (2 * factor) == 0 && N % (2 * factor) == 0)
    factor *= 2;
  return factor;
}

/// A target whose operands live in its own on-chip memory next to a matrix unit (a
/// scratchpad machine) rather than behind caches.
static bool scratchpad_with_matrix_unit(const TargetDescription &d) {
  return d.onchip_bytes > 0 && !d.matrix_unit.empty();
}

GemmConfig default_gemm_config(const std::string &target) {
  const TargetDescription d = describe_target(target);
  if (d.warp_size > 1) {
    // GPU rule (vector units until the matrix path): 128 x 128 of C over 8 warps, 64
    // accumulators a thread; BK = 32 keeps A and B in shared memory (33 KiB in f32)
    // inside every target's block, AMD's 64 KiB LDS included.
    GemmConfig config{128, 128, 32};
    config.num_warps = detail::default_num_warps(target, int64_t{128} * 128);
    // Two stages: A and B of two steps (32 KiB in 16-bit types) stay inside the 48 KiB
    // a block declares statically; a third would need dynamic shared memory.
    config.num_stages = 2;
    return config;
  }
  if (scratchpad_with_matrix_unit(d))
    // Scratchpad rule without a shape (measured on Maia): blocks are multiples of the
    // 16x16x16 tensor unit; 128x128 keeps 64 tiles busy from 1024^2 up, and BK = 128
    // halves the DMA
    // commands per FLOP against 64 (each pays the DMA latency on its tile's queue:
    // 69% -> 80% of the roofline bound at 1024^3, bench_maia_compiled_gemm).
    return {128, 128, 128};
  // CPU rule: the block is as large as keeps (a) the C accumulator and one BK slice of
  // A and of B inside L2 (128x128 f32 C = 64 KiB, 128x64 slices = 32 KiB each) and
  // (b) at least 8 program instances per thread at 512^2 on two threads (16 blocks).
  // Larger blocks amortize the element-wise block loads over more FMAs: measured at
  // 2048^3 on one thread, 64x64x32 gave 44 GFLOP/s, 128x128x64 gave 91-99.
  return {128, 128, 64};
}

GemmConfig default_gemm_config(const std::string &target, int64_t M, int64_t N, int64_t K) {
  const TargetDescription d = describe_target(target);
  if (d.warp_size > 1) {
    GemmConfig config = default_gemm_config(target);
    config.kn_multiple = kn_factor(N, K);
    return config;
  }
  if (!scratchpad_with_matrix_unit(d))
    return default_gemm_config(target);
  // Scratchpad rule with a shape: the kernel is HBM-bound below the ridge, and a BM x BN
  // block reads (BM + BN) * K * 2 bytes for 2 * BM * BN * K FLOPs, so the largest
  // square block wins, as long as there are blocks for every compute unit (Maia's 64
  // tiles). 512x512x128
  // needs 1 MiB of accumulator and 4 x 128 KiB of double-buffered slices, well inside
  // the 4 MiB TSRAM.
  const int64_t tiles = d.compute_units;
  for (int block : {512, 256}) {
    int64_t blocks = ((M + block - 1) / block) * ((N + block - 1) / block);
    if (blocks >= tiles && K >= 128)
      return {block, block, 128};
  }
  return default_gemm_config(target);
}

GemmConfig default_tf32_gemm_config(const std::string &target, int64_t M, int64_t N, int64_t K) {
  GemmConfig config = default_gemm_config(target, M, N, K);
  config.allow_tf32 = true;
  if (describe_target(target).warp_size > 1) {
    // f32 takes twice the bytes of 16-bit inputs: at BK = 32 two stages of A and B are
    // 64 KiB (dynamic shared memory, one block an SM) and the k loop's addresses push
    // sm_80 past 128 registers. BK = 16 keeps a stage at 16 KiB, and three of them fill
    // the 48 KiB a block declares statically: 125 registers, two blocks an SM.
    config.BK = 16;
    config.num_stages = 3;
  }
  return config;
}

dsl::TracedKernel trace_gemm(DType input, const GemmConfig &config) {
  detail::require_block("gemm", "BM", config.BM);
  detail::require_block("gemm", "BN", config.BN);
  detail::require_block("gemm", "BK", config.BK);
  std::string suffix = std::string(dtype_name(input)) + (config.bias ? "_bias" : "") +
                       (config.activation == Activation::None ? "" : "_" + std::string(activation_name(config.activation))) +
                       (config.allow_tf32 && input == DType::F32 ? "_tf32" : "");
  std::vector<std::string> names{"a", "b", "c", "M", "N", "K"};
  std::vector<std::string> biasNames{"a", "b", "bias", "c", "M", "N", "K"};
  switch (input) {
  case DType::F32:
    return config.bias ? dsl::trace("gemm_" + suffix, &gemm_bias_kernel<f32>, biasNames, config)
                       : dsl::trace("gemm_" + suffix, &gemm_kernel<f32>, names, config);
  case DType::F16:
    return config.bias ? dsl::trace("gemm_" + suffix, &gemm_bias_kernel<f16>, biasNames, config)
                       : dsl::trace("gemm_" + suffix, &gemm_kernel<f16>, names, config);
  case DType::BF16:
    return config.bias ? dsl::trace("gemm_" + suffix, &gemm_bias_kernel<bf16>, biasNames, config)
                       : dsl::trace("gemm_" + suffix, &gemm_kernel<bf16>, names, config);
  default: break;
  }
  throw Error(ErrorCode::Unsupported, "gemm has no " + std::string(dtype_name(input)) + " input variant");
}

Gemm::Gemm(DType input, const std::string &target, CompileOptions options)
    : Gemm(input, target, std::move(options), default_gemm_config(target)) {}

struct Gemm::Specialized {
  std::mutex mutex;
  std::map<int, std::shared_ptr<const CompiledKernel>> kernels;
};

Gemm::Gemm(DType input, const std::string &target, CompileOptions options, GemmConfig config)
    : input_(input), target_(target), options_(options), config_(config),
      kernel_(compile_traced(trace_gemm(input, config), target, options)) {
  // Where default_gemm_config compiles the factor in for a shape, a launch chooses it.
  if (config.kn_multiple == 0 && describe_target(target).warp_size > 1)
    specialized_ = std::make_shared<Specialized>();
}

std::shared_ptr<const CompiledKernel> Gemm::kernel_for(int64_t N, int64_t K,
                                                       std::initializer_list<const Buffer *> buffers) const {
  if (!specialized_)
    return kernel_;
  const int factor = kn_factor(N, K);
  if (factor <= 1)
    return kernel_;
  for (const Buffer *buffer : buffers) { // where the kernel will read it, as the launch checks
    const uint64_t address = buffer->on_device() ? buffer->device_address()
                                                 : static_cast<uint64_t>(reinterpret_cast<uintptr_t>(buffer->data()));
    if (address % 16 != 0)
      return kernel_;
  }
  std::lock_guard<std::mutex> lock(specialized_->mutex);
  std::shared_ptr<const CompiledKernel> &kernel = specialized_->kernels[factor];
  if (!kernel) {
    GemmConfig config = config_;
    config.kn_multiple = factor;
    try {
      kernel = compile_traced(trace_gemm(input_, config), target_, options_);
    } catch (const Error &) {
      // The specialization may take more of the block than the generic kernel (a
      // pipelined loop's buffers over the shared-memory limit): the generic kernel
      // computes the same for every K and N, so launches keep it.
      kernel = kernel_;
    }
  }
  return kernel;
}

namespace {
/// Checks the sizes; false when C is empty (a no-op). K = 0 with a non-empty C is an
/// empty reduction, refused: the kernel would read nothing and store act(bias).
bool require_gemm_shape(int64_t M, int64_t N, int64_t K) {
  detail::require_not_negative("gemm", "M", M);
  detail::require_not_negative("gemm", "N", N);
  detail::require_not_negative("gemm", "K", K);
  if (M == 0 || N == 0)
    return false;
  detail::require_positive("gemm", "K (the reduction length, with C not empty)", K);
  return true;
}
} // namespace

void Gemm::operator()(const Buffer &a, const Buffer &b, Buffer &c, int64_t M, int64_t N, int64_t K,
                      const LaunchOptions &launch) const {
  if (config_.bias)
    throw Error(ErrorCode::InvalidArgument, "gemm: this kernel adds a bias; pass the bias buffer");
  // C empty: a no-op that needs no buffer (those given must still hold their dtype).
  const int64_t work = require_gemm_shape(M, N, K) ? 1 : 0;
  require_buffer(a, input_, work * detail::element_count("gemm", {M, K}), "gemm", "a");
  require_buffer(b, input_, work * detail::element_count("gemm", {K, N}), "gemm", "b");
  require_buffer(c, DType::F32, work * detail::element_count("gemm", {M, N}), "gemm", "c");
  if (!work)
    return;
  std::vector<Arg> args{a, b, c, M, N, K};
  kernel_for(N, K, {&a, &b, &c})
      ->launch(Grid(dsl::cdiv(M, config_.BM), dsl::cdiv(N, config_.BN)), std::span<const Arg>(args), launch);
}

void Gemm::operator()(const Buffer &a, const Buffer &b, const Buffer &bias, Buffer &c, int64_t M, int64_t N,
                      int64_t K, const LaunchOptions &launch) const {
  if (!config_.bias)
    throw Error(ErrorCode::InvalidArgument, "gemm: this kernel has no bias (set GemmConfig::bias)");
  const int64_t work = require_gemm_shape(M, N, K) ? 1 : 0;
  require_buffer(a, input_, work * detail::element_count("gemm", {M, K}), "gemm", "a");
  require_buffer(b, input_, work * detail::element_count("gemm", {K, N}), "gemm", "b");
  require_buffer(bias, DType::F32, work * N, "gemm", "bias");
  require_buffer(c, DType::F32, work * detail::element_count("gemm", {M, N}), "gemm", "c");
  if (!work)
    return;
  std::vector<Arg> args{a, b, bias, c, M, N, K};
  kernel_for(N, K, {&a, &b, &bias, &c})
      ->launch(Grid(dsl::cdiv(M, config_.BM), dsl::cdiv(N, config_.BN)), std::span<const Arg>(args), launch);
}

} // namespace tegula::kernels
