// Multi-LoRA on the CPU against the fp64 reference: shrink and expand in both forms
// (segments and per-token indices), the fused linear layer; mixed ranks 8..64 in one
// batch, adapter -1 between others, empty segments, one token per adapter, every token
// on one adapter; launch checks that refuse bad indices, and kernels that stay inside
// the adapter buffers when those checks are skipped (bounds-checked mode, guard pages).
#include "testing.h"

#include "tegula/maia/driver.h"
#include "tegula/kernels/lora.h"
#include "tegula/kernels/reference.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cstring>
#include <numeric>

using namespace tegula;
using namespace tegula::kernels;

namespace {

/// Stacked adapters with the given ranks (max_rank the largest), random factors and
/// scales, in buffers that outlive the LoraWeights view of them.
struct Adapters {
  Buffer a, b, ranks, scales;
  LoraWeights weights;
  Adapters(DType dtype, const std::vector<int32_t> &rankList, int64_t hidden, int64_t hidden_out, uint64_t seed,
           BufferMode mode = BufferMode::Plain) {
    const int64_t slots = static_cast<int64_t>(rankList.size());
    const int64_t maxRank = *std::max_element(rankList.begin(), rankList.end());
    a = Buffer(dtype, slots * maxRank * hidden, mode);
    b = Buffer(dtype, slots * hidden_out * maxRank, mode);
    ranks = Buffer(DType::I32, slots, mode);
    scales = Buffer(DType::F32, slots, mode);
    fill_uniform(a, seed, -1.0, 1.0);
    fill_uniform(b, seed + 1, -1.0, 1.0);
    fill_uniform(scales, seed + 2, 0.25, 2.0);
    std::copy(rankList.begin(), rankList.end(), ranks.as<int32_t>().begin());
    weights = {&a, &b, &ranks, &scales, slots, maxRank};
  }
};

Buffer i32_buffer(const std::vector<int32_t> &values, BufferMode mode = BufferMode::Plain) {
  Buffer buffer(DType::I32, std::max<size_t>(1, values.size()), mode);
  std::copy(values.begin(), values.end(), buffer.as<int32_t>().begin());
  return buffer;
}

/// Segments of the given lengths, and their adapters.
struct Segments {
  Buffer starts, adapters;
  int64_t count, tokens;
  Segments(const std::vector<int32_t> &lengths, const std::vector<int32_t> &adapterList)
      : count(static_cast<int64_t>(lengths.size())) {
    std::vector<int32_t> offsets(lengths.size() + 1, 0);
    std::partial_sum(lengths.begin(), lengths.end(), offsets.begin() + 1);
    tokens = offsets.back();
    starts = i32_buffer(offsets);
    adapters = i32_buffer(adapterList);
  }
  LoraMapping mapping() const { return LoraMapping::segmented(starts, adapters, count); }
};

void check_against(const Buffer &out, const LoraReference &ref, const std::string &what) {
  CheckResult result = check(out, ref.value, ref.bound);
  INFO(what << ": " << result.summary());
  CHECK(result.ok());
}

/// Shrink then expand with one mapping; checks both against the reference.
void check_shrink_expand(DType dtype, const std::vector<int32_t> &rankList, const LoraMapping &mapping,
                         int64_t tokens, int64_t hidden, int64_t hidden_out, const std::string &tag,
                         const std::string &target = "cpu") {
  const uint64_t seed = testing::case_seed(tag);
  INFO(tag << " seed " << seed);
  Adapters adapters(dtype, rankList, hidden, hidden_out, seed);
  const LoraWeights &wt = adapters.weights;
  LoraConfig config = default_lora_config(target, mapping.form, wt.max_rank);
  Buffer x(dtype, std::max<int64_t>(1, tokens * hidden)), t(DType::F32, std::max<int64_t>(1, tokens * wt.max_rank));
  Buffer y(dtype, std::max<int64_t>(1, tokens * hidden_out)), before(dtype, y.count());
  fill_uniform(x, seed + 3, -1.0, 1.0);
  fill_uniform(y, seed + 4, -2.0, 2.0);
  std::memcpy(before.data(), y.data(), y.bytes());
  t.fill_bytes(0xFF);
  std::vector<int32_t> perToken = lora_token_adapters(mapping, tokens, wt.slots);

  LoraShrink(dtype, target, {}, config)(x, wt, mapping, t, tokens, hidden);
  if (tokens > 0)
    check_against(t, reference_lora_shrink(x, wt, perToken, hidden), "shrink");
  LoraExpand(dtype, target, {}, config)(t, wt, mapping, y, tokens, hidden_out);
  if (tokens > 0)
    check_against(y, reference_lora_expand(t, wt, perToken, before, hidden_out), "expand");
}

const std::vector<int32_t> kMixedRanks{8, 16, 32, 64, 16, 8};

} // namespace

TEST_CASE("segmented shrink and expand (SGMV) match the reference", "[e2e][lora]") {
  for (DType dtype : {DType::F32, DType::BF16, DType::F16}) {
    std::string d(dtype_name(dtype));
    // Mixed ranks, an empty segment, adapter -1 between others, a long segment.
    Segments mixed({5, 0, 17, 3, 40, 1}, {2, 0, -1, 5, 3, 1});
    check_shrink_expand(dtype, kMixedRanks, mixed.mapping(), mixed.tokens, 200, 130, "sgmv mixed " + d);
  }
  // Every token on one adapter; one token per adapter.
  Segments one({37}, {1});
  check_shrink_expand(DType::F32, {16, 16}, one.mapping(), one.tokens, 96, 70, "sgmv one adapter");
  Segments each({1, 1, 1, 1, 1, 1}, {0, 1, 2, 3, 4, 5});
  check_shrink_expand(DType::BF16, kMixedRanks, each.mapping(), each.tokens, 64, 64, "sgmv one token each");
}

TEST_CASE("gathered shrink and expand (BGMV) match the reference", "[e2e][lora]") {
  for (DType dtype : {DType::F32, DType::BF16, DType::F16}) {
    Buffer perToken = i32_buffer({3, -1, 0, 3, 5, -1, 2, 1, 1, 4, -1, 3, 0});
    check_shrink_expand(dtype, kMixedRanks, LoraMapping::gathered(perToken), 13, 150, 97,
                        "bgmv mixed " + std::string(dtype_name(dtype)));
  }
  Buffer same = i32_buffer(std::vector<int32_t>(9, 0));
  check_shrink_expand(DType::F32, {32}, LoraMapping::gathered(same), 9, 64, 33, "bgmv one adapter");
}

TEST_CASE("multi-LoRA runs on maia-sim within the same bounds", "[e2e][lora][maia]") {
  // Adapter indices and ranks through ldw (masked by the index's validity), A^T and
  // B^T through mma.t, the per-token form through column broadcasts and row sums.
  Segments mixed({5, 0, 17, 3, 40, 1}, {2, 0, -1, 5, 3, 1});
  check_shrink_expand(DType::BF16, kMixedRanks, mixed.mapping(), mixed.tokens, 200, 130, "sgmv mixed", "maia");
  Buffer perToken = i32_buffer({3, -1, 0, 3, 5, -1, 2, 1, 1, 4, -1, 3, 0});
  check_shrink_expand(DType::BF16, kMixedRanks, LoraMapping::gathered(perToken), 13, 150, 97, "bgmv mixed", "maia");
}

TEST_CASE("the fused LoRA linear layer matches x W plus each token's update", "[e2e][lora]") {
  for (DType dtype : {DType::F32, DType::BF16}) {
    const std::string tag = "lora linear " + std::string(dtype_name(dtype));
    const uint64_t seed = testing::case_seed(tag);
    INFO(tag << " seed " << seed);
    const int64_t K = 130, N = 70;
    Adapters adapters(dtype, kMixedRanks, K, N, seed);
    Segments segs({9, 0, 20, 1, 33}, {4, 2, -1, 0, 3});
    Buffer x(dtype, segs.tokens * K), w(dtype, K * N), t(DType::F32, segs.tokens * adapters.weights.max_rank);
    Buffer y(dtype, segs.tokens * N);
    fill_uniform(x, seed + 3, -1.0, 1.0);
    fill_uniform(w, seed + 4, -1.0, 1.0);
    y.fill_bytes(0xFF);
    LoraLinear linear(dtype, "cpu", {}, default_lora_config("cpu", LoraForm::Segmented, adapters.weights.max_rank));
    linear(x, w, adapters.weights, segs.mapping(), t, y, segs.tokens, K, N);
    std::vector<int32_t> perToken = lora_token_adapters(segs.mapping(), segs.tokens, adapters.weights.slots);
    check_against(y, reference_lora_linear(x, w, adapters.weights, perToken, K, N), "linear");
  }
}

TEST_CASE("the LoRA reference's bound rejects a dropped scale and a wrong adapter", "[e2e][lora]") {
  // Mutated kernels stand in as mutated references: the policy must tell them apart.
  const uint64_t seed = testing::case_seed("lora mutations");
  INFO("seed " << seed);
  Adapters adapters(DType::BF16, {16, 16, 16}, 64, 48, seed);
  Buffer perTokenBuffer = i32_buffer({0, 1, 2, 1});
  std::vector<int32_t> perToken{0, 1, 2, 1}, shifted{1, 2, 0, 2};
  Buffer x(DType::BF16, 4 * 64), t(DType::F32, 4 * 16), y(DType::BF16, 4 * 48), before(DType::BF16, 4 * 48);
  fill_uniform(x, seed + 3);
  fill_uniform(y, seed + 4);
  std::memcpy(before.data(), y.data(), y.bytes());
  LoraConfig config = default_lora_config("cpu", LoraForm::Gathered, 16);
  LoraShrink(DType::BF16, "cpu", {}, config)(x, adapters.weights, LoraMapping::gathered(perTokenBuffer), t, 4, 64);
  LoraExpand(DType::BF16, "cpu", {}, config)(t, adapters.weights, LoraMapping::gathered(perTokenBuffer), y, 4, 48);
  CHECK(check(y, reference_lora_expand(t, adapters.weights, perToken, before, 48).value,
              reference_lora_expand(t, adapters.weights, perToken, before, 48).bound)
            .ok());
  CHECK_FALSE(check(t, reference_lora_shrink(x, adapters.weights, shifted, 64).value,
                    reference_lora_shrink(x, adapters.weights, shifted, 64).bound)
                  .ok());
  for (float &s : adapters.scales.as<float>())
    s = 1.0f; // the scale dropped
  LoraReference unscaled = reference_lora_expand(t, adapters.weights, perToken, before, 48);
  CHECK_FALSE(check(y, unscaled.value, unscaled.bound).ok());
}

TEST_CASE("adapter indices out of range are refused before the launch", "[e2e][lora]") {
  Adapters adapters(DType::F32, {8, 8, 8}, 64, 32, 7);
  LoraShrink shrink(DType::F32, "cpu", {}, default_lora_config("cpu", LoraForm::Gathered, 8));
  Buffer x(DType::F32, 4 * 64), t(DType::F32, 4 * 8);
  fill_uniform(x, 1);
  auto refusal = [&](const std::vector<int32_t> &indices) {
    Buffer perToken = i32_buffer(indices);
    try {
      shrink(x, adapters.weights, LoraMapping::gathered(perToken), t, 4, 64);
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::InvalidArgument);
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(refusal({0, 1, -1, 2}).empty());
  CHECK_THAT(refusal({0, 3, -1, 2}), Catch::Contains("adapter index 3 of token 1 is out of range (slots 0 .. 2"));
  CHECK_THAT(refusal({0, 1, -2, 2}), Catch::Contains("adapter index -2 of token 2"));
  CHECK_THAT(refusal({0, 1, 2, 2000000000}), Catch::Contains("adapter index 2000000000 of token 3"));

  LoraShrink segmented(DType::F32, "cpu", {}, default_lora_config("cpu", LoraForm::Segmented, 8));
  auto segmentRefusal = [&](const std::vector<int32_t> &lengths, const std::vector<int32_t> &ids) {
    Segments segs(lengths, ids);
    try {
      segmented(x, adapters.weights, segs.mapping(), t, 4, 64);
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(segmentRefusal({1, 3}, {0, -1}).empty());
  CHECK_THAT(segmentRefusal({1, 3}, {0, 7}), Catch::Contains("adapter index 7 of segment 1"));
  CHECK_THAT(segmentRefusal({1, 2}, {0, 1}), Catch::Contains("must run from 0 to the 4 tokens"));
  Buffer ranks = i32_buffer({8, 9, 8});
  LoraWeights badRank = adapters.weights;
  badRank.ranks = &ranks;
  Buffer fine = i32_buffer({0, 1, 2, 0});
  CHECK_THROWS_WITH(shrink(x, badRank, LoraMapping::gathered(fine), t, 4, 64),
                    Catch::Contains("slot 1 has rank 9 (must be 1 .. 8)"));
}

TEST_CASE("with the checks skipped, hostile indices read nothing outside the adapters", "[e2e][lora]") {
  // Bounds-checked kernels report any access outside its buffer; the adapter buffers
  // also sit between guard pages. A bad index behaves as no adapter.
  CompileOptions checked;
  checked.bounds_check = true;
  const std::vector<int32_t> hostile{3, -2, 2000000000, -2147483647 - 1, 1};
  const int64_t tokens = 5, hidden = 64, hidden_out = 40;
  Adapters adapters(DType::F32, {16, 16, 16}, hidden, hidden_out, 11, BufferMode::GuardPage);
  Buffer x(DType::F32, tokens * hidden, BufferMode::GuardPage), t(DType::F32, tokens * 16, BufferMode::GuardPage);
  Buffer y(DType::F32, tokens * hidden_out, BufferMode::GuardPage), before(DType::F32, y.count());
  fill_uniform(x, 12);
  fill_uniform(y, 13);
  std::memcpy(before.data(), y.data(), y.bytes());
  for (LoraForm form : {LoraForm::Gathered, LoraForm::Segmented}) {
    INFO((form == LoraForm::Gathered ? "gathered" : "segmented"));
    LoraConfig config = default_lora_config("cpu", form, 16);
    Buffer perToken = i32_buffer(hostile, BufferMode::GuardPage);
    Segments segs({1, 1, 1, 1, 1}, hostile);
    LoraMapping mapping = form == LoraForm::Gathered ? LoraMapping::gathered(perToken) : segs.mapping();
    CHECK_THROWS_AS(LoraShrink(DType::F32, "cpu", checked, config)(x, adapters.weights, mapping, t, tokens, hidden),
                    Error);
    t.fill_bytes(0xFF);
    LoraShrink(DType::F32, "cpu", checked, config)(x, adapters.weights, mapping, t, tokens, hidden, LoraChecks::Skip);
    LoraExpand(DType::F32, "cpu", checked, config)(t, adapters.weights, mapping, y, tokens, hidden_out,
                                                  LoraChecks::Skip);
    // Only token 4 has a real adapter: the others' t rows are 0 and their y rows unchanged.
    std::vector<int32_t> asNone{-1, -1, -1, -1, 1};
    check_against(t, reference_lora_shrink(x, adapters.weights, asNone, hidden), "shrink");
    check_against(y, reference_lora_expand(t, adapters.weights, asNone, before, hidden_out), "expand");
    std::memcpy(y.data(), before.data(), y.bytes());
  }
}

TEST_CASE("on maia-sim, hostile indices with the checks skipped move nothing outside the adapters",
          "[e2e][lora][maia]") {
  // The simulator checks every DMA and every ldw against the HBM allocations and
  // faults on the first that leaves one; none does, and the bad indices read as none.
  const std::vector<int32_t> hostile{3, -2, 2000000000, -2147483647 - 1, 1};
  const int64_t tokens = 5, hidden = 64, hidden_out = 48;
  Device device = maia::sim_device();
  Adapters host(DType::BF16, {16, 16, 16}, hidden, hidden_out, 21);
  auto onDevice = [&](const Buffer &b) {
    Buffer d = device.allocate(b.dtype(), b.count());
    std::memcpy(d.data(), b.data(), b.bytes());
    return d;
  };
  Buffer a = onDevice(host.a), bb = onDevice(host.b), ranks = onDevice(host.ranks), scales = onDevice(host.scales);
  LoraWeights weights{&a, &bb, &ranks, &scales, 3, 16};
  Buffer x = device.allocate(DType::BF16, tokens * hidden), t = device.allocate(DType::F32, tokens * 16);
  Buffer y = device.allocate(DType::BF16, tokens * hidden_out), before(DType::BF16, tokens * hidden_out);
  fill_uniform(x, 22);
  fill_uniform(y, 23);
  std::memcpy(before.data(), y.data(), y.bytes());
  for (LoraForm form : {LoraForm::Gathered, LoraForm::Segmented}) {
    INFO((form == LoraForm::Gathered ? "gathered" : "segmented"));
    LoraConfig config = default_lora_config("maia", form, 16);
    Buffer perToken = onDevice(i32_buffer(hostile));
    Segments segs({1, 1, 1, 1, 1}, hostile);
    Buffer starts = onDevice(segs.starts), ids = onDevice(segs.adapters);
    LoraMapping mapping = form == LoraForm::Gathered ? LoraMapping::gathered(perToken)
                                                     : LoraMapping::segmented(starts, ids, segs.count);
    CHECK_THROWS_AS(LoraShrink(DType::BF16, "maia", {}, config)(x, weights, mapping, t, tokens, hidden), Error);
    t.fill_bytes(0xFF);
    LoraShrink(DType::BF16, "maia", {}, config)(x, weights, mapping, t, tokens, hidden, LoraChecks::Skip);
    LoraExpand(DType::BF16, "maia", {}, config)(t, weights, mapping, y, tokens, hidden_out, LoraChecks::Skip);
    std::vector<int32_t> asNone{-1, -1, -1, -1, 1};
    check_against(t, reference_lora_shrink(x, weights, asNone, hidden), "shrink");
    check_against(y, reference_lora_expand(t, weights, asNone, before, hidden_out), "expand");
    std::memcpy(y.data(), before.data(), y.bytes());
  }
}
