// The cross-backend checker: every kernel passes on the CPU and, where its lowering
// supports it, on maia-sim; each mutation (a transposed operand, an off-by-one mask, a
// dropped scale) makes the kernel it applies to fail; records round-trip through JSON,
// inputs hash the same for a seed on every backend, and comparisons flag runs that
// disagree and measure how far apart two backends' outputs are.
#include "testing.h"

#include "tegula/runtime/error.h"
#include "tegula/xcheck/xcheck.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

using namespace tegula;
using namespace tegula::xcheck;
using kernels::Mutation;

namespace {

std::vector<Record> run_all(const std::vector<Case> &cases, uint64_t seed, Mutation mutation = Mutation::None) {
  std::vector<Record> records;
  for (const Case &c : cases)
    records.push_back(run(c, seed, mutation));
  return records;
}

std::string describe(const Record &r) {
  return r.what.kernel + " " + r.what.backend + " " + std::string(dtype_name(r.what.dtype)) + " " + r.shape_text() +
         " " + status_name(r.status) + ": " + r.message;
}

} // namespace

TEST_CASE("xcheck passes every kernel on cpu, and on maia-sim what maia compiles", "[e2e][xcheck]") {
  const uint64_t seed = testing::case_seed("xcheck sweep");
  INFO("seed " << seed);
  std::vector<Record> records = run_all(default_cases("", backends()), seed);
  REQUIRE(records.size() > 40);
  std::map<std::string, int> maiaPasses;
  for (const Record &r : records) {
    INFO(describe(r));
    if (r.what.backend == "cpu") {
      CHECK(r.status == Status::Pass);
    } else {
      // maia either runs the kernel within the bound or says, at compile time, why not.
      CHECK((r.status == Status::Pass || r.status == Status::Unsupported));
      if (r.status == Status::Unsupported)
        CHECK(r.message.find("compile error") != std::string::npos);
      if (r.status == Status::Pass)
        ++maiaPasses[r.what.kernel];
    }
    if (r.status == Status::Pass) {
      CHECK(r.elements > 0);
      CHECK(r.unwritten == 0);
    }
  }
  for (const char *kernel : {"vector_add", "softmax", "gemm", "gemm_relu"})
    CHECK(maiaPasses[kernel] > 0);
}

TEST_CASE("xcheck fails each mutation on the kernels it applies to", "[e2e][xcheck]") {
  const uint64_t seed = testing::case_seed("xcheck mutations");
  INFO("seed " << seed);
  struct Expect {
    Mutation mutation;
    std::vector<std::string> kernels;
  };
  for (const Expect &e : std::vector<Expect>{
           {Mutation::TransposedOperand, {"gemm"}},
           {Mutation::MaskOffByOne, {"softmax", "attention_causal"}},
           {Mutation::DroppedScale, {"attention", "lora_sgmv", "lora_bgmv", "lora_linear"}}}) {
    for (const std::string &kernel : e.kernels) {
      for (const Record &r : run_all(default_cases(kernel, backends()), seed, e.mutation)) {
        INFO(kernels::mutation_name(e.mutation) << ": " << describe(r));
        // A mutated kernel that maia cannot compile is not a pass either.
        if (r.what.backend == "cpu")
          CHECK(r.status == Status::Fail);
        else
          CHECK(r.status != Status::Pass);
      }
    }
  }
}

TEST_CASE("every backend sees the same inputs for a seed; another seed draws others", "[e2e][xcheck]") {
  Case cpu{"softmax", "cpu", DType::BF16, {37, 1031}}, maia{"softmax", "maia", DType::BF16, {37, 1031}};
  Record a = run(cpu, 5), b = run(maia, 5), c = run(cpu, 6);
  REQUIRE(a.status == Status::Pass);
  REQUIRE(b.status == Status::Pass);
  CHECK(a.seed == b.seed);
  CHECK(a.input_hash == b.input_hash);
  CHECK(a.input_hash != c.input_hash);
  CHECK(run(cpu, 5).output_hash == a.output_hash); // deterministic on one backend
}

TEST_CASE("xcheck records round-trip through JSON and comparisons flag disagreement", "[e2e][xcheck]") {
  std::vector<Record> records = run_all(default_cases("gemm_relu", backends()), 3);
  std::vector<Record> back = from_json(to_json(records));
  REQUIRE(back.size() == records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    CHECK(back[i].what.kernel == records[i].what.kernel);
    CHECK(back[i].what.backend == records[i].what.backend);
    CHECK(back[i].what.dtype == records[i].what.dtype);
    CHECK(back[i].what.shape == records[i].what.shape);
    CHECK(back[i].seed == records[i].seed);
    CHECK(back[i].status == records[i].status);
    CHECK(back[i].input_hash == records[i].input_hash);
    CHECK(back[i].output_hash == records[i].output_hash);
    CHECK(back[i].message == records[i].message);
  }
  Comparison same = compare(records, back);
  CHECK(same.ok());
  CHECK(same.matched == same.identical);
  CHECK(same.matched > 0);

  std::vector<Record> otherMachine = back;
  otherMachine[0].input_hash ^= 1; // a generator that draws differently
  Comparison drawn = compare(records, otherMachine);
  CHECK_FALSE(drawn.ok());
  CHECK_THAT(drawn.lines[0], Catch::Contains("DIFFERENT INPUTS"));

  std::vector<Record> failing = back;
  failing[0].status = Status::Fail;
  CHECK_FALSE(compare(records, failing).ok());

  std::vector<Record> rounding = back;
  rounding[0].output_hash ^= 1; // another machine's rounding, still within the bound
  Comparison differ = compare(records, rounding);
  CHECK(differ.ok());
  CHECK(differ.identical == differ.matched - 1);

  std::vector<Record> fewer(back.begin() + 1, back.end());
  CHECK(compare(records, fewer).only_one == 1);
}

TEST_CASE("xcheck compares backend against backend, by how much from saved outputs", "[e2e][xcheck]") {
  std::vector<Record> records = run_all(default_cases("gemm", {"cpu", "maia"}), 5);
  Comparison c = compare_backends(records);
  // gemm runs on cpu and maia in each of its three dtypes (f32 and f16 on maia's vector
  // unit).
  CHECK(c.backend_pairs == 3);
  CHECK(c.ok());
  const auto bf16 = [](const Record &r) { return r.what.dtype == DType::BF16; };
  auto cpu = std::find_if(records.begin(), records.end(),
                          [&](const Record &r) { return bf16(r) && r.what.backend == "cpu"; });
  REQUIRE(cpu != records.end());
  REQUIRE(cpu->values.size() == cpu->elements);
  REQUIRE(cpu->bounds.size() == cpu->elements);

  // Another rounding on one side: the pair differs, by a measured fraction of the bound.
  std::vector<Record> perturbed = records;
  for (Record &r : perturbed)
    if (bf16(r) && r.what.backend == "cpu") {
      r.output_hash ^= 1;
      r.values[7] += r.bounds[7] / 4;
    }
  Comparison differ = compare_backends(perturbed);
  CHECK(differ.backend_identical == differ.backend_pairs - 1);
  CHECK(differ.worst_pair_ratio == Approx(0.25).epsilon(1e-6));

  // Saved and loaded back through the records' JSON, a second run on another "machine"
  // with only the other backend pairs up with the first.
  const std::string dir = "xcheck-outputs-" + std::to_string(tegula::testing::base_seed());
  save_outputs(perturbed, dir);
  std::vector<Record> back = from_json(to_json(perturbed));
  std::vector<Record> cpuOnly, maiaOnly;
  for (Record &r : back) {
    CHECK(r.values.empty());
    (r.what.backend == "cpu" ? cpuOnly : maiaOnly).push_back(r);
  }
  Comparison machines = compare(cpuOnly, maiaOnly);
  CHECK(machines.matched == 0);
  CHECK(machines.backend_pairs == 3);
  CHECK(machines.worst_pair_ratio == Approx(0.25).epsilon(1e-6));
  CHECK(machines.ok());

  // A damaged outputs file is a load error naming it.
  Record broken = back[0];
  broken.values.clear();
  std::FILE *f = std::fopen(broken.outputs_file.c_str(), "r+b");
  REQUIRE(f);
  std::fputs("XXXX", f);
  std::fclose(f);
  try {
    load_outputs(broken);
    FAIL("a damaged outputs file was read");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::LoadError);
    CHECK_THAT(std::string(e.what()), Catch::Contains(broken.outputs_file));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("malformed xcheck records are load errors naming the problem", "[e2e][xcheck]") {
  auto message = [](const std::string &text) {
    try {
      from_json(text);
    } catch (const Error &e) {
      CHECK(e.code() == ErrorCode::LoadError);
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  CHECK(from_json("[]").empty());
  CHECK_THAT(message("{"), Catch::Contains("expected '['"));
  CHECK_THAT(message("[{\"kernel\": \"gemm\"}]"), Catch::Contains("record 0 has no 'backend'"));
  CHECK_THAT(message("[{\"kernel\": \"gemm\", \"backend\": \"cpu\", \"dtype\": \"f33\"}]"),
             Catch::Contains("unknown dtype 'f33'"));
  CHECK_THAT(message("[{\"kernel\": \"gemm\""), Catch::Contains("unexpected end of input"));
  std::string good = to_json(run_all(default_cases("vector_add", {"cpu"}), 1));
  std::string badSeed = good;
  badSeed.replace(badSeed.find("\"seed\": ") + 8, 1, "x");
  CHECK_THAT(message(badSeed), Catch::Contains("'seed' is not an integer"));
  // Found by fuzz_xcheck_json: both escaped as std::out_of_range / std::invalid_argument.
  std::string emptyShape = good;
  emptyShape.replace(emptyShape.find("\"shape\": [") + 9, emptyShape.find(']') - emptyShape.find("\"shape\": [") - 8,
                     "\"\"");
  CHECK_THAT(message(emptyShape), Catch::Contains("'shape' is not a list of sizes"));
  std::string badError = good;
  badError.replace(badError.find("\"max_abs_error\": ") + 17, 1, "e");
  CHECK_THAT(message(badError), Catch::Contains("'max_abs_error' is not a number"));
}

TEST_CASE("xcheck refuses unknown kernels, backends and shapes with the reason", "[e2e][xcheck]") {
  CHECK_THROWS_WITH(default_cases("gemv", {"cpu"}), Catch::Contains("unknown kernel 'gemv'"));
  Record r = run({"gemm", "tpu", DType::F32, {4, 4, 4}}, 1);
  CHECK(r.status == Status::Error);
  CHECK_THAT(r.message, Catch::Contains("unknown backend 'tpu'"));
  Record shape = run({"gemm", "cpu", DType::F32, {4, 4}}, 1);
  CHECK(shape.status == Status::Error);
  CHECK_THAT(shape.message, Catch::Contains("gemm takes 3 sizes (M, N, K), got 2"));
}
