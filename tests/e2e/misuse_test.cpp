// One rule for misuse of the library kernels (docs/errors.md): an empty output is a
// no-op that touches nothing (empty buffers are fine then); a negative size, a zero
// block size in a configuration, an empty reduction with a non-empty output and a
// non-finite scale are refused with Error(InvalidArgument) naming what is wrong; sizes
// whose products overflow are refused, not multiplied.
#include "testing.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/library.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/norms.h"
#include "tegula/runtime/error.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// The error a call throws; fails the test when it throws nothing.
Error error_of(const std::function<void()> &call) {
  try {
    call();
  } catch (const Error &e) {
    return e;
  }
  FAIL("the call was accepted");
  return Error(ErrorCode::InvalidArgument, "unreachable");
}

/// Expects InvalidArgument whose message names every one of `words`.
void expect_refused(const std::function<void()> &call, std::initializer_list<const char *> words) {
  Error e = error_of(call);
  INFO(e.what());
  CHECK(e.code() == ErrorCode::InvalidArgument);
  for (const char *w : words)
    CHECK(std::string(e.what()).find(w) != std::string::npos);
}

/// A poisoned buffer and a copy of its bytes, to show a no-op wrote nothing.
struct Untouched {
  Buffer buffer;
  std::vector<unsigned char> before;
  Untouched(DType dtype, size_t count) : buffer(dtype, count) {
    buffer.fill_bytes(0xA5);
    before.assign(static_cast<const unsigned char *>(buffer.data()),
                  static_cast<const unsigned char *>(buffer.data()) + buffer.bytes());
  }
  bool same() const { return std::memcmp(buffer.data(), before.data(), before.size()) == 0; }
};

} // namespace

TEST_CASE("an empty output is a no-op that writes nothing, with empty buffers accepted", "[e2e][errors]") {
  Buffer none, x(DType::F32, 64), y(DType::F32, 64);
  kernels::fill_uniform(x, tegula::testing::case_seed("empty x"));
  kernels::fill_uniform(y, tegula::testing::case_seed("empty y"));

  VectorAdd add(DType::F32);
  add(none, none, none, 0);
  Untouched out(DType::F32, 64);
  add(x, y, out.buffer, 0);
  CHECK(out.same());

  Softmax softmax(DType::F32);
  softmax(none, none, 0, 100);
  softmax(x, out.buffer, 8, 0);
  CHECK(out.same());

  Gemm gemm(DType::F32);
  gemm(none, none, none, 0, 10, 10);
  gemm(x, y, out.buffer, 4, 0, 4);
  gemm(none, none, none, 0, 0, 0);
  CHECK(out.same());

  RmsNorm rms(DType::F32, "cpu", {}, default_norm_config("cpu", 16, 1e-6));
  rms(none, x, none, 0, 16);
  rms(none, none, none, 5, 0);
  LayerNorm ln(DType::F32, "cpu", {}, default_norm_config("cpu", 16, 1e-5));
  ln(none, x, x, none, 0, 16);

  Attention attention(DType::F32, "cpu", {}, default_attention_config("cpu", 64, false, false));
  attention(none, none, none, none, nullptr, 0, 5, 5, 2, 2, 0.125); // batch 0
  attention(none, none, none, none, nullptr, 3, 0, 5, 2, 2, 0.125); // no queries
  AttentionShape noHeads{2, 0, 0, 5, 5, 0.125};
  Buffer cu(DType::I32, 3);
  cu.as<int32_t>()[0] = 0, cu.as<int32_t>()[1] = 2, cu.as<int32_t>()[2] = 5;
  attention.varlen(none, none, none, cu, cu, none, nullptr, noHeads);
}

TEST_CASE("negative sizes are refused naming the size", "[e2e][errors]") {
  Buffer x(DType::F32, 64), y(DType::F32, 64), out(DType::F32, 64);
  VectorAdd add(DType::F32);
  expect_refused([&] { add(x, y, out, -1); }, {"vector_add", "n must not be negative", "-1"});
  Softmax softmax(DType::F32);
  expect_refused([&] { softmax(x, out, 4, -3); }, {"softmax", "N", "-3"});
  Gemm gemm(DType::F32);
  expect_refused([&] { gemm(x, y, out, 4, 4, -2); }, {"gemm", "K", "-2"});
  RmsNorm rms(DType::F32, "cpu", {}, default_norm_config("cpu", 16, 1e-6));
  expect_refused([&] { rms(x, x, out, -1, 16); }, {"rms_norm", "M", "-1"});
  Attention attention(DType::F32, "cpu", {}, default_attention_config("cpu", 64, false, false));
  expect_refused([&] { attention(x, x, x, out, nullptr, 1, -5, 5, 1, 1, 0.1); }, {"attention", "seqlen_q", "-5"});
}

TEST_CASE("an empty reduction with a non-empty output is refused", "[e2e][errors]") {
  Buffer x(DType::F32, 64), y(DType::F32, 64), out(DType::F32, 64);
  Gemm gemm(DType::F32);
  expect_refused([&] { gemm(x, y, out, 4, 4, 0); }, {"gemm", "K (the reduction length", "got 0"});
}

TEST_CASE("zero block sizes are refused naming the configuration field", "[e2e][errors]") {
  VectorAddConfig va;
  va.block = 0;
  expect_refused([&] { VectorAdd(DType::F32, "cpu", {}, va); }, {"vector_add", "field block", "got 0"});
  SoftmaxConfig sm;
  sm.rows = 0;
  expect_refused([&] { Softmax(DType::F32, "cpu", {}, sm); }, {"softmax", "field rows"});
  GemmConfig gc;
  gc.BK = 0;
  expect_refused([&] { Gemm(DType::F32, "cpu", {}, gc); }, {"gemm", "field BK"});
  NormConfig nc;
  nc.block = -4;
  expect_refused([&] { RmsNorm(DType::F32, "cpu", {}, nc); }, {"rms_norm", "field block", "-4"});
  LoraConfig lc;
  lc.BN = 0;
  expect_refused([&] { LoraExpand(DType::F32, "cpu", {}, lc); }, {"lora_expand", "field BN"});
  AttentionConfig ac;
  ac.BN = 0;
  expect_refused([&] { Attention(DType::F32, "cpu", {}, ac); }, {"attention", "field BN"});
}

TEST_CASE("a negative segment count is an invalid argument, not a small buffer", "[e2e][errors]") {
  LoraConfig config = default_lora_config("cpu", LoraForm::Segmented, 16);
  LoraShrink shrink(DType::F32, "cpu", {}, config);
  Buffer a(DType::F32, 16 * 32), b(DType::F32, 32 * 16), ranks(DType::I32, 1), scales(DType::F32, 1);
  ranks.as<int32_t>()[0] = 16;
  scales.as<float>()[0] = 1.0f;
  LoraWeights wt{&a, &b, &ranks, &scales, 1, 16};
  Buffer starts(DType::I32, 2), adapters(DType::I32, 1), x(DType::F32, 4 * 32), t(DType::F32, 4 * 16);
  starts.as<int32_t>()[0] = 0, starts.as<int32_t>()[1] = 4;
  adapters.as<int32_t>()[0] = 0;
  expect_refused([&] { shrink(x, wt, LoraMapping::segmented(starts, adapters, -1), t, 4, 32); },
                 {"lora_shrink", "segment count must not be negative", "-1"});
}

TEST_CASE("attention refuses a scale that is not finite", "[e2e][errors]") {
  Attention attention(DType::F32, "cpu", {}, default_attention_config("cpu", 64, false, false));
  Buffer q(DType::F32, 4 * 64), out(DType::F32, 4 * 64);
  for (double scale : {std::nan(""), std::numeric_limits<double>::infinity()})
    expect_refused([&] { attention(q, q, q, out, nullptr, 1, 4, 4, 1, 1, scale); }, {"attention", "scale must be finite"});
}

TEST_CASE("sizes whose product overflows are refused, not multiplied", "[e2e][errors]") {
  Buffer x(DType::F32, 64);
  Gemm gemm(DType::F32);
  const int64_t huge = int64_t{1} << 40;
  expect_refused([&] { gemm(x, x, x, huge, huge, huge); }, {"gemm", "2^63"});
  Softmax softmax(DType::F32);
  expect_refused([&] { softmax(x, x, huge, huge); }, {"softmax", "2^63"});
}
