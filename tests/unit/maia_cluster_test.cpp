// Cluster SRAM and the cluster barrier on the simulator: data shared between the tiles
// of a cluster, the barrier's ordering, and the faults it must catch (a CSRAM race
// even when the timing hides it, a barrier some tile never reaches, CSRAM bounds).
#include "tegula/maia/isa.h"
#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>

using namespace tegula;
using namespace tegula::maia;

namespace {

std::string fault_of(Simulator &sim, const Program &p, std::array<int64_t, 3> grid, std::vector<int64_t> args) {
  try {
    sim.run(p, grid, args);
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::DeviceFault);
    return e.what();
  }
  FAIL("the simulator did not report a fault");
  return "";
}

// Program (lane, group) of a grid (4, groups): each of a cluster's four programs copies
// its 256-byte quarter of src[group] into CSRAM, waits for that copy, meets the others
// at the barrier, then reads all 1024 bytes back from CSRAM and writes them to its own
// kilobyte of dst: dst[(group*4 + lane)*1024 ..] = src[group*1024 ..]. Arguments: src,
// dst. The tests that leave out the wait or the barrier, or add a busy loop before the
// read, replace {WAIT}, {BARRIER} and {DELAY}.
const char *kShare = R"(
  arg  x1, 0
  arg  x2, 1
  pid  x3, 0              # lane
  pid  x13, 1             # group
  li   x9, 1
  shli x9, x9, 62         # the CSRAM window
  muli x4, x3, 256
  muli x14, x13, 1024
  add  x5, x1, x14
  add  x5, x5, x4         # src + group*1024 + lane*256
  add  x6, x9, x4         # CSRAM + lane*256
  li   x7, 1
  li   x8, 256
  dma.in x6, x5, x7, x8, x8, 0, s1
  {WAIT}
  {BARRIER}
  {DELAY}
  li   x10, 1024
  li   x11, 0             # TSRAM 0
  dma.in x11, x9, x7, x10, x10, 0, s2
  wait s2, 1
  muli x12, x13, 4
  add  x12, x12, x3
  muli x12, x12, 1024
  add  x12, x2, x12
  dma.out x12, x11, x7, x10, x10, 0, s3
  wait s3, 1
  halt
)";

std::string share_program(bool wait, bool barrier, bool delay) {
  std::string text = kShare;
  auto put = [&](const std::string &key, const std::string &with) { text.replace(text.find(key), key.size(), with); };
  put("{WAIT}", wait ? "wait s1, 1" : "");
  put("{BARRIER}", barrier ? "cbar" : "");
  // Long enough that every quarter has landed before anyone reads, so only the
  // happens-before check can tell that nothing orders the two.
  put("{DELAY}", delay ? "li x20, 0\n  li x21, 20000\nspin: addi x20, x20, 1\n  blt x20, x21, spin" : "");
  return text;
}

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::vector<uint8_t> v(n);
  for (uint8_t &b : v)
    b = static_cast<uint8_t>(gen());
  return v;
}

} // namespace

TEST_CASE("tiles of a cluster share data through CSRAM after the barrier", "[maia][cluster]") {
  uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  Simulator sim;
  // Two groups, so that two clusters share at once, each in its own CSRAM.
  const int groups = 2;
  auto src = random_bytes(groups * 1024, seed);
  uint64_t s = sim.hbm().allocate(groups * 1024, "src"), d = sim.hbm().allocate(groups * 4 * 1024, "dst");
  std::memcpy(sim.hbm().host(s, src.size()), src.data(), src.size());
  std::memset(sim.hbm().host(d, groups * 4096), 0xAB, groups * 4096);
  SimStats stats = sim.run(assemble(share_program(true, true, false)), {4, groups, 1},
                           {static_cast<int64_t>(s), static_cast<int64_t>(d)});
  for (int g = 0; g < groups; ++g)
    for (int lane = 0; lane < 4; ++lane) {
      INFO("group " << g << " lane " << lane);
      CHECK(std::memcmp(sim.hbm().host(d + (g * 4 + lane) * 1024, 1024), src.data() + g * 1024, 1024) == 0);
    }
  CHECK(stats.barriers == groups);
  CHECK(stats.csram_bytes == groups * (4 * 256 + 4 * 1024));
  CHECK(stats.hbm_bytes_read == groups * 1024);
}

TEST_CASE("a CSRAM race is caught even when the timing hides it", "[maia][cluster][faults]") {
  Simulator sim;
  uint64_t s = sim.hbm().allocate(1024, "src"), d = sim.hbm().allocate(4096, "dst");
  std::vector<int64_t> args{static_cast<int64_t>(s), static_cast<int64_t>(d)};
  // No barrier: the delay makes every quarter land first, but nothing orders them.
  std::string noBarrier = fault_of(sim, assemble(share_program(true, false, true)), {4, 1, 1}, args);
  INFO(noBarrier);
  CHECK(noBarrier.find("race: reads CSRAM") != std::string::npos);
  CHECK(noBarrier.find("dma.in") != std::string::npos);
  CHECK(noBarrier.find("cluster barrier") != std::string::npos);
  // A barrier without waiting for one's own copy first orders the issue, not the data.
  std::string noWait = fault_of(sim, assemble(share_program(false, true, true)), {4, 1, 1}, args);
  INFO(noWait);
  CHECK(noWait.find("race") != std::string::npos);
  CHECK(noWait.find("CSRAM") != std::string::npos);
}

TEST_CASE("a barrier that some tile of the group never reaches is a deadlock", "[maia][cluster][faults]") {
  Simulator sim;
  // Lane 3 ends without the barrier; the other three wait for it forever.
  Program program = assemble(R"(
    pid x1, 0
    li  x2, 3
    bge x1, x2, out
    cbar
  out:
    halt
  )");
  std::string message = fault_of(sim, program, {4, 1, 1}, {});
  INFO(message);
  CHECK(message.find("deadlock: waits at the cluster barrier") != std::string::npos);
  CHECK(message.find("cbar") != std::string::npos);
  // A group of two (a grid of 2 programs) needs only those two.
  Program both = assemble("cbar\ncbar\nhalt\n");
  CHECK(sim.run(both, {2, 1, 1}, {}).barriers == 2);
}

TEST_CASE("CSRAM accesses outside the cluster's SRAM are faults", "[maia][cluster][faults]") {
  Simulator sim;
  uint64_t s = sim.hbm().allocate(1024, "src");
  // 256 bytes starting 128 bytes before the end of CSRAM.
  Program program = assemble("arg x1, 0\nli x2, 1\nshli x2, x2, 62\nli x3, " +
                             std::to_string(sim.spec().csram_bytes - 128) +
                             "\nadd x2, x2, x3\nli x4, 1\nli x5, 256\ndma.in x2, x1, x4, x5, x5, 0, s1\nwait s1, 1\nhalt\n");
  std::string message = fault_of(sim, program, {1, 1, 1}, {static_cast<int64_t>(s)});
  INFO(message);
  CHECK(message.find("CSRAM") != std::string::npos);
  CHECK(message.find("outside the cluster's") != std::string::npos);
  CHECK(message.find("dma.in") != std::string::npos);
}

TEST_CASE("CSRAM bandwidth is shared by the tiles of a cluster", "[maia][cluster][timing]") {
  MachineSpec spec = MachineSpec::defaults();
  spec.csram_bytes_per_cycle = 512; // below four engines' 1024, so sharing shows
  Simulator sim(spec);
  // Each program reads 1 MiB from CSRAM into TSRAM.
  Program program = assemble("li x1, 1\nshli x1, x1, 62\nli x2, 0\nli x3, 1024\nli x4, 1024\n"
                             "dma.in x2, x1, x3, x4, x4, 0, s1\nwait s1, 1\nhalt\n");
  SimOptions timing;
  timing.functional = false;
  const double bytes = 1024.0 * 1024;
  double one = sim.run(program, {1, 1, 1}, {}, timing).cycles;
  double four = sim.run(program, {4, 1, 1}, {}, timing).cycles;
  // Alone: the engine's 256 B/cycle; four in one cluster: 512 / 4 = 128 each.
  CHECK(one == Approx(spec.csram_latency_cycles + bytes / 256).epsilon(0.01));
  CHECK(four == Approx(spec.csram_latency_cycles + bytes / 128).epsilon(0.01));
  // Eight programs span two clusters: each cluster has its own bandwidth.
  double eight = sim.run(program, {8, 1, 1}, {}, timing).cycles;
  CHECK(eight == Approx(four).epsilon(0.01));
}
