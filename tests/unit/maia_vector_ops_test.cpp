// The vector unit's arithmetic beyond add and multiply (division, square roots, erf,
// sigmoid, log, row and column broadcasts, masked tails), the control processor's
// integer-to-float conversion, scalar loads and division, and the tensor unit's
// transposed product, each run on the simulator and compared with the host.
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>

using namespace tegula;
using namespace tegula::maia;

namespace {

constexpr int kRows = 5, kCols = 24;

struct Inputs {
  std::vector<float> matrix, columns, rows;
};

Inputs random_inputs(uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(0.25f, 3.0f);
  Inputs in{std::vector<float>(kRows * kCols), std::vector<float>(kCols), std::vector<float>(kRows)};
  for (auto *v : {&in.matrix, &in.columns, &in.rows})
    for (float &x : *v)
      x = dist(gen);
  return in;
}

/// Runs `op` (one line of assembly) with x20 = the matrix (TSRAM 0), x21 = the column
/// vector, x22 = the row vector, x23 = the result, x3 = columns, x4 = rows, x5 = the
/// element count; returns the result matrix.
std::vector<float> run_op(const std::string &op, const Inputs &in, std::vector<int64_t> extraArgs = {}) {
  Simulator sim;
  const uint64_t bytes = kRows * kCols * 4;
  uint64_t m = sim.hbm().allocate(bytes, "matrix"), c = sim.hbm().allocate(kCols * 4, "columns"),
           r = sim.hbm().allocate(kRows * 4, "rows"), out = sim.hbm().allocate(bytes, "out");
  std::memcpy(sim.hbm().host(m, bytes), in.matrix.data(), bytes);
  std::memcpy(sim.hbm().host(c, kCols * 4), in.columns.data(), kCols * 4);
  std::memcpy(sim.hbm().host(r, kRows * 4), in.rows.data(), kRows * 4);
  std::memset(sim.hbm().host(out, bytes), 0xFF, bytes);
  std::string program = R"(
  arg x1, 0
  arg x2, 1
  arg x6, 2
  arg x7, 3
  arg x10, 4
  arg x11, 5
  li x20, 0
  li x21, 1024
  li x22, 2048
  li x23, 4096
  li x3, )" + std::to_string(kCols) + R"(
  li x4, )" + std::to_string(kRows) + R"(
  li x5, )" + std::to_string(kRows * kCols) + R"(
  li x8, 1
  li x9, )" + std::to_string(bytes) + R"(
  li x12, )" + std::to_string(kCols * 4) + R"(
  li x13, )" + std::to_string(kRows * 4) + R"(
  dma.in x20, x1, x8, x9, x9, 0, s1
  dma.in x21, x2, x8, x12, x12, 0, s1
  dma.in x22, x6, x8, x13, x13, 0, s1
  wait s1, 3
  vcopy x23, x20, x5, s2
  wait s2, 1
  )" + op + R"(
  wait s3, 1
  dma.out x7, x23, x8, x9, x9, 0, s4
  wait s4, 1
  halt
)";
  std::vector<int64_t> args{static_cast<int64_t>(m), static_cast<int64_t>(c), static_cast<int64_t>(r),
                            static_cast<int64_t>(out), 0, 0};
  for (size_t i = 0; i < extraArgs.size(); ++i)
    args[4 + i] = extraArgs[i];
  sim.run(assemble(program), {1, 1, 1}, args);
  std::vector<float> result(kRows * kCols);
  std::memcpy(result.data(), sim.hbm().host(out, bytes), bytes);
  return result;
}

void check_elementwise(const std::string &op, const Inputs &in, const std::function<float(int, int)> &expected) {
  INFO(op);
  std::vector<float> got = run_op(op, in);
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c) {
      INFO("row " << r << " column " << c);
      float want = expected(r, c), have = got[r * kCols + c];
      CHECK(std::memcmp(&want, &have, 4) == 0); // bit-exact, as the spec says
    }
}

} // namespace

TEST_CASE("the vector unit's division, roots, erf, sigmoid and log are f32 operations", "[maia][sim][vector]") {
  Inputs in = random_inputs(3);
  auto x = [&](int r, int c) { return in.matrix[r * kCols + c]; };
  // Division over the first row's kCols elements by the column vector (the other rows
  // keep the copy); the unary ops over the whole matrix as one vector.
  check_elementwise("vdiv x23, x20, x21, x3, s3", in,
                    [&](int r, int c) { return r == 0 ? x(r, c) / in.columns[c] : x(r, c); });
  check_elementwise("vsqrt x23, x20, x5, s3", in, [&](int r, int c) { return std::sqrt(x(r, c)); });
  check_elementwise("vrsqrt x23, x20, x5, s3", in, [&](int r, int c) { return 1.0f / std::sqrt(x(r, c)); });
  check_elementwise("verf x23, x20, x5, s3", in, [&](int r, int c) { return std::erf(x(r, c)); });
  check_elementwise("vsigmoid x23, x20, x5, s3", in,
                    [&](int r, int c) { return 1.0f / (1.0f + std::exp(-x(r, c))); });
  check_elementwise("vlog x23, x20, x5, s3", in, [&](int r, int c) { return std::log(x(r, c)); });
}

TEST_CASE("row and column broadcasts apply one vector element per row or per column", "[maia][sim][vector]") {
  Inputs in = random_inputs(4);
  auto x = [&](int r, int c) { return in.matrix[r * kCols + c]; };
  check_elementwise("vrowmul x23, x20, x22, x3, x4, s3", in, [&](int r, int c) { return x(r, c) * in.rows[r]; });
  check_elementwise("vcoladd x23, x20, x21, x3, x4, s3", in,
                    [&](int r, int c) { return x(r, c) + in.columns[c]; });
  check_elementwise("vcolmul x23, x20, x21, x3, x4, s3", in,
                    [&](int r, int c) { return x(r, c) * in.columns[c]; });
}

TEST_CASE("vfilltail fills each row from a limit that may step along a diagonal", "[maia][sim][vector]") {
  Inputs in = random_inputs(5);
  auto x = [&](int r, int c) { return in.matrix[r * kCols + c]; };
  const float fill = -INFINITY;
  uint32_t bits;
  std::memcpy(&bits, &fill, 4);
  // Limit from argument 4, fill bits from argument 5; x10 and x11 hold them.
  for (int64_t step : {0, 1, -3})
    for (int64_t limit : {-2, 0, 7, kCols, kCols + 4}) {
      std::string op = "vfilltail x23, x10, x11, x3, x4, " + std::to_string(step) + ", s3";
      INFO(op << " limit " << limit);
      std::vector<float> got = run_op(op, in, {limit, static_cast<int64_t>(bits)});
      for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c) {
          int64_t first = std::clamp<int64_t>(limit + r * step, 0, kCols);
          float want = c >= first ? fill : x(r, c);
          CHECK(std::memcmp(&want, &got[r * kCols + c], 4) == 0);
        }
    }
}

TEST_CASE("cvtf converts an integer register to f32 bits for the vector unit", "[maia][sim][vector]") {
  Simulator sim;
  uint64_t out = sim.hbm().allocate(16, "out");
  Program p = assemble(R"(
  arg x1, 0
  arg x2, 1
  cvtf x3, x2
  li x4, 0
  li x5, 4
  vfill x4, x3, x5, s1
  wait s1, 1
  li x6, 1
  li x7, 16
  dma.out x1, x4, x6, x7, x7, 0, s2
  wait s2, 1
  halt
)");
  for (int64_t value : {int64_t{0}, int64_t{1031}, int64_t{-7}, int64_t{16777217}, int64_t{1} << 40}) {
    sim.run(p, {1, 1, 1}, {static_cast<int64_t>(out), value});
    float got[4];
    std::memcpy(got, sim.hbm().host(out, 16), 16);
    INFO(value);
    for (float g : got)
      CHECK(g == static_cast<float>(value));
  }
}

TEST_CASE("ldw reads a word of HBM into a register, and faults outside every allocation", "[maia][sim][vector]") {
  Simulator sim;
  uint64_t data = sim.hbm().allocate(16, "offsets"), out = sim.hbm().allocate(8, "out");
  const int32_t words[4] = {7, -3, 1000000, 42};
  std::memcpy(sim.hbm().host(data, 16), words, 16);
  // out[0] = words[1] / words[0] * 1 (-3 / 7 = 0, toward zero), out[1] = words[2] / words[1].
  Program p = assemble(R"(
  arg x1, 0
  arg x2, 1
  ldw x3, x1
  addi x4, x1, 4
  ldw x5, x4
  addi x4, x1, 8
  ldw x6, x4
  div x7, x5, x3
  div x8, x6, x5
  cvtf x7, x7
  cvtf x8, x8
  li x9, 0
  li x10, 1
  vfill x9, x7, x10, s1
  li x11, 4
  vfill x11, x8, x10, s1
  wait s1, 2
  li x12, 8
  dma.out x2, x9, x10, x12, x12, 0, s2
  wait s2, 1
  halt
)");
  SimStats stats = sim.run(p, {1, 1, 1}, {static_cast<int64_t>(data), static_cast<int64_t>(out)});
  float got[2];
  std::memcpy(got, sim.hbm().host(out, 8), 8);
  CHECK(got[0] == 0.0f);
  CHECK(got[1] == static_cast<float>(1000000 / -3));
  CHECK(stats.hbm_bytes_read == 12);

  Program past = assemble("  arg x1, 0\n  addi x1, x1, 16\n  ldw x2, x1\n  halt\n");
  try {
    sim.run(past, {1, 1, 1}, {static_cast<int64_t>(data)});
    FAIL("a load past the allocation ran");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::DeviceFault);
    CHECK_THAT(e.what(), Catch::Contains("pc 2: `ldw x2, x1`") && Catch::Contains("outside every allocation"));
  }
  Program zero = assemble("  li x1, 5\n  div x2, x1, x0\n  halt\n");
  try {
    sim.run(zero, {1, 1, 1}, {});
    FAIL("a division by zero ran");
  } catch (const Error &e) {
    CHECK_THAT(e.what(), Catch::Contains("integer division by zero"));
  }
}

TEST_CASE("mma.t multiplies by B stored transposed, with the bits of mma", "[maia][sim][vector]") {
  // C = A B with B given once as [K, N] (mma) and once as [N, K] (mma.t).
  const int M = 16, N = 32, K = 48;
  std::mt19937 gen(9);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<uint16_t> a(M * K), b(K * N), bt(N * K);
  for (auto &x : a)
    x = float_to_bf16(dist(gen));
  for (int k = 0; k < K; ++k)
    for (int n = 0; n < N; ++n)
      bt[n * K + k] = b[k * N + n] = float_to_bf16(dist(gen));
  auto product = [&](bool transposed) {
    Simulator sim;
    uint64_t ha = sim.hbm().allocate(a.size() * 2, "a"), hb = sim.hbm().allocate(b.size() * 2, "b"),
             hc = sim.hbm().allocate(M * N * 4, "c");
    std::memcpy(sim.hbm().host(ha, a.size() * 2), a.data(), a.size() * 2);
    std::memcpy(sim.hbm().host(hb, b.size() * 2), (transposed ? bt : b).data(), b.size() * 2);
    std::string mma = transposed ? "mma.t" : "mma";
    Program p = assemble(R"(
  arg x1, 0
  arg x2, 1
  arg x3, 2
  li x4, 0
  li x5, 8192
  li x6, 16384
  li x7, 1
  li x8, )" + std::to_string(M * K * 2) + R"(
  li x9, )" + std::to_string(K * N * 2) + R"(
  dma.in x4, x1, x7, x8, x8, 0, s1
  dma.in x5, x2, x7, x9, x9, 0, s1
  li x10, )" + std::to_string(M * N) + R"(
  vfill x6, x0, x10, s2
  wait s1, 2
  wait s2, 1
  li x11, )" + std::to_string(M) + R"(
  li x12, )" + std::to_string(N) + R"(
  )" + mma + " x6, x4, x5, x11, x12, " + std::to_string(K) + R"(, s3
  wait s3, 1
  li x13, )" + std::to_string(M * N * 4) + R"(
  dma.out x3, x6, x7, x13, x13, 0, s4
  wait s4, 1
  halt
)");
    sim.run(p, {1, 1, 1}, {static_cast<int64_t>(ha), static_cast<int64_t>(hb), static_cast<int64_t>(hc)});
    std::vector<float> c(M * N);
    std::memcpy(c.data(), sim.hbm().host(hc, M * N * 4), M * N * 4);
    return c;
  };
  std::vector<float> plain = product(false), transposed = product(true);
  CHECK(std::memcmp(plain.data(), transposed.data(), plain.size() * 4) == 0);
  CHECK(plain[0] != 0.0f);
}
