// The rest of the kernel language, executed: join/split, reductions with a traced
// combiner, bitwise operators, cummin, device_print and device_assert.
#include "testing.h"

#include "tegula/compiler/compile.h"
#include "tegula/dsl.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tegula;
using namespace tegula::dsl;
using namespace tegula::kernels;
using tegula::testing::case_seed;

namespace {

constexpr int N = 32;

// out[2i] = x[i] * 2, out[2i+1] = x[i] + 1 via join; then split back and check halves.
void join_split_kernel(Ptr<f32> x, Ptr<f32> joined, Ptr<f32> first, Ptr<f32> second) {
  auto i = arange(N);
  auto v = load(x + i);
  auto pair = join(v * 2.0, v + 1.0);                   // [N, 2]
  store(joined + i.col() * 2 + arange(2).row(), pair);
  auto [a, b] = split(pair);
  store(first + i, a);
  store(second + i, b);
}

// Row-wise maximum and product with traced combiners.
void custom_reduce_kernel(Ptr<f32> x, Ptr<f32> rmax, Ptr<f32> rprod, Int M) {
  auto rows = program_id(0) * 4 + arange(4);
  auto cols = arange(8);
  auto ok = rows.col() < M;
  auto t = load(x + rows.col() * 8 + cols.row(), ok, 1.0);
  store(rmax + rows, reduce(t, 1, [](Float a, Float b) { return maximum(a, b); }), rows < M);
  store(rprod + rows, reduce(t, 1, [](Float a, Float b) { return a * b; }), rows < M);
}

void bitwise_kernel(Ptr<i32> x, Ptr<i32> out) {
  auto i = arange(N);
  auto v = load(x + i);
  store(out + 0 * N + i, v & 0xF0);
  store(out + 1 * N + i, v | 3);
  store(out + 2 * N + i, v ^ i);
  store(out + 3 * N + i, v << 2);
  store(out + 4 * N + i, v >> 1);
  store(out + 5 * N + i, cummin(v, 0));
  store(out + 6 * N + i, cast<i32>(!(v < 0)));
}

void print_kernel(Ptr<f32> x, Ptr<i32> y) {
  auto i = arange(4);
  device_print("x", load(x + i));
  device_print("y", load(y + i), load(y + i) * 2);
}

int gAssertLine = 0;
void assert_kernel(Ptr<f32> x, Int n) {
  auto i = program_id(0) * 16 + arange(16);
  auto v = load(x + i, i < n, 0.0);
  gAssertLine = __LINE__ + 1;
  device_assert(v >= 0.0, "inputs must be non-negative");
  store(x + i, sqrt(v), i < n);
}

template <typename Fn> std::shared_ptr<const CompiledKernel> build(const char *name, Fn fn) {
  return compile_traced(trace(name, fn, {}), "cpu");
}

/// Runs `fn` with stdout sent to a file and returns what it printed.
template <typename Fn> std::string capture_stdout(Fn fn) {
  std::fflush(stdout);
  std::string path = "/tmp/tegula_print_" + std::to_string(getpid()) + ".txt";
  int saved = dup(1);
  FILE *file = std::fopen(path.c_str(), "w");
  dup2(fileno(file), 1);
  fn();
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::fclose(file);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path.c_str());
  return text.str();
}

} // namespace

TEST_CASE("join interleaves and split takes it apart", "[e2e][extras]") {
  uint64_t seed = case_seed("join");
  INFO("seed " << seed);
  Buffer x(DType::F32, N), joined(DType::F32, 2 * N), first(DType::F32, N), second(DType::F32, N);
  fill_uniform(x, seed);
  for (Buffer *b : {&joined, &first, &second})
    b->fill_bytes(0xFF);
  build("join_split", &join_split_kernel)->launch(Grid(1), x, joined, first, second);
  for (int i = 0; i < N; ++i) {
    float v = x.as<float>()[i];
    CHECK(joined.as<float>()[2 * i] == v * 2.0f);
    CHECK(joined.as<float>()[2 * i + 1] == v + 1.0f);
    CHECK(first.as<float>()[i] == v * 2.0f);
    CHECK(second.as<float>()[i] == v + 1.0f);
  }
}

TEST_CASE("reductions with traced combiners", "[e2e][extras]") {
  const int64_t M = 10;
  uint64_t seed = case_seed("custom reduce");
  INFO("seed " << seed);
  Buffer x(DType::F32, M * 8), rmax(DType::F32, M), rprod(DType::F32, M);
  fill_uniform(x, seed, 0.5, 1.5);
  rmax.fill_bytes(0xFF);
  rprod.fill_bytes(0xFF);
  build("custom_reduce", &custom_reduce_kernel)->launch(Grid(3), x, rmax, rprod, M);
  for (int64_t r = 0; r < M; ++r) {
    const float *row = x.as<float>().data() + r * 8;
    double prod = 1;
    for (int c = 0; c < 8; ++c)
      prod *= row[c];
    CHECK(rmax.as<float>()[r] == *std::max_element(row, row + 8));
    CHECK(std::fabs(rprod.as<float>()[r] - prod) <= 8 * 6e-8 * std::fabs(prod));
  }
}

TEST_CASE("bitwise operators, shifts, cummin and negated masks", "[e2e][extras]") {
  uint64_t seed = case_seed("bitwise");
  INFO("seed " << seed);
  Buffer x(DType::I32, N), out(DType::I32, 7 * N);
  fill_uniform(x, seed, -1000, 1000);
  out.fill_bytes(0xFF);
  build("bitwise", &bitwise_kernel)->launch(Grid(1), x, out);
  int32_t running = INT32_MAX;
  for (int i = 0; i < N; ++i) {
    int32_t v = x.as<int32_t>()[i];
    running = std::min(running, v);
    CHECK(out.as<int32_t>()[0 * N + i] == (v & 0xF0));
    CHECK(out.as<int32_t>()[1 * N + i] == (v | 3));
    CHECK(out.as<int32_t>()[2 * N + i] == (v ^ i));
    CHECK(out.as<int32_t>()[3 * N + i] == static_cast<int32_t>(static_cast<uint32_t>(v) << 2));
    CHECK(out.as<int32_t>()[4 * N + i] == (v >> 1));
    CHECK(out.as<int32_t>()[5 * N + i] == running);
    CHECK(out.as<int32_t>()[6 * N + i] == (v >= 0 ? 1 : 0));
  }
}

TEST_CASE("device_print shows each element with its program and line", "[e2e][extras]") {
  Buffer x(DType::F32, 4), y(DType::I32, 4);
  for (int i = 0; i < 4; ++i) {
    x.as<float>()[i] = 0.5f + static_cast<float>(i);
    y.as<int32_t>()[i] = 10 * i - 7;
  }
  auto kernel = build("print", &print_kernel);
  LaunchOptions one;
  one.threads = 1;
  std::vector<Arg> args{x, y};
  std::string text = capture_stdout([&] { kernel->launch(Grid(2), args, one); });
  INFO(text);
  CHECK(text.find("[program (1,0,0)] print \"x\" at ") != std::string::npos);
  CHECK(text.find("language_extras_test.cpp") != std::string::npos);
  CHECK(text.find("[3] = 3.5") != std::string::npos);
  CHECK(text.find("[0] = -7") != std::string::npos);
  CHECK(text.find("[3] = 46") != std::string::npos); // (10*3-7)*2
  CHECK(std::count(text.begin(), text.end(), '\n') == 2 * (4 + 8));
}

TEST_CASE("device_assert fails the launch with the line, program and element", "[e2e][extras]") {
  auto kernel = build("assert", &assert_kernel);
  const int64_t n = 40;
  Buffer x(DType::F32, n);
  for (int64_t i = 0; i < n; ++i)
    x.as<float>()[i] = static_cast<float>(i);
  kernel->launch(Grid(3), x, n); // all non-negative: passes
  x.as<float>()[21] = -1.0f;
  try {
    kernel->launch(Grid(3), x, n);
    FAIL("the failed assertion was not reported");
  } catch (const Error &e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(e.code() == ErrorCode::AssertionFailed);
    CHECK(msg.find("inputs must be non-negative") != std::string::npos);
    CHECK(msg.find("language_extras_test.cpp:" + std::to_string(gAssertLine)) != std::string::npos);
    CHECK(msg.find("program (1,0,0)") != std::string::npos);
    CHECK(msg.find("element 5") != std::string::npos);
  }
}
