// The vector unit's arithmetic beyond add and multiply (division, square roots, erf,
// sigmoid, log, row and column broadcasts, masked tails) and the control processor's
// integer-to-float conversion, each run on the simulator and compared with the same
// f32 arithmetic on the host.
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

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
