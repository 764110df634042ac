// Launch-argument checks: random grids, scalar values, buffer dtypes and lengths against
// kernel signatures, through validate_launch and through the library's host checks
// (which run the kernel when they accept). A wrong launch must be refused with a
// tegula::Error; an accepted one must stay inside its buffers: every buffer is a
// guard-page buffer, so a read or write past the end faults.
#include "fuzz_common.h"

#include "tegula/kernels/library.h"
#include "tegula/runtime/launch.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <memory>
#include <vector>

namespace {

using namespace tegula;

constexpr DType kDtypes[] = {DType::F32, DType::F16, DType::BF16, DType::F64,
                             DType::I1,  DType::I8,  DType::I32,  DType::I64};

DType pick_dtype(FuzzedDataProvider &in) { return in.PickValueInArray(kDtypes); }

/// A size near the interesting edges: 0, 1, around a block, or negative.
int64_t pick_size(FuzzedDataProvider &in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
  case 0: return in.ConsumeIntegralInRange<int64_t>(-2, 3);
  case 1: return in.ConsumeIntegralInRange<int64_t>(0, 300);
  case 2: return in.ConsumeIntegralInRange<int64_t>(1000, 1100);
  default: return in.ConsumeIntegral<int64_t>();
  }
}

std::unique_ptr<Buffer> pick_buffer(FuzzedDataProvider &in) {
  DType dtype = pick_dtype(in);
  auto count = static_cast<size_t>(in.ConsumeIntegralInRange(1, 4096));
  auto buffer = std::make_unique<Buffer>(dtype, count, BufferMode::GuardPage);
  buffer->fill_bytes(static_cast<unsigned char>(in.ConsumeIntegral<uint8_t>() | 1));
  return buffer;
}

/// validate_launch against a signature with random arguments: it accepts or throws.
void fuzz_validate(FuzzedDataProvider &in) {
  KernelInfo info;
  info.name = "k";
  int nargs = in.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < nargs; ++i) {
    ArgSpec spec;
    spec.kind = in.ConsumeBool() ? ArgSpec::Kind::Buffer : ArgSpec::Kind::Scalar;
    spec.dtype = pick_dtype(in);
    info.args.push_back(spec);
  }
  std::vector<std::unique_ptr<Buffer>> buffers;
  std::vector<Arg> args;
  int given = in.ConsumeIntegralInRange(0, 7);
  for (int i = 0; i < given; ++i) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: buffers.push_back(pick_buffer(in)); args.emplace_back(*buffers.back()); break;
    case 1: args.emplace_back(in.ConsumeIntegral<int64_t>()); break;
    case 2: args.emplace_back(in.ConsumeFloatingPoint<double>()); break;
    default: args.emplace_back(static_cast<Buffer *>(nullptr)); break;
    }
  }
  Grid grid(pick_size(in), pick_size(in), pick_size(in));
  fuzz::expect_clean_refusal([&] { validate_launch(info, grid, args); });
}

/// A library kernel's host checks with random shapes and buffers; accepted launches run.
void fuzz_library(FuzzedDataProvider &in) {
  static const kernels::VectorAdd add(DType::F32);
  static const kernels::Softmax softmax(DType::F32);
  static const kernels::Gemm gemm(DType::F32);
  auto a = pick_buffer(in), b = pick_buffer(in), c = pick_buffer(in);
  LaunchOptions one_thread;
  one_thread.threads = 1;
  switch (in.ConsumeIntegralInRange(0, 2)) {
  case 0: {
    int64_t n = pick_size(in);
    fuzz::expect_clean_refusal([&] { add(*a, *b, *c, n, one_thread); });
    break;
  }
  case 1: {
    int64_t M = pick_size(in), N = pick_size(in);
    fuzz::expect_clean_refusal([&] { softmax(*a, *b, M, N, one_thread); });
    break;
  }
  default: {
    int64_t M = pick_size(in), N = pick_size(in), K = pick_size(in);
    fuzz::expect_clean_refusal([&] { gemm(*a, *b, *c, M, N, K, one_thread); });
    break;
  }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool())
    fuzz_validate(in);
  else
    fuzz_library(in);
  return 0;
}
