// The Maia-style simulator on hand-written programs: functional results, the timing
// model's figures, and each fault it must catch (races by happens-before even when the
// timing hides them, TSRAM and HBM bounds, deadlock).
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"
#include "tegula/runtime/half.h"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <random>

using namespace tegula;
using namespace tegula::maia;

namespace {

std::string fault_of(Simulator &sim, const Program &p, std::array<int64_t, 3> grid, std::vector<int64_t> args,
                     SimOptions options = {}) {
  try {
    sim.run(p, grid, args, options);
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::DeviceFault);
    return e.what();
  }
  FAIL("the simulator did not report a fault");
  return "";
}

std::vector<float> random_floats(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(gen);
  return v;
}

// out[i] = x[i] + y[i] for 256 floats per program: two DMAs in, wait for both, add,
// DMA out, wait. Arguments: x, y, out (HBM addresses).
const char *kVectorAdd = R"(
  arg   x1, 0            # x
  arg   x2, 1            # y
  arg   x3, 2            # out
  pid   x4, 0
  muli  x4, x4, 1024     # program offset in bytes (256 floats)
  add   x1, x1, x4
  add   x2, x2, x4
  add   x3, x3, x4
  li    x5, 0            # TSRAM: x at 0, y at 1024, sum at 2048
  li    x6, 1024
  li    x7, 2048
  li    x8, 1            # one row
  li    x9, 1024         # of 1024 bytes
  dma.in  x5, x1, x8, x9, x9, 0, s1
  dma.in  x6, x2, x8, x9, x9, 0, s1
  wait  s1, 2
  li    x10, 256
  vadd  x7, x5, x6, x10, s2
  wait  s2, 1
  dma.out x3, x7, x8, x9, x9, 0, s3
  wait  s3, 1
  halt
)";

} // namespace

TEST_CASE("vector add runs bit-exactly on the simulator", "[maia][sim]") {
  Simulator sim;
  const int programs = 70; // more programs than tiles: tiles run several in turn
  const size_t n = 256 * programs;
  auto xs = random_floats(n, 1), ys = random_floats(n, 2);
  uint64_t x = sim.hbm().allocate(n * 4, "x"), y = sim.hbm().allocate(n * 4, "y"), out = sim.hbm().allocate(n * 4, "out");
  std::memcpy(sim.hbm().host(x, n * 4), xs.data(), n * 4);
  std::memcpy(sim.hbm().host(y, n * 4), ys.data(), n * 4);
  std::memset(sim.hbm().host(out, n * 4), 0xFF, n * 4);
  SimOptions options;
  options.record_trace = true;
  SimStats stats = sim.run(assemble(kVectorAdd), {programs, 1, 1}, {static_cast<int64_t>(x), static_cast<int64_t>(y),
                                                                     static_cast<int64_t>(out)}, options);
  const float *result = reinterpret_cast<const float *>(sim.hbm().host(out, n * 4));
  for (size_t i = 0; i < n; ++i)
    REQUIRE(result[i] == xs[i] + ys[i]);
  CHECK(stats.programs == programs);
  CHECK(stats.tiles_used == 64);
  CHECK(stats.hbm_bytes_read == 2 * n * 4);
  CHECK(stats.hbm_bytes_written == n * 4);
  CHECK(stats.dma.commands == 3 * programs);
  CHECK(stats.tvp.commands == programs);
  CHECK(stats.cycles > 0);
  std::string json = sim.chrome_trace_json();
  CHECK(json.find("\"traceEvents\"") != std::string::npos);
  CHECK(json.find("\"name\":\"vadd\"") != std::string::npos);
  CHECK(json.find("\"name\":\"tile 63\"") != std::string::npos);
}

TEST_CASE("the tensor unit accumulates exact bf16 products in f32, in k order", "[maia][sim]") {
  Simulator sim;
  const int M = 32, N = 48, K = 40;
  auto af = random_floats(M * K, 3), bf = random_floats(K * N, 4), cf = random_floats(M * N, 5);
  std::vector<uint16_t> a(M * K), b(K * N);
  for (int i = 0; i < M * K; ++i)
    a[i] = float_to_bf16(af[i]);
  for (int i = 0; i < K * N; ++i)
    b[i] = float_to_bf16(bf[i]);
  uint64_t ha = sim.hbm().allocate(a.size() * 2, "a"), hb = sim.hbm().allocate(b.size() * 2, "b"),
           hc = sim.hbm().allocate(cf.size() * 4, "c");
  std::memcpy(sim.hbm().host(ha, a.size() * 2), a.data(), a.size() * 2);
  std::memcpy(sim.hbm().host(hb, b.size() * 2), b.data(), b.size() * 2);
  std::memcpy(sim.hbm().host(hc, cf.size() * 4), cf.data(), cf.size() * 4);
  std::string text = R"(
    arg x1, 0
    arg x2, 1
    arg x3, 2
    li  x4, 0          # A at 0
    li  x5, 4096       # B at 4096
    li  x6, 8192       # C at 8192
    li  x7, 1
    li  x8, )" + std::to_string(M * K * 2) + R"(
    li  x9, )" + std::to_string(K * N * 2) + R"(
    li  x10, )" + std::to_string(M * N * 4) + R"(
    dma.in x4, x1, x7, x8, x8, 0, s1
    dma.in x5, x2, x7, x9, x9, 0, s1
    dma.in x6, x3, x7, x10, x10, 0, s1
    wait s1, 3
    li  x11, )" + std::to_string(M) + R"(
    li  x12, )" + std::to_string(N) + R"(
    mma x6, x4, x5, x11, x12, )" + std::to_string(K) + R"(, s2
    wait s2, 1
    dma.out x3, x6, x7, x10, x10, 0, s3
    wait s3, 1
    halt
  )";
  SimStats stats = sim.run(assemble(text), {1, 1, 1}, {static_cast<int64_t>(ha), static_cast<int64_t>(hb),
                                                       static_cast<int64_t>(hc)});
  const float *c = reinterpret_cast<const float *>(sim.hbm().host(hc, cf.size() * 4));
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float acc = cf[i * N + j];
      for (int k = 0; k < K; ++k) {
        volatile float product = bf16_to_float(a[i * K + k]) * bf16_to_float(b[k * N + j]);
        volatile float sum = acc + product; // no contraction: one rounding per addition
        acc = sum;
      }
      REQUIRE(c[i * N + j] == acc);
    }
  CHECK(stats.macs == uint64_t{M} * N * K);
  // 2 x 3 x 3 blocks of 16x16x16, one per cycle, plus the pipeline latency.
  CHECK(stats.ttu.busy_cycles == 2 * 3 * 3 + sim.spec().ttu_latency_cycles);
}

TEST_CASE("DMA bandwidth is shared by every tile", "[maia][sim][timing]") {
  MachineSpec spec = MachineSpec::defaults();
  const uint64_t bytes = 1 << 20; // 1 MiB per tile, one row
  const char *text = R"(
    arg x1, 0
    pid x2, 0
    li  x3, 1
    shli x3, x3, 20
    mul x4, x2, x3
    add x1, x1, x4
    li  x5, 0
    li  x6, 1
    dma.in x5, x1, x6, x3, x3, 0, s1
    wait s1, 1
    halt
  )";
  for (int tiles : {1, 64}) {
    Simulator sim(spec);
    uint64_t src = sim.hbm().allocate(bytes * tiles, "src", /*backed=*/false);
    SimOptions timing;
    timing.functional = false;
    SimStats stats = sim.run(assemble(text), {tiles, 1, 1}, {static_cast<int64_t>(src)}, timing);
    double rate = std::min(spec.dma_bytes_per_cycle, spec.hbm_bytes_per_cycle() / tiles);
    double expected = spec.dma_latency_cycles + bytes / rate;
    INFO(tiles << " tiles: " << stats.cycles << " cycles, expected about " << expected);
    CHECK(std::fabs(stats.cycles - expected) <= 0.01 * expected + 16);
  }
}

TEST_CASE("a missing wait is a race even when the timing hides it", "[maia][sim][faults]") {
  // The DMA into TSRAM 0 is not waited for; the vadd reads TSRAM 0. A delay loop makes
  // the DMA finish first, so the data would even be right: the race is still reported.
  const char *text = R"(
    arg x1, 0
    li  x5, 0
    li  x6, 1
    li  x9, 1024
    dma.in x5, x1, x6, x9, x9, 0, s1
    li  x20, 0
    li  x21, 5000
  spin:
    addi x20, x20, 1
    blt x20, x21, spin
    li  x10, 256
    li  x7, 2048
    vadd x7, x5, x5, x10, s2
    wait s2, 1
    wait s1, 1
    halt
  )";
  Simulator sim;
  uint64_t src = sim.hbm().allocate(1024, "x");
  std::string msg = fault_of(sim, assemble(text), {1, 1, 1}, {static_cast<int64_t>(src)});
  INFO(msg);
  CHECK(msg.find("race") != std::string::npos);
  CHECK(msg.find("vadd") != std::string::npos);
  CHECK(msg.find("dma.in") != std::string::npos);
  CHECK(msg.find("pc 11") != std::string::npos);
  // With the wait in place the same program is clean.
  std::string fixed(text);
  fixed.replace(fixed.find("    li  x10, 256"), 0, "    wait s1, 1\n");
  fixed.replace(fixed.rfind("    wait s1, 1\n    halt"), std::string("    wait s1, 1\n").size(), "");
  CHECK_NOTHROW(sim.run(assemble(fixed), {1, 1, 1}, {static_cast<int64_t>(src)}));
}

TEST_CASE("TSRAM out of range and DMA outside its buffer are faults naming the instruction", "[maia][sim][faults]") {
  Simulator sim;
  uint64_t buffer = sim.hbm().allocate(64 * 100, "buffer");
  std::string tsram = std::to_string(sim.spec().tsram_bytes - 512);
  // 1 KiB at 512 bytes before the end of TSRAM overflows it by 512 bytes.
  std::string overflow = "arg x1, 0\nli x5, " + tsram + "\nli x6, 1\nli x9, 1024\n"
                         "dma.in x5, x1, x6, x9, x9, 0, s1\nwait s1, 1\nhalt\n";
  std::string msg = fault_of(sim, assemble(overflow), {1, 1, 1}, {static_cast<int64_t>(buffer)});
  INFO(msg);
  CHECK(msg.find("pc 4") != std::string::npos);
  CHECK(msg.find("dma.in") != std::string::npos);
  CHECK(msg.find("outside the tile's") != std::string::npos);
  // 101 rows of 64 bytes from a 100-row buffer: one row past the end.
  std::string pastEnd = "arg x1, 0\nli x5, 0\nli x6, 101\nli x9, 64\n"
                        "dma.in x5, x1, x6, x9, x9, 0, s1\nwait s1, 1\nhalt\n";
  msg = fault_of(sim, assemble(pastEnd), {1, 1, 1}, {static_cast<int64_t>(buffer)});
  INFO(msg);
  CHECK(msg.find("not inside one allocation") != std::string::npos);
  CHECK(msg.find("'buffer'") != std::string::npos);
}

TEST_CASE("deadlock and runaway programs are reported", "[maia][sim][faults]") {
  Simulator sim;
  std::string msg = fault_of(sim, assemble("wait s3, 1\nhalt\n"), {2, 1, 1}, {});
  INFO(msg);
  CHECK(msg.find("deadlock") != std::string::npos);
  CHECK(msg.find("s3") != std::string::npos);
  SimOptions shortRun;
  shortRun.max_cycles = 10000;
  msg = fault_of(sim, assemble("top:\njmp top\n"), {1, 1, 1}, {}, shortRun);
  CHECK(msg.find("endless loop") != std::string::npos);
  msg = fault_of(sim, assemble("li x1, 1\n"), {1, 1, 1}, {});
  CHECK(msg.find("without halt") != std::string::npos);
  msg = fault_of(sim, assemble("arg x1, 3\nhalt\n"), {1, 1, 1}, {});
  CHECK(msg.find("argument 3 of 0") != std::string::npos);
  CHECK_THROWS_AS(sim.run(assemble("halt\n"), {0, 1, 1}, {}), Error);
}

// --- the hand-scheduled GEMM: results, timing against the roofline, planted bugs ------

#include "backends/maia/reference/gemm_program.h"
#include "tegula/kernels/reference.h"

namespace {

struct GemmRun {
  Simulator sim;
  uint64_t a = 0, b = 0, c = 0;
  std::vector<uint16_t> ha, hb;
};

void setup_gemm(GemmRun &run, const GemmProgramConfig &cfg, uint64_t seed) {
  run.ha.resize(cfg.M * cfg.K);
  run.hb.resize(cfg.K * cfg.N);
  for (size_t i = 0; i < run.ha.size(); ++i)
    run.ha[i] = float_to_bf16(static_cast<float>(kernels::philox_uniform(seed, i)));
  for (size_t i = 0; i < run.hb.size(); ++i)
    run.hb[i] = float_to_bf16(static_cast<float>(kernels::philox_uniform(seed + 1, i)));
  run.a = run.sim.hbm().allocate(run.ha.size() * 2, "a");
  run.b = run.sim.hbm().allocate(run.hb.size() * 2, "b");
  run.c = run.sim.hbm().allocate(cfg.M * cfg.N * 4, "c");
  std::memcpy(run.sim.hbm().host(run.a, run.ha.size() * 2), run.ha.data(), run.ha.size() * 2);
  std::memcpy(run.sim.hbm().host(run.b, run.hb.size() * 2), run.hb.data(), run.hb.size() * 2);
  std::memset(run.sim.hbm().host(run.c, cfg.M * cfg.N * 4), 0xFF, cfg.M * cfg.N * 4);
}

std::vector<int64_t> gemm_args(const GemmRun &run) {
  return {static_cast<int64_t>(run.a), static_cast<int64_t>(run.b), static_cast<int64_t>(run.c)};
}

std::array<int64_t, 3> gemm_grid(const GemmProgramConfig &cfg) { return {cfg.N / cfg.BN, cfg.M / cfg.BM, 1}; }

/// Every element of C (poisoned with NaN by setup_gemm) against the fp64 product, within
/// the GEMM policy 2 (K + 1) u_f32 sum |a||b|.
void require_gemm_within_policy(GemmRun &run, const GemmProgramConfig &cfg) {
  const float *c = reinterpret_cast<const float *>(run.sim.hbm().host(run.c, cfg.M * cfg.N * 4));
  for (int64_t i = 0; i < cfg.M; ++i)
    for (int64_t j = 0; j < cfg.N; ++j) {
      double exact = 0, mag = 0;
      for (int64_t k = 0; k < cfg.K; ++k) {
        double p = static_cast<double>(bf16_to_float(run.ha[i * cfg.K + k])) * bf16_to_float(run.hb[k * cfg.N + j]);
        exact += p;
        mag += std::fabs(p);
      }
      double bound = 2.0 * (cfg.K + 1) * std::ldexp(1.0, -24) * mag;
      INFO("C[" << i << "," << j << "]");
      REQUIRE(std::fabs(c[i * cfg.N + j] - exact) <= bound);
    }
}

} // namespace

TEST_CASE("the double-buffered GEMM program computes C within the GEMM policy", "[maia][gemm]") {
  GemmProgramConfig cfg;
  cfg.M = 256;
  cfg.N = 192;
  cfg.K = 256;
  cfg.BM = 64;
  cfg.BN = 64;
  cfg.BK = 32;
  GemmRun run;
  uint64_t seed = 42;
  INFO("seed " << seed);
  setup_gemm(run, cfg, seed);
  SimStats stats = run.sim.run(assemble(gemm_program(cfg, run.sim.spec())), gemm_grid(cfg), gemm_args(run));
  require_gemm_within_policy(run, cfg);
  CHECK(stats.macs == static_cast<uint64_t>(cfg.M * cfg.N * cfg.K));
  CHECK(stats.programs == static_cast<uint64_t>((cfg.M / cfg.BM) * (cfg.N / cfg.BN)));
}

TEST_CASE("the cluster-shared GEMM program computes C within the policy, reading half the operands", "[maia][gemm][cluster]") {
  GemmProgramConfig cfg;
  cfg.M = 256;
  cfg.N = 384;
  cfg.K = 256;
  cfg.BM = cfg.BN = 64;
  cfg.BK = 64;
  cfg.cluster_shared = true;
  GemmRun run;
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  setup_gemm(run, cfg, seed);
  std::array<int64_t, 3> grid{4, cfg.N / (2 * cfg.BN), cfg.M / (2 * cfg.BM)};
  SimStats stats = run.sim.run(assemble(gemm_shared_program(cfg, run.sim.spec())), grid, gemm_args(run));
  require_gemm_within_policy(run, cfg);
  CHECK(stats.macs == static_cast<uint64_t>(cfg.M * cfg.N * cfg.K));
  // Each A and B slice crossed HBM once per pair of blocks.
  int64_t blocks = (cfg.M / cfg.BM) * (cfg.N / cfg.BN);
  CHECK(stats.hbm_bytes_read == static_cast<uint64_t>(blocks * (cfg.BM + cfg.BN) * cfg.K * 2 / 2));
  CHECK(stats.barriers == static_cast<uint64_t>(blocks / 4 * (cfg.K / cfg.BK)));
  // The roofline with sharing counts the same bytes.
  GemmRoofline roof = gemm_roofline(cfg, run.sim.spec());
  CHECK(roof.bytes == Approx(stats.hbm_bytes_read + stats.hbm_bytes_written));
}

TEST_CASE("the GEMM program stays near its roofline bound at 1024^3", "[maia][gemm][timing]") {
  GemmProgramConfig cfg; // 1024^3 in 512x512x128 blocks: 4 programs, memory-bound
  Simulator sim;
  uint64_t a = sim.hbm().allocate(cfg.M * cfg.K * 2, "a", false), b = sim.hbm().allocate(cfg.K * cfg.N * 2, "b", false),
           c = sim.hbm().allocate(cfg.M * cfg.N * 4, "c", false);
  SimOptions timing;
  timing.functional = false;
  SimStats stats = sim.run(assemble(gemm_program(cfg, sim.spec())), gemm_grid(cfg),
                           {static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c)}, timing);
  GemmRoofline roof = gemm_roofline(cfg, sim.spec());
  double fraction = roof.bound_cycles / stats.cycles;
  INFO("cycles " << stats.cycles << ", roofline bound " << roof.bound_cycles << ", fraction " << fraction);
  CHECK(fraction <= 1.0);
  // Four 512x512 blocks on four tiles: compute-bound at 65536 cycles of tensor unit;
  // the DMA of the first slices and the C write-back are what the rest is made of.
  CHECK(fraction > 0.8);
}

TEST_CASE("planted bugs in the GEMM program are each caught and named", "[maia][gemm][faults]") {
  GemmProgramConfig cfg;
  cfg.M = 128;
  cfg.N = 128;
  cfg.K = 128;
  cfg.BM = 64;
  cfg.BN = 64;
  cfg.BK = 32;
  auto run_with = [&](GemmProgramConfig bug) {
    GemmRun run;
    setup_gemm(run, bug, 7);
    return fault_of(run.sim, assemble(gemm_program(bug, run.sim.spec())), gemm_grid(bug), gemm_args(run));
  };
  GemmProgramConfig noWait = cfg;
  noWait.drop_load_wait = true;
  std::string msg = run_with(noWait);
  INFO(msg);
  CHECK(msg.find("race") != std::string::npos);
  CHECK(msg.find("`mma") != std::string::npos);
  CHECK(msg.find("dma.in") != std::string::npos);

  GemmProgramConfig overflow = cfg;
  overflow.overflow_tsram = true;
  msg = run_with(overflow);
  INFO(msg);
  CHECK(msg.find("outside the tile's") != std::string::npos);
  CHECK(msg.find("`vfill") != std::string::npos);

  GemmProgramConfig pastEnd = cfg;
  pastEnd.dma_row_past_end = true;
  msg = run_with(pastEnd);
  INFO(msg);
  CHECK(msg.find("not inside one allocation") != std::string::npos);
  CHECK(msg.find("'a'") != std::string::npos);
  CHECK(msg.find("program (0,1,0)") != std::string::npos); // the last block row
}

TEST_CASE("register values no memory could hold are faults, not host crashes", "[maia][sim][faults]") {
  Simulator sim;
  uint64_t buffer = sim.hbm().allocate(4096, "buffer");
  auto program = [](const std::string &setup, const std::string &command) {
    return assemble("arg x1, 0\nli x5, 0\n" + setup + command + "\nwait s1, 1\nhalt\n");
  };
  // A negative HBM stride.
  std::string msg = fault_of(sim, program("li x6, 2\nli x9, 256\nli x10, -128\n", "dma.in x5, x1, x6, x9, x10, 0, s1"),
                             {1, 1, 1}, {static_cast<int64_t>(buffer)});
  CHECK(msg.find("negative") != std::string::npos);
  // A stride of 2^62.
  msg = fault_of(sim, program("li x6, 3\nli x9, 256\nli x10, 1\nshli x10, x10, 62\n", "dma.in x5, x1, x6, x9, x10, 0, s1"),
                 {1, 1, 1}, {static_cast<int64_t>(buffer)});
  CHECK(msg.find("out of range") != std::string::npos);
  // A row operation whose rows x columns x 4 bytes overflows.
  msg = fault_of(sim, program("li x6, 2\nli x9, 1\nshli x9, x9, 62\n", "vrowmax x5, x5, x9, x6, s1"), {1, 1, 1},
                 {static_cast<int64_t>(buffer)});
  CHECK(msg.find("out of range") != std::string::npos);
  msg = fault_of(sim, assemble("signal s1, -2\nhalt\n"), {1, 1, 1}, {});
  CHECK(msg.find("cannot be negative") != std::string::npos);
}
