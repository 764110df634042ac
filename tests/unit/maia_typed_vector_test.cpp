// The typed vector unit (vt.*): integer arithmetic that wraps at each width, f16, bf16
// and f64 arithmetic rounded once, comparisons with NaNs, selects, conversions, fills
// and iotas, each run on the simulator on random inputs and compared with the host;
// and the assembler's spelling of element types.
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>

using namespace tegula;
using namespace tegula::maia;

namespace {

constexpr int kCount = 37; // not a multiple of the lanes
constexpr int kBytes = kCount * 8;

/// Runs `op` (one line of assembly) with x20 = A (TSRAM 0), x21 = B (TSRAM 4096),
/// x22 = the mask bytes (TSRAM 8192), x23 = the result (TSRAM 12288, poisoned), x5 =
/// the element count and x6 = `scalar`; returns the result's bytes.
std::vector<uint8_t> run_op(const std::string &op, std::vector<uint8_t> a, std::vector<uint8_t> b,
                            std::vector<uint8_t> mask, int64_t scalar = 0) {
  a.resize(kBytes); // an operand the op does not read may be given empty
  b.resize(kBytes);
  mask.resize(kCount);
  Simulator sim;
  uint64_t ha = sim.hbm().allocate(kBytes, "a"), hb = sim.hbm().allocate(kBytes, "b"),
           hm = sim.hbm().allocate(kCount, "mask"), out = sim.hbm().allocate(kBytes, "out");
  std::memcpy(sim.hbm().host(ha, kBytes), a.data(), kBytes);
  std::memcpy(sim.hbm().host(hb, kBytes), b.data(), kBytes);
  std::memcpy(sim.hbm().host(hm, kCount), mask.data(), kCount);
  std::string program = R"(
  arg x1, 0
  arg x2, 1
  arg x3, 2
  arg x7, 3
  arg x6, 4
  li x20, 0
  li x21, 4096
  li x22, 8192
  li x23, 12288
  li x5, )" + std::to_string(kCount) + R"(
  li x8, 1
  li x9, )" + std::to_string(kBytes) + R"(
  li x10, )" + std::to_string(kCount) + R"(
  li x11, 0x5a5a
  dma.in x20, x1, x8, x9, x9, 0, s1
  dma.in x21, x2, x8, x9, x9, 0, s1
  dma.in x22, x3, x8, x10, x10, 0, s1
  vt.fill x23, x11, x9, u8, s2
  wait s1, 3
  wait s2, 1
  )" + op + R"(
  wait s3, 1
  dma.out x7, x23, x8, x9, x9, 0, s4
  wait s4, 1
  halt
)";
  sim.run(assemble(program), {1, 1, 1},
          {static_cast<int64_t>(ha), static_cast<int64_t>(hb), static_cast<int64_t>(hm), static_cast<int64_t>(out),
           scalar});
  std::vector<uint8_t> result(kBytes);
  std::memcpy(result.data(), sim.hbm().host(out, kBytes), kBytes);
  return result;
}

template <typename T> std::vector<uint8_t> bytes_of(const std::vector<T> &v) {
  std::vector<uint8_t> out(kBytes, 0);
  std::memcpy(out.data(), v.data(), v.size() * sizeof(T));
  return out;
}
template <typename T> T at(const std::vector<uint8_t> &bytes, int i) {
  T v;
  std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
  return v;
}

template <typename T> std::vector<T> random_ints(std::mt19937_64 &gen) {
  std::vector<T> v(kCount);
  for (T &x : v)
    x = static_cast<T>(gen());
  return v;
}

/// Integer ops of one width against wrapping host arithmetic.
template <typename T> void check_integers(const char *type, uint64_t seed) {
  INFO("type " << type << ", seed " << seed);
  std::mt19937_64 gen(seed);
  auto a = random_ints<T>(gen), b = random_ints<T>(gen);
  std::vector<T> shifts(kCount), divisors = b;
  const int width = 8 * sizeof(T);
  for (int i = 0; i < kCount; ++i) {
    shifts[i] = static_cast<T>(gen() % width);
    if (divisors[i] == 0 || divisors[i] == static_cast<T>(-1))
      divisors[i] = 3;
  }
  using U = std::make_unsigned_t<T>;
  // Wrapping arithmetic in uint64 (narrower unsigned types would promote to int, whose
  // overflow is undefined); the cast to T keeps the low bits.
  auto ua = [&](int i) { return static_cast<uint64_t>(static_cast<U>(a[i])); };
  auto ub = [&](const std::vector<T> &v, int i) { return static_cast<uint64_t>(static_cast<U>(v[i])); };
  struct Case {
    const char *op;
    std::vector<T> rhs;
    std::function<T(int)> want;
  };
  std::vector<Case> cases = {
      {"add", b, [&](int i) { return static_cast<T>(ua(i) + ub(b, i)); }},
      {"sub", b, [&](int i) { return static_cast<T>(ua(i) - ub(b, i)); }},
      {"mul", b, [&](int i) { return static_cast<T>(ua(i) * ub(b, i)); }},
      {"div", divisors, [&](int i) { return static_cast<T>(a[i] / divisors[i]); }},
      {"rem", divisors, [&](int i) { return static_cast<T>(a[i] % divisors[i]); }},
      {"max", b, [&](int i) { return std::max(a[i], b[i]); }},
      {"min", b, [&](int i) { return std::min(a[i], b[i]); }},
      {"and", b, [&](int i) { return static_cast<T>(a[i] & b[i]); }},
      {"or", b, [&](int i) { return static_cast<T>(a[i] | b[i]); }},
      {"xor", b, [&](int i) { return static_cast<T>(a[i] ^ b[i]); }},
      {"shl", shifts, [&](int i) { return static_cast<T>(ua(i) << shifts[i]); }},
      {"shr", shifts, [&](int i) { return static_cast<T>(a[i] >> shifts[i]); }},
      {"shru", shifts, [&](int i) { return static_cast<T>(ua(i) >> shifts[i]); }},
  };
  for (const Case &c : cases) {
    INFO("vt." << c.op);
    auto got = run_op(std::string("vt.") + c.op + " x23, x20, x21, x5, " + type + ", s3", bytes_of(a),
                      bytes_of(c.rhs), std::vector<uint8_t>(kCount));
    for (int i = 0; i < kCount; ++i) {
      INFO("element " << i << ": " << +a[i] << ", " << +c.rhs[i]);
      CHECK(at<T>(got, i) == c.want(i));
    }
    // Nothing past the last element is written.
    if (kCount * sizeof(T) < kBytes)
      CHECK(got[kCount * sizeof(T)] == 0x5a);
  }
  // Unsigned and signed comparisons, one byte each.
  auto lt = run_op(std::string("vt.lt x23, x20, x21, x5, ") + type + ", s3", bytes_of(a), bytes_of(b), {});
  auto ltu = run_op(std::string("vt.ltu x23, x20, x21, x5, ") + type + ", s3", bytes_of(a), bytes_of(b), {});
  for (int i = 0; i < kCount; ++i) {
    CHECK(lt[i] == (a[i] < b[i] ? 1 : 0));
    CHECK(ltu[i] == (ua(i) < ub(b, i) ? 1 : 0));
  }
}

} // namespace

TEST_CASE("typed integer arithmetic wraps at each width", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  check_integers<int8_t>("i8", seed);
  check_integers<int16_t>("i16", seed + 1);
  check_integers<int32_t>("i32", seed + 2);
  check_integers<int64_t>("i64", seed + 3);
}

TEST_CASE("typed float arithmetic rounds once to f16, bf16, f32 and f64", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(-8.0, 8.0);
  std::vector<double> a(kCount), b(kCount);
  for (int i = 0; i < kCount; ++i) {
    a[i] = dist(gen);
    b[i] = dist(gen);
  }
  b[3] = NAN; // max and min drop a NaN; comparisons with one are false but for ne
  for (const char *op : {"add", "sub", "mul", "div", "max", "min"}) {
    INFO("vt." << op);
    auto apply = [&](double x, double y) {
      std::string o = op;
      return o == "add" ? x + y : o == "sub" ? x - y : o == "mul" ? x * y : o == "div" ? x / y
             : o == "max" ? std::fmax(x, y) : std::fmin(x, y);
    };
    // f64: exact double arithmetic.
    auto got = run_op(std::string("vt.") + op + " x23, x20, x21, x5, f64, s3", bytes_of(a), bytes_of(b), {});
    for (int i = 0; i < kCount; ++i) {
      double want = apply(a[i], b[i]), have = at<double>(got, i);
      CHECK((std::isnan(want) ? std::isnan(have) : want == have));
    }
    // f16 and bf16: the f32 operation on the rounded inputs, rounded once.
    std::vector<uint16_t> h(kCount), hb(kCount), g(kCount), gb(kCount);
    for (int i = 0; i < kCount; ++i) {
      h[i] = float_to_f16(static_cast<float>(a[i]));
      hb[i] = float_to_f16(static_cast<float>(b[i]));
      g[i] = float_to_bf16(static_cast<float>(a[i]));
      gb[i] = float_to_bf16(static_cast<float>(b[i]));
    }
    auto gotH = run_op(std::string("vt.") + op + " x23, x20, x21, x5, f16, s3", bytes_of(h), bytes_of(hb), {});
    auto gotB = run_op(std::string("vt.") + op + " x23, x20, x21, x5, bf16, s3", bytes_of(g), bytes_of(gb), {});
    for (int i = 0; i < kCount; ++i) {
      INFO("element " << i);
      float wantH = f16_to_float(float_to_f16(static_cast<float>(apply(f16_to_float(h[i]), f16_to_float(hb[i])))));
      float wantB =
          bf16_to_float(float_to_bf16(static_cast<float>(apply(bf16_to_float(g[i]), bf16_to_float(gb[i])))));
      float haveH = f16_to_float(at<uint16_t>(gotH, i)), haveB = bf16_to_float(at<uint16_t>(gotB, i));
      CHECK((std::isnan(wantH) ? std::isnan(haveH) : wantH == haveH));
      CHECK((std::isnan(wantB) ? std::isnan(haveB) : wantB == haveB));
    }
  }
  std::vector<float> fa(a.begin(), a.end()), fb(b.begin(), b.end());
  auto lt = run_op("vt.lt x23, x20, x21, x5, f32, s3", bytes_of(fa), bytes_of(fb), {});
  auto ne = run_op("vt.ne x23, x20, x21, x5, f32, s3", bytes_of(fa), bytes_of(fb), {});
  auto eq = run_op("vt.eq x23, x20, x20, x5, f32, s3", bytes_of(fb), bytes_of(fb), {});
  for (int i = 0; i < kCount; ++i) {
    INFO("element " << i);
    CHECK(lt[i] == (fa[i] < fb[i] ? 1 : 0));
    CHECK(ne[i] == (fa[i] != fb[i] ? 1 : 0));
    CHECK(eq[i] == (i == 3 ? 0 : 1)); // a NaN is not equal to itself
  }
}

TEST_CASE("vt.sel takes each element from one side by a mask byte", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  auto a = random_ints<int64_t>(gen), b = random_ints<int64_t>(gen);
  std::vector<uint8_t> mask(kCount);
  for (uint8_t &m : mask)
    m = gen() % 3 == 0 ? 0 : static_cast<uint8_t>(1 + gen() % 2);
  // vt.sel rd, ra (mask), rb (where set), rc (count), re (elsewhere).
  auto got = run_op("vt.sel x23, x22, x20, x5, x21, i64, s3", bytes_of(a), bytes_of(b), mask);
  for (int i = 0; i < kCount; ++i)
    CHECK(at<int64_t>(got, i) == (mask[i] ? a[i] : b[i]));
}

TEST_CASE("vt.cvt converts between integers and floats of every width", "[maia][sim][typed]") {
  std::vector<int32_t> ints(kCount);
  std::vector<float> floats(kCount);
  std::vector<int8_t> bytes(kCount);
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  for (int i = 0; i < kCount; ++i) {
    ints[i] = static_cast<int32_t>(gen());
    floats[i] = std::ldexp(static_cast<float>(static_cast<int32_t>(gen() % 2001) - 1000), -3);
    bytes[i] = static_cast<int8_t>(gen());
  }
  floats[0] = 3e9f;  // saturates
  floats[1] = -3e9f; // saturates
  floats[2] = NAN;   // 0
  auto toF = run_op("vt.cvt x23, x20, x5, i32.f32, s3", bytes_of(ints), {}, {});
  auto toI = run_op("vt.cvt x23, x20, x5, f32.i32, s3", bytes_of(floats), {}, {});
  auto sext = run_op("vt.cvt x23, x20, x5, i8.i64, s3", bytes_of(bytes), {}, {});
  auto zext = run_op("vt.cvt x23, x20, x5, u8.i32, s3", bytes_of(bytes), {}, {});
  auto toD = run_op("vt.cvt x23, x20, x5, f32.f64, s3", bytes_of(floats), {}, {});
  auto toH = run_op("vt.cvt x23, x20, x5, f32.f16, s3", bytes_of(floats), {}, {});
  for (int i = 0; i < kCount; ++i) {
    INFO("element " << i);
    CHECK(at<float>(toF, i) == static_cast<float>(ints[i]));
    int32_t want = i == 0 ? std::numeric_limits<int32_t>::max()
                   : i == 1 ? std::numeric_limits<int32_t>::min()
                   : i == 2 ? 0
                            : static_cast<int32_t>(std::trunc(floats[i]));
    CHECK(at<int32_t>(toI, i) == want);
    CHECK(at<int64_t>(sext, i) == bytes[i]);
    CHECK(at<int32_t>(zext, i) == static_cast<uint8_t>(bytes[i]));
    if (i != 2) {
      CHECK(at<double>(toD, i) == static_cast<double>(floats[i]));
      CHECK(at<uint16_t>(toH, i) == float_to_f16(floats[i]));
    }
  }
}

TEST_CASE("vt.fill writes all 64 bits of a register and vt.iota counts from one", "[maia][sim][typed]") {
  const int64_t pattern = static_cast<int64_t>(0x8123456789abcdefULL);
  auto fill = run_op("vt.fill x23, x6, x5, i64, s3", {}, {}, {}, pattern);
  auto iota = run_op("vt.iota x23, x6, x5, i32, s3", {}, {}, {}, -7);
  for (int i = 0; i < kCount; ++i) {
    CHECK(at<int64_t>(fill, i) == pattern);
    CHECK(at<int32_t>(iota, i) == -7 + i);
  }
}

TEST_CASE("vt.rowargmax and vt.rowargmin give each row's first extremum", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  constexpr int rows = 5, cols = 7; // 35 of the 37 elements
  // Few distinct values, so that most rows hold ties; NaNs first in row 1 (nothing
  // beats it) and in the middle of row 3 (never taken).
  std::vector<float> f(kCount);
  std::vector<int64_t> i64(kCount);
  for (int i = 0; i < kCount; ++i) {
    f[i] = static_cast<float>(static_cast<int>(gen() % 5) - 2);
    i64[i] = static_cast<int64_t>(gen() % 4) - (int64_t{1} << 40);
  }
  f[1 * cols] = NAN;
  f[3 * cols + 3] = NAN;
  auto reference = [&](auto values, bool max, int r) {
    int best = 0;
    for (int c = 1; c < cols; ++c) {
      auto x = values[r * cols + c], y = values[r * cols + best];
      if (max ? x > y : x < y)
        best = c;
    }
    return best;
  };
  for (bool max : {true, false}) {
    std::string op = max ? "vt.rowargmax" : "vt.rowargmin";
    INFO(op);
    std::string sizes = "li x12, " + std::to_string(cols) + "\n  li x13, " + std::to_string(rows) + "\n  ";
    auto gotF = run_op(sizes + op + " x23, x20, x12, x13, f32, s3", bytes_of(f), {}, {});
    auto gotI = run_op(sizes + op + " x23, x20, x12, x13, i64, s3", bytes_of(i64), {}, {});
    for (int r = 0; r < rows; ++r) {
      INFO("row " << r);
      CHECK(at<int32_t>(gotF, r) == reference(f, max, r));
      CHECK(at<int32_t>(gotI, r) == reference(i64, max, r));
    }
    CHECK(at<int32_t>(gotF, 1) == 0);
    CHECK(at<uint8_t>(gotF, 4 * rows) == 0x5a); // nothing past the rows' indices
  }
}

TEST_CASE("vt.ger adds an outer product with one rounding per element", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(-3.0, 3.0);
  constexpr int rows = 7, cols = 5;
  // A holds the column vector (rows elements) then the row vector; B the accumulator,
  // copied into the result before the update.
  std::vector<float> fa(kCount), fc(kCount);
  std::vector<int32_t> ia(kCount), ic(kCount);
  for (int i = 0; i < kCount; ++i) {
    fa[i] = static_cast<float>(dist(gen));
    fc[i] = static_cast<float>(dist(gen));
    ia[i] = static_cast<int32_t>(gen());
    ic[i] = static_cast<int32_t>(gen());
  }
  auto program = [&](const char *type, int esize) {
    return std::string("vt.cvt x23, x21, x5, ") + type + "." + type + ", s5\n  wait s5, 1\n  li x12, " +
           std::to_string(cols) + "\n  li x13, " + std::to_string(rows) + "\n  addi x24, x20, " +
           std::to_string(rows * esize) + "\n  vt.ger x23, x20, x24, x12, x13, " + type + ", s3";
  };
  auto gotF = run_op(program("f32", 4), bytes_of(fa), bytes_of(fc), {});
  auto gotI = run_op(program("i32", 4), bytes_of(ia), bytes_of(ic), {});
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int i = r * cols + c;
      INFO("element " << r << ", " << c);
      // f32: the exact a*b + c, rounded once (f64 holds the product exactly).
      CHECK(at<float>(gotF, i) ==
            static_cast<float>(std::fma(double{fa[r]}, double{fa[rows + c]}, double{fc[i]})));
      CHECK(at<int32_t>(gotI, i) == static_cast<int32_t>(static_cast<uint32_t>(ic[i]) +
                                                         static_cast<uint32_t>(ia[r]) *
                                                             static_cast<uint32_t>(ia[rows + c])));
    }
  CHECK(at<float>(gotF, rows * cols) == fc[rows * cols]); // past the matrix: the copy, untouched
}

TEST_CASE("an integer division by zero faults and names the instruction", "[maia][sim][typed]") {
  std::vector<int32_t> a(kCount, 5), b(kCount, 1);
  b[11] = 0;
  try {
    run_op("vt.div x23, x20, x21, x5, i32, s3", bytes_of(a), bytes_of(b), {});
    FAIL("expected a fault");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::DeviceFault);
    CHECK_THAT(e.what(), Catch::Contains("integer division by zero (element 11)"));
    CHECK_THAT(e.what(), Catch::Contains("vt.div x23, x20, x21, x5, i32, s3"));
  }
  // A row operation whose size no TSRAM holds faults, whatever the product wraps to.
  CHECK_THROWS_WITH(run_op("vt.rowsum x23, x20, x6, x6, i64, s3", {}, {}, {}, int64_t{1} << 32),
                    Catch::Contains("out of range"));
  // Bitwise operators take integers only.
  CHECK_THROWS_WITH(run_op("vt.and x23, x20, x21, x5, f32, s3", bytes_of(a), bytes_of(b), {}),
                    Catch::Contains("vt.and takes integer elements, not f32"));
}

TEST_CASE("element types are spelled by name and checked by the encoder and decoder", "[maia][isa][typed]") {
  for (const char *text : {"vt.add x1, x2, x3, x4, i32, s1", "vt.cvt x1, x2, x4, u8.f64, s2",
                           "vt.sel x1, x2, x3, x4, x5, bf16, s3", "vt.fill x1, x2, x4, i64, s1"}) {
    Program p = assemble(text);
    REQUIRE(p.code.size() == 1);
    CHECK(disassemble(p.code[0]) == text);
    CHECK(decode(encode(p.code[0])) == p.code[0]);
  }
  CHECK_THROWS_WITH(assemble("vt.add x1, x2, x3, x4, i33, s1"), Catch::Contains("takes an element type"));
  CHECK_THROWS_WITH(assemble("vt.cvt x1, x2, x4, i32, s1"), Catch::Contains("written `from.to`"));
  Instruction bad{Opcode::VtAdd, 1, 2, 3, 4, 0, 1, 0}; // imm 0 names no type
  CHECK_THROWS_WITH(encode(bad), Catch::Contains("names no element type"));
  uint64_t word = encode(assemble("vt.add x1, x2, x3, x4, i32, s1").code[0]);
  CHECK_FALSE(decode((word & ~uint64_t{0x3ffffff}) | 13).has_value()); // type 13 does not exist
}

TEST_CASE("DMA atomics update HBM in place and return the old values", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  // Three rows of 5 i32 elements, 8 elements apart in HBM; every instance of a grid of
  // four adds its values (the same) to them, so the sum is 4x and the old values are
  // the partial sums some order of the instances saw.
  constexpr int kRowsA = 3, kColsA = 5, kStrideA = 8;
  std::vector<int32_t> acc(kRowsA * kStrideA), add(kRowsA * kColsA);
  for (int32_t &v : acc)
    v = static_cast<int32_t>(gen() % 1000);
  for (int32_t &v : add)
    v = static_cast<int32_t>(gen() % 1000) - 500 | 1; // odd: never zero
  Simulator sim;
  const uint64_t accBytes = acc.size() * 4, addBytes = add.size() * 4;
  uint64_t hacc = sim.hbm().allocate(accBytes, "acc"), hadd = sim.hbm().allocate(addBytes, "add"),
           hold = sim.hbm().allocate(4 * addBytes, "old");
  std::memcpy(sim.hbm().host(hacc, accBytes), acc.data(), accBytes);
  std::memcpy(sim.hbm().host(hadd, addBytes), add.data(), addBytes);
  std::memset(sim.hbm().host(hold, 4 * addBytes), 0xA5, 4 * addBytes);
  const std::string program = R"(
  arg x1, 0
  arg x2, 1
  arg x3, 2
  pid x4, 0
  li x5, 0
  li x6, 1
  li x7, )" + std::to_string(addBytes) + R"(
  dma.in x5, x2, x6, x7, x7, 0, s1
  wait s1, 1
  li x8, )" + std::to_string(kRowsA) + R"(
  li x9, )" + std::to_string(kColsA * 4) + R"(
  li x10, )" + std::to_string(kStrideA * 4) + R"(
  dma.add x1, x5, x8, x9, x10, i32, s2
  wait s2, 1
  mul x11, x4, x7
  add x12, x3, x11
  dma.out x12, x5, x6, x7, x7, 0, s3
  wait s3, 1
  halt
)";
  sim.run(assemble(program), {4, 1, 1},
          {static_cast<int64_t>(hacc), static_cast<int64_t>(hadd), static_cast<int64_t>(hold)});
  std::vector<int32_t> got(acc.size()), old(4 * add.size());
  std::memcpy(got.data(), sim.hbm().host(hacc, accBytes), accBytes);
  std::memcpy(old.data(), sim.hbm().host(hold, 4 * addBytes), 4 * addBytes);
  for (int r = 0; r < kRowsA; ++r)
    for (int c = 0; c < kStrideA; ++c) {
      INFO("row " << r << " column " << c);
      const int i = r * kStrideA + c;
      CHECK(got[i] == (c < kColsA ? acc[i] + 4 * add[r * kColsA + c] : acc[i])); // the gaps are untouched
    }
  // Each instance saw the accumulator after some number k of the others' additions.
  for (int p = 0; p < 4; ++p)
    for (int e = 0; e < kRowsA * kColsA; ++e) {
      const int r = e / kColsA, c = e % kColsA;
      const int32_t seen = old[p * kRowsA * kColsA + e] - acc[r * kStrideA + c];
      INFO("instance " << p << " element " << e);
      CHECK(seen % add[e] == 0);
      CHECK(seen / add[e] >= 0);
      CHECK(seen / add[e] <= 3);
    }
  // Atomics act on HBM only.
  CHECK_THROWS_WITH(run_op("dma.add x23, x20, x8, x9, x9, f32, s3", {}, {}, {}),
                    Catch::Contains("atomic DMA destination HBM"));
}

TEST_CASE("indexed DMAs gather, scatter and update element by element", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  // 37 offsets into a table of 50 i64 elements, with repeats; a mask of about two in
  // three. TSRAM: offsets at 0, mask at 512, data at 1024 (gather), 2048 (scatter
  // source), 3072 (add.x values), 4096 (cas.x compare then new values).
  constexpr int kTable = 50;
  std::vector<int64_t> table(kTable), offsets(kCount), values(kCount), adds(kCount), cas(2 * kCount);
  std::vector<uint8_t> mask(kCount);
  for (int64_t &v : table)
    v = static_cast<int64_t>(gen());
  for (int i = 0; i < kCount; ++i) {
    offsets[i] = static_cast<int64_t>(gen() % 12); // repeats, so that order matters
    mask[i] = gen() % 3 != 0;
    values[i] = static_cast<int64_t>(gen());
    adds[i] = static_cast<int64_t>(gen() % 1000);
    cas[i] = gen() % 2 ? table[offsets[i]] : 7; // the compare value: matching or not
    cas[kCount + i] = static_cast<int64_t>(gen());
  }
  Simulator sim;
  auto upload = [&](const void *data, uint64_t bytes, const char *name) {
    uint64_t at = sim.hbm().allocate(bytes, name);
    std::memcpy(sim.hbm().host(at, bytes), data, bytes);
    return static_cast<int64_t>(at);
  };
  const uint64_t n8 = kCount * 8;
  int64_t hoff = upload(offsets.data(), n8, "offsets"), hmask = upload(mask.data(), kCount, "mask"),
          hval = upload(values.data(), n8, "values"), hadd = upload(adds.data(), n8, "adds"),
          hcas = upload(cas.data(), 2 * n8, "cas"), htable = upload(table.data(), kTable * 8, "table"),
          hscatter = upload(table.data(), kTable * 8, "scattered"), hsum = upload(table.data(), kTable * 8, "sums"),
          hswap = upload(table.data(), kTable * 8, "swapped");
  std::vector<int64_t> poison(kCount, 0x5a5a5a5a5a5a5a5a);
  int64_t hout = upload(poison.data(), n8, "gathered");
  std::string program = R"(
  arg x1, 0
  arg x2, 1
  arg x3, 2
  arg x4, 3
  arg x6, 4
  arg x7, 5
  arg x8, 6
  arg x9, 7
  arg x10, 8
  arg x11, 9
  li x12, 1
  li x13, )" + std::to_string(n8) + R"(
  li x14, )" + std::to_string(kCount) + R"(
  li x15, )" + std::to_string(2 * n8) + R"(
  li x20, 0
  li x21, 512
  li x22, 1024
  li x23, 2048
  li x24, 3072
  li x25, 4096
  dma.in x20, x1, x12, x13, x13, 0, s1
  dma.in x21, x2, x12, x14, x14, 0, s1
  dma.in x22, x11, x12, x13, x13, 0, s1
  dma.in x23, x3, x12, x13, x13, 0, s1
  dma.in x24, x4, x12, x13, x13, 0, s1
  dma.in x25, x6, x12, x15, x15, 0, s1
  wait s1, 6
  dma.gather x22, x7, x20, x14, x21, i64, s2
  dma.scatter x8, x23, x20, x14, x21, i64, s2
  dma.add.x x9, x24, x20, x14, x21, i64, s2
  dma.cas.x x10, x25, x20, x14, x0, i64, s2
  wait s2, 4
  dma.out x11, x22, x12, x13, x13, 0, s3
  dma.out x4, x24, x12, x13, x13, 0, s3
  dma.out x6, x25, x12, x13, x13, 0, s3
  wait s3, 3
  halt
)";
  sim.run(assemble(program), {1, 1, 1}, {hoff, hmask, hval, hadd, hcas, htable, hscatter, hsum, hswap, hout});
  auto read = [&](int64_t at, size_t count) {
    std::vector<int64_t> v(count);
    std::memcpy(v.data(), sim.hbm().host(static_cast<uint64_t>(at), count * 8), count * 8);
    return v;
  };
  std::vector<int64_t> gathered = read(hout, kCount), scattered = read(hscatter, kTable), sums = read(hsum, kTable),
                       swapped = read(hswap, kTable), olds = read(hadd, kCount), casOld = read(hcas, kCount);
  // The expected effects, element by element in index order.
  std::vector<int64_t> wantScatter = table, wantSums = table, wantSwap = table;
  for (int i = 0; i < kCount; ++i) {
    INFO("element " << i << " offset " << offsets[i] << " mask " << int{mask[i]});
    const int64_t o = offsets[i];
    CHECK(gathered[i] == (mask[i] ? table[o] : poison[i]));
    if (mask[i]) {
      wantScatter[o] = values[i];
      CHECK(olds[i] == wantSums[o]); // the partial sum this element saw
      wantSums[o] = static_cast<int64_t>(static_cast<uint64_t>(wantSums[o]) + static_cast<uint64_t>(adds[i]));
    } else {
      CHECK(olds[i] == adds[i]); // untouched
    }
    CHECK(casOld[i] == wantSwap[o]); // unmasked: every element compares
    if (wantSwap[o] == cas[i])
      wantSwap[o] = cas[kCount + i];
  }
  CHECK(scattered == wantScatter);
  CHECK(sums == wantSums);
  CHECK(swapped == wantSwap);

  // An offset outside every allocation faults, naming the element.
  std::vector<int64_t> far(kCount);
  for (int i = 0; i < kCount; ++i)
    far[i] = i; // A's own elements, read through A's address
  far[9] = int64_t{1} << 30;
  CHECK_THROWS_WITH(run_op("dma.gather x23, x1, x20, x5, x0, i64, s3", bytes_of(far), {}, {}),
                    Catch::Contains("dma.gather element 9: HBM"));
}

TEST_CASE("dbg.print hands values to the host and dbg.assert fails the launch", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  std::vector<float> values(kCount);
  std::vector<uint8_t> mask(kCount, 1);
  for (float &v : values)
    v = static_cast<float>(static_cast<int>(gen() % 2001) - 1000) / 8;
  const int bad = 3 + static_cast<int>(gen() % (kCount - 3)); // past the first three
  mask[bad] = 0;
  Simulator sim;
  uint64_t hv = sim.hbm().allocate(kCount * 4, "values"), hm = sim.hbm().allocate(kCount, "mask");
  std::memcpy(sim.hbm().host(hv, kCount * 4), values.data(), kCount * 4);
  std::memcpy(sim.hbm().host(hm, kCount), mask.data(), kCount);
  // Prints the values at site 1, then asserts the first x9 mask bytes at site 2.
  auto program = [&](int checked) {
    return R"(
  arg x1, 0
  arg x2, 1
  li x3, 0
  li x4, 512
  li x5, )" + std::to_string(kCount) + R"(
  li x6, )" + std::to_string(kCount * 4) + R"(
  li x7, 1
  li x8, 1
  li x9, )" + std::to_string(checked) + R"(
  li x10, 2
  dma.in x3, x1, x7, x6, x6, 0, s1
  dma.in x4, x2, x7, x5, x5, 0, s1
  wait s1, 2
  dbg.print x3, x8, x5, f32, s2
  dbg.assert x4, x10, x9, s3
  wait s2, 1
  wait s3, 1
  halt
)";
  };
  SimOptions options;
  options.kernel_name = "k";
  options.debug_sites = {"print \"a\" at k.cpp:1:1", "print \"v\" at k.cpp:2:1",
                         "assertion \"the mask holds\" at k.cpp:3:1"};
  const std::vector<int64_t> args = {static_cast<int64_t>(hv), static_cast<int64_t>(hm)};
  // The first three bytes are set: the assertion holds, and each instance's values
  // reach the log.
  SimStats stats = sim.run(assemble(program(3)), {2, 1, 1}, args, options);
  REQUIRE(stats.prints.size() == 2);
  for (const DebugPrint &print : stats.prints) {
    CHECK(print.site == 1);
    CHECK(print.floating);
    CHECK(print.reals == std::vector<double>(values.begin(), values.end()));
  }
  CHECK(stats.prints[0].program[0] != stats.prints[1].program[0]);
  // Every byte checked: the zero fails the launch, naming the site, the instance and the
  // element.
  try {
    sim.run(assemble(program(kCount)), {1, 1, 1}, args, options);
    FAIL("the assertion held with a zero byte");
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::AssertionFailed);
    CHECK_THAT(e.what(), Catch::Contains("kernel 'k': assertion \"the mask holds\" at k.cpp:3:1 failed in program "
                                         "(0,0,0) at element " + std::to_string(bad)));
  }
}

TEST_CASE("the control processor's bitwise operators and shifts", "[maia][sim][typed]") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 gen(seed);
  const int64_t x = static_cast<int64_t>(gen()), y = static_cast<int64_t>(gen());
  const int shift = static_cast<int>(gen() % 64);
  const uint64_t ux = static_cast<uint64_t>(x);
  struct Case {
    const char *op;
    int64_t rhs, want;
  };
  for (const Case &c : {Case{"and", y, x & y}, Case{"or", y, x | y}, Case{"xor", y, x ^ y},
                        Case{"shl", shift, static_cast<int64_t>(ux << shift)}, Case{"shr", shift, x >> shift},
                        Case{"shru", shift, static_cast<int64_t>(ux >> shift)},
                        // The count is taken modulo 64.
                        Case{"shl", 64 + shift, static_cast<int64_t>(ux << shift)}}) {
    INFO(c.op << " " << x << ", " << c.rhs);
    // x6 = x; the right operand is built from two 26-bit-safe halves by li/shli/or.
    const uint64_t r = static_cast<uint64_t>(c.rhs);
    std::string op = "li x25, " + std::to_string(static_cast<int64_t>(r >> 40)) + "\n  shli x25, x25, 20\n" +
                     "  li x26, " + std::to_string(static_cast<int64_t>((r >> 20) & 0xfffff)) + "\n" +
                     "  or x25, x25, x26\n  shli x25, x25, 20\n" + "  li x26, " +
                     std::to_string(static_cast<int64_t>(r & 0xfffff)) + "\n  or x25, x25, x26\n  " + c.op +
                     " x24, x6, x25\n  vt.fill x23, x24, x5, i64, s3";
    auto got = run_op(op, {}, {}, {}, x);
    CHECK(at<int64_t>(got, 0) == c.want);
    CHECK(at<int64_t>(got, kCount - 1) == c.want);
  }
}
