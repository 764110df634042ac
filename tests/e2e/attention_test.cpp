// Attention forward against the fp64 reference on the CPU: head dimensions 64, 80, 96
// and 128; f32, f16 and bf16; causal and not, with Sq != Skv both ways (fully masked
// rows included); grouped- and multi-query heads; variable-length batches with empty
// sequences; the log-sum-exp. Outputs are poisoned; lengths are not multiples of the
// blocks.
#include "testing.h"

#include "tegula/kernels/attention.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/error.h"

#include <cmath>
#include <numeric>

using namespace tegula;
using namespace tegula::kernels;

namespace {

struct Case {
  DType dtype = DType::F32;
  int head_dim = 64;
  bool causal = false, lse = false;
  int64_t heads_q = 2, heads_kv = 2;
  std::vector<int32_t> seqlens_q, seqlens_k; ///< per sequence
  int head_block = -1;                       ///< the configuration's, unless -1
};

std::vector<int32_t> offsets(const std::vector<int32_t> &lengths) {
  std::vector<int32_t> cu(lengths.size() + 1, 0);
  std::partial_sum(lengths.begin(), lengths.end(), cu.begin() + 1);
  return cu;
}

Buffer i32_buffer(const std::vector<int32_t> &values) {
  Buffer b(DType::I32, static_cast<int64_t>(values.size()));
  std::copy(values.begin(), values.end(), b.as<int32_t>().begin());
  return b;
}

std::string describe(const Case &c) {
  std::string text = std::string(dtype_name(c.dtype)) + " d" + std::to_string(c.head_dim) +
                     (c.head_block >= 0 ? " block " + std::to_string(c.head_block) : "") +
                     (c.causal ? " causal" : "") + (c.lse ? " lse" : "") + " heads " + std::to_string(c.heads_q) +
                     "/" + std::to_string(c.heads_kv) + " q";
  for (int32_t n : c.seqlens_q)
    text += " " + std::to_string(n);
  text += " k";
  for (int32_t n : c.seqlens_k)
    text += " " + std::to_string(n);
  return text;
}

void check_attention(const Case &c, const std::string &target = "cpu") {
  const std::string tag = "attention " + target + " " + describe(c);
  const uint64_t seed = testing::case_seed(tag);
  INFO(tag << " seed " << seed);
  const std::vector<int32_t> cu_q = offsets(c.seqlens_q), cu_k = offsets(c.seqlens_k);
  const int64_t D = c.head_dim, total_q = cu_q.back(), total_k = cu_k.back();
  Buffer q(c.dtype, std::max<int64_t>(1, total_q * c.heads_q * D)), out(c.dtype, q.count());
  Buffer k(c.dtype, std::max<int64_t>(1, total_k * c.heads_kv * D)), v(c.dtype, k.count());
  Buffer lse(DType::F32, std::max<int64_t>(1, c.heads_q * total_q));
  fill_uniform(q, seed, -1.0, 1.0);
  fill_uniform(k, seed + 1, -1.0, 1.0);
  fill_uniform(v, seed + 2, -1.0, 2.0);
  out.fill_bytes(0xFF);
  lse.fill_bytes(0xFF);
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  AttentionConfig config = default_attention_config(target, c.head_dim, c.causal, c.lse);
  if (c.head_block >= 0)
    config.head_block = c.head_block;
  Attention attention(c.dtype, target, {}, config);
  AttentionShape shape{static_cast<int64_t>(c.seqlens_q.size()), c.heads_q, c.heads_kv, total_q, total_k, scale};
  attention.varlen(q, k, v, i32_buffer(cu_q), i32_buffer(cu_k), out, &lse, shape);

  AttentionReference ref = reference_attention(q, k, v, cu_q, cu_k, c.heads_q, c.heads_kv, c.head_dim, scale, c.causal);
  if (total_q == 0)
    return;
  CheckResult result = check(out, ref.out, ref.out_bound);
  INFO("out: " << result.summary());
  CHECK(result.ok());
  if (c.lse) {
    // -inf (a row without keys) must come out exactly; check() compares finite values.
    auto got = lse.as<float>();
    size_t wrongInfinities = 0;
    for (size_t i = 0; i < ref.lse.size(); ++i)
      if (std::isinf(ref.lse[i]) != std::isinf(got[i]) || (std::isinf(ref.lse[i]) && got[i] > 0))
        ++wrongInfinities;
    CHECK(wrongInfinities == 0);
    std::vector<double> finite = ref.lse;
    for (size_t i = 0; i < finite.size(); ++i)
      if (std::isinf(finite[i]))
        finite[i] = got[i] = 0; // compared above
    CheckResult lseResult = check(lse, finite, ref.lse_bound);
    INFO("lse: " << lseResult.summary());
    CHECK(lseResult.ok());
  }
}

} // namespace

TEST_CASE("attention matches the fp64 reference for every head dimension", "[e2e][attention]") {
  for (int D : {64, 80, 96, 128})
    check_attention({DType::F32, D, false, false, 2, 1, {70, 1}, {131, 45}});
}

TEST_CASE("attention in f16 and bf16 accumulates in f32", "[e2e][attention]") {
  for (DType dtype : {DType::F16, DType::BF16}) {
    check_attention({dtype, 64, false, true, 4, 2, {100}, {77}});
    check_attention({dtype, 128, true, true, 2, 1, {65, 3}, {200, 3}});
  }
}

TEST_CASE("causal attention aligns the sequences' ends; fully masked rows give 0 and -inf", "[e2e][attention]") {
  // Sq < Skv: every query sees a prefix longer than its index. Sq > Skv: the first
  // Sq - Skv queries see nothing. Sq = 1 and Skv = 1 at the extremes.
  check_attention({DType::F32, 64, true, true, 2, 2, {33, 150, 1, 7}, {150, 33, 90, 1}});
  check_attention({DType::F32, 96, true, true, 1, 1, {129}, {129}});
}

TEST_CASE("grouped- and multi-query attention read their group's key/value head", "[e2e][attention]") {
  check_attention({DType::F32, 64, false, false, 8, 2, {37, 64}, {70, 5}});  // GQA, 4 per group
  check_attention({DType::BF16, 80, true, false, 6, 1, {50}, {66}});         // MQA
}

TEST_CASE("variable-length batches, with empty sequences", "[e2e][attention]") {
  check_attention({DType::F32, 64, false, true, 2, 1, {0, 17, 0, 130, 1}, {5, 0, 0, 64, 200}});
  check_attention({DType::BF16, 64, true, true, 2, 2, {0, 0}, {3, 0}}); // no queries at all
}

TEST_CASE("attention runs on maia-sim in bf16 within the same bounds", "[e2e][attention][maia]") {
  // Scalar loads of the offsets (ldw), the key/value head by division, K^T through
  // mma.t, the causal diagonal through tail fills, the scale as an f32 argument.
  check_attention({DType::BF16, 64, false, true, 4, 2, {70, 1}, {131, 45}}, "maia");
  check_attention({DType::BF16, 80, true, true, 2, 1, {33, 150, 0, 7}, {150, 33, 5, 1}}, "maia");
  check_attention({DType::BF16, 128, true, false, 1, 1, {65}, {65}}, "maia");
  // f32: both products on the vector unit (rank-1 updates), the tensor unit taking bf16
  // only.
  check_attention({DType::F32, 64, false, true, 1, 1, {37}, {45}}, "maia");
}

TEST_CASE("a head block wider than D masks the columns past D off", "[e2e][attention]") {
  // What the GPU targets' configuration does at D = 80 and 96 (their tiles are powers of
  // two), here on the CPU: the padded columns load as zeros and are never stored.
  check_attention({DType::F32, 80, true, true, 2, 1, {33, 70}, {70, 33}, 128});
  check_attention({DType::BF16, 96, false, false, 2, 2, {17}, {90}, 128});
  CHECK(default_attention_config("cpu", 80, false, false).head_block == 0);
  CHECK(default_attention_config("cuda:sm_80", 80, false, false).head_block == 128);
  AttentionConfig narrow = default_attention_config("cpu", 80, false, false);
  narrow.head_block = 64;
  CHECK_THROWS_WITH(Attention(DType::F32, "cpu", {}, narrow),
                    Catch::Contains("head_block 64 is smaller than the head dimension 80"));
}

TEST_CASE("attention launches with wrong offsets or heads are refused with the reason", "[e2e][attention]") {
  Attention attention(DType::F32, "cpu", {}, default_attention_config("cpu", 64, false, false));
  Buffer q(DType::F32, 10 * 2 * 64), k(DType::F32, 8 * 1 * 64), v(DType::F32, 8 * 1 * 64), out(DType::F32, q.count());
  AttentionShape shape{2, 2, 1, 10, 8, 0.125};
  auto message = [&](const std::vector<int32_t> &cq, const std::vector<int32_t> &ck, AttentionShape s) {
    try {
      attention.varlen(q, k, v, i32_buffer(cq), i32_buffer(ck), out, nullptr, s);
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message({0, 4, 10}, {0, 8, 8}, shape).empty());
  CHECK_THAT(message({1, 4, 10}, {0, 8, 8}, shape), Catch::Contains("cu_seqlens_q[0] is 1, must be 0"));
  CHECK_THAT(message({0, 6, 4}, {0, 8, 8}, shape), Catch::Contains("cu_seqlens_q decreases at 2"));
  CHECK_THAT(message({0, 4, 9}, {0, 8, 8}, shape), Catch::Contains("cu_seqlens_q[2] is 9, the tensor has 10 rows"));
  AttentionShape uneven = shape;
  uneven.heads_kv = 3;
  CHECK_THAT(message({0, 4, 10}, {0, 8, 8}, uneven), Catch::Contains("not a multiple of 3"));
  Attention withLse(DType::F32, "cpu", {}, default_attention_config("cpu", 64, false, true));
  CHECK_THROWS_WITH(withLse.varlen(q, k, v, i32_buffer({0, 4, 10}), i32_buffer({0, 8, 8}), out, nullptr, shape),
                    Catch::Contains("buffer 'lse' is null"));
  CHECK_THROWS_WITH(Attention(DType::F32, "cpu", {}, default_attention_config("cpu", 72, false, false)),
                    Catch::Contains("head dimension 72"));
}
