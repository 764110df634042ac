// The machine description: the default file is the frozen defaults, serialize and
// parse are inverses, and every malformed input is rejected with its line and key.
#include "tegula/maia/machine.h"
#include "tegula/runtime/error.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#ifndef TEGULA_MAIA_DEFAULT_MACHINE
#error "define TEGULA_MAIA_DEFAULT_MACHINE as the path of backends/maia/machines/maia100.machine"
#endif

using tegula::Error;
using tegula::ErrorCode;
using tegula::maia::MachineSpec;
using Catch::Matchers::Contains;

namespace {

// Field by field, so a failure names the field that differs.
void check_same(const MachineSpec &a, const MachineSpec &b) {
  CHECK(a.name == b.name);
  CHECK(a.clusters == b.clusters);
  CHECK(a.tiles_per_cluster == b.tiles_per_cluster);
  CHECK(a.clock_ghz == b.clock_ghz);
  CHECK(a.hbm_bytes == b.hbm_bytes);
  CHECK(a.hbm_gbytes_per_s == b.hbm_gbytes_per_s);
  CHECK(a.csram_bytes == b.csram_bytes);
  CHECK(a.csram_bytes_per_cycle == b.csram_bytes_per_cycle);
  CHECK(a.csram_latency_cycles == b.csram_latency_cycles);
  CHECK(a.tsram_bytes == b.tsram_bytes);
  CHECK(a.ttu_m == b.ttu_m);
  CHECK(a.ttu_n == b.ttu_n);
  CHECK(a.ttu_k == b.ttu_k);
  CHECK(a.ttu_latency_cycles == b.ttu_latency_cycles);
  CHECK(a.tvp_lanes == b.tvp_lanes);
  CHECK(a.tvp_latency_cycles == b.tvp_latency_cycles);
  CHECK(a.tvp_exp_cycles == b.tvp_exp_cycles);
  CHECK(a.dma_latency_cycles == b.dma_latency_cycles);
  CHECK(a.dma_bytes_per_cycle == b.dma_bytes_per_cycle);
  CHECK(a.queue_depth == b.queue_depth);
  CHECK(a.semaphores == b.semaphores);
}

// The message of the InvalidArgument error parse throws for `text`.
std::string parse_error(const std::string &text) {
  try {
    MachineSpec::parse(text);
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    return e.what();
  }
  FAIL("parsed without an error:\n" << text);
  return {};
}

std::string load_error(const std::string &path) {
  try {
    MachineSpec::load(path);
  } catch (const Error &e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    return e.what();
  }
  FAIL("loaded without an error: " << path);
  return {};
}

} // namespace

TEST_CASE("the default machine file is exactly the defaults", "[maia][machine]") {
  MachineSpec spec = MachineSpec::load(TEGULA_MAIA_DEFAULT_MACHINE);
  check_same(spec, MachineSpec::defaults());
  // The balance docs/maia.md quotes.
  CHECK(spec.tiles() == 64);
  CHECK(spec.peak_bf16_flops() == Approx(786.432e12));
  CHECK(spec.hbm_bytes_per_cycle() == Approx(1200.0));
  CHECK(spec.peak_bf16_flops() / (spec.hbm_gbytes_per_s * 1e9) == Approx(436.9).epsilon(1e-3));
}

TEST_CASE("serialize and parse are inverses", "[maia][machine]") {
  SECTION("defaults") {
    std::string text = MachineSpec::defaults().serialize();
    check_same(MachineSpec::parse(text), MachineSpec::defaults());
    CHECK(MachineSpec::parse(text).serialize() == text);
  }
  SECTION("a modified spec, with values that need care to print") {
    MachineSpec spec;
    spec.name = "test.chip-2+x";
    spec.clusters = 3;
    spec.tiles_per_cluster = 5;
    spec.clock_ghz = 1.2345678901234567; // needs all 17 digits
    spec.hbm_bytes = (uint64_t{3} << 30) + 64;
    spec.hbm_gbytes_per_s = 0.1;
    spec.csram_bytes = 96 * 1024;
    spec.csram_bytes_per_cycle = 0.3;
    spec.csram_latency_cycles = 0;
    spec.tsram_bytes = 65600; // a multiple of 64, not of 1 KiB
    spec.ttu_m = 8, spec.ttu_n = 32, spec.ttu_k = 4;
    spec.ttu_latency_cycles = 0;
    spec.tvp_lanes = 4096;
    spec.tvp_latency_cycles = 1;
    spec.tvp_exp_cycles = 7;
    spec.dma_latency_cycles = 1000000;
    spec.dma_bytes_per_cycle = 1e-3;
    spec.queue_depth = 64;
    spec.semaphores = 1;
    std::string text = spec.serialize();
    CAPTURE(text);
    check_same(MachineSpec::parse(text), spec);
    CHECK(MachineSpec::parse(text).serialize() == text);
    CHECK_THAT(text, Contains("ttu_shape             = 8x32x4"));
    CHECK_THAT(text, Contains("csram_bytes           = 96 KiB\n"));
    CHECK_THAT(text, Contains("tsram_bytes           = 65600\n"));
  }
}

TEST_CASE("the format: comments, blank lines, sizes, keys left out", "[maia][machine]") {
  MachineSpec spec = MachineSpec::parse("# a comment\r\n"
                                        "\n"
                                        "  [tile]   # trailing comment\r\n"
                                        "tsram_bytes=8MiB\n"
                                        "\tttu_shape = 32 x 16 x 8   \n"
                                        "[chip]\n"
                                        "hbm_bytes = 68719476736\n"
                                        "clock_ghz = 2");
  CHECK(spec.tsram_bytes == 8u << 20);
  CHECK((spec.ttu_m == 32 && spec.ttu_n == 16 && spec.ttu_k == 8));
  CHECK(spec.hbm_bytes == uint64_t{64} << 30);
  CHECK(spec.clock_ghz == 2.0);
  // Keys not given keep their defaults.
  CHECK(spec.clusters == 16);
  CHECK(spec.csram_bytes == 16u << 20);
  check_same(MachineSpec::parse(""), MachineSpec::defaults());
  CHECK(MachineSpec::parse("[cluster]\ncsram_bytes = 1 GiB").csram_bytes == uint64_t{1} << 30);
  CHECK(MachineSpec::parse("[cluster]\ncsram_bytes = 64KiB").csram_bytes == 65536);
}

TEST_CASE("each error names its line and key", "[maia][machine]") {
  SECTION("unknown section") {
    CHECK(parse_error("[chip]\nclusters = 4\n[tiles]\n") ==
          "invalid argument: machine description, line 3: unknown section [tiles] "
          "(sections are [chip], [cluster] and [tile])");
    CHECK_THAT(parse_error("[chip\n"), Contains("line 1: malformed section header '[chip'"));
  }
  SECTION("unknown key, with the section it belongs to") {
    CHECK(parse_error("[chip]\ntsram_bytes = 4 MiB\n") ==
          "invalid argument: machine description, line 2: unknown key 'tsram_bytes' in "
          "[chip] (it belongs in [tile])");
    CHECK(parse_error("[tile]\n\nvector_lanes = 8\n") ==
          "invalid argument: machine description, line 3: unknown key 'vector_lanes' in "
          "[tile]");
    CHECK_THAT(parse_error("[tile]\ntvp_lane = 8\n"),
               Contains("line 2: unknown key 'tvp_lane' in [tile] (did you mean "
                        "'tvp_lanes' in [tile]?)"));
  }
  SECTION("key outside a section") {
    CHECK(parse_error("# header\nclusters = 4\n[chip]\n") ==
          "invalid argument: machine description, line 2: key 'clusters' is outside any "
          "section (it belongs in [chip])");
  }
  SECTION("duplicate key") {
    CHECK(parse_error("[tile]\nqueue_depth = 4\nsemaphores = 8\nqueue_depth = 4\n") ==
          "invalid argument: machine description, line 4: duplicate key 'queue_depth' "
          "(first set on line 2)");
    CHECK_THAT(parse_error("[tile]\n[chip]\n[tile]\n"),
               Contains("line 3: duplicate section [tile] (first opened on line 1)"));
  }
  SECTION("malformed values") {
    CHECK(parse_error("[chip]\nclusters = sixteen\n") ==
          "invalid argument: machine description, line 2: key 'clusters' has malformed "
          "value 'sixteen' (expected a decimal integer)");
    CHECK_THAT(parse_error("[chip]\nclusters = 16.0"), Contains("line 2: key 'clusters' has malformed"));
    CHECK_THAT(parse_error("[chip]\nclusters ="), Contains("line 2: key 'clusters' has malformed value ''"));
    CHECK_THAT(parse_error("[chip]\nclock_ghz = 1.5 GHz"),
               Contains("line 2: key 'clock_ghz' has malformed value '1.5 GHz'"));
    CHECK_THAT(parse_error("[chip]\nclock_ghz = nan"), Contains("key 'clock_ghz' has malformed"));
    CHECK_THAT(parse_error("[chip]\nclock_ghz = inf"), Contains("key 'clock_ghz' has malformed"));
    CHECK_THAT(parse_error("[tile]\nttu_shape = 16x16"),
               Contains("line 2: key 'ttu_shape' has malformed value '16x16' (expected MxNxK"));
    CHECK_THAT(parse_error("[tile]\nttu_shape = 16x16x16x16"),
               Contains("key 'ttu_shape' has malformed value"));
    CHECK_THAT(parse_error("[tile]\ntsram_bytes = 4 MB"),
               Contains("line 2: key 'tsram_bytes' has unknown size suffix 'MB'"));
    CHECK_THAT(parse_error("[tile]\ntsram_bytes = 4.5 MiB"),
               Contains("line 2: key 'tsram_bytes' has malformed value '4.5 MiB'"));
    CHECK_THAT(parse_error("[chip]\nname = two words"),
               Contains("line 2: key 'name' has malformed value 'two words'"));
  }
  SECTION("values out of range") {
    CHECK(parse_error("[tile]\nqueue_depth = 65\n") ==
          "invalid argument: machine description, line 2: key 'queue_depth' value '65' "
          "is out of range (1 .. 64)");
    CHECK_THAT(parse_error("[tile]\nsemaphores = 33"),
               Contains("line 2: key 'semaphores' value '33' is out of range (1 .. 32)"));
    CHECK_THAT(parse_error("[tile]\nsemaphores = 0"), Contains("key 'semaphores' value '0' is out of range"));
    CHECK_THAT(parse_error("[chip]\nclusters = -1"), Contains("key 'clusters' value '-1' is out of range"));
    CHECK_THAT(parse_error("[chip]\nclusters = 99999999999999999999999"),
               Contains("key 'clusters' value '99999999999999999999999' is out of range"));
    CHECK_THAT(parse_error("[chip]\nclock_ghz = 0"),
               Contains("line 2: key 'clock_ghz' value '0' is out of range (greater than 0"));
    CHECK_THAT(parse_error("[chip]\nhbm_gbytes_per_s = -5"), Contains("key 'hbm_gbytes_per_s' value '-5' is out of range"));
    CHECK_THAT(parse_error("[tile]\ntsram_bytes = 32 KiB"),
               Contains("line 2: key 'tsram_bytes' value '32 KiB' is out of range (64 KiB .. 1 GiB, "
                        "a multiple of 64)"));
    CHECK_THAT(parse_error("[tile]\ntsram_bytes = 65537"),
               Contains("line 2: key 'tsram_bytes' value '65537' is not a multiple of 64 bytes"));
    CHECK_THAT(parse_error("[tile]\ntsram_bytes = 99999999999 GiB"),
               Contains("key 'tsram_bytes' value '99999999999 GiB' is out of range"));
    CHECK_THAT(parse_error("[tile]\nttu_shape = 16x0x16"),
               Contains("line 2: key 'ttu_shape' value '16x0x16' is out of range (each of M, N, K in 1 .. 256)"));
    CHECK_THAT(parse_error("[tile]\ntvp_exp_cycles = 0"), Contains("key 'tvp_exp_cycles' value '0' is out of range"));
  }
  SECTION("missing '='") {
    CHECK(parse_error("[tile]\nqueue_depth 8\n") ==
          "invalid argument: machine description, line 2: key 'queue_depth' has no '=' "
          "(expected 'key = value')");
    CHECK_THAT(parse_error("[tile]\n = 8\n"), Contains("line 2: missing key before '='"));
  }
}

TEST_CASE("load names the path", "[maia][machine]") {
  namespace fs = std::filesystem;
  std::string missing = (fs::temp_directory_path() / "tegula-no-such-dir" / "x.machine").string();
  CHECK(load_error(missing) == "invalid argument: cannot read machine description '" + missing +
                                   "': No such file or directory");
  std::string dir = fs::temp_directory_path().string();
  CHECK_THAT(load_error(dir), Contains("'" + dir + "': it is a directory"));

  // A parse error in a file names the file instead of "machine description".
  fs::path bad = fs::temp_directory_path() / "tegula-maia-machine-test.machine";
  std::ofstream(bad) << "[tile]\nqueue_depth = 0\n";
  CHECK(load_error(bad.string()) == "invalid argument: " + bad.string() +
                                        ", line 2: key 'queue_depth' value '0' is out of range (1 .. 64)");
  fs::remove(bad);
}

TEST_CASE("serialize refuses a spec it could not read back", "[maia][machine]") {
  MachineSpec spec;
  spec.queue_depth = 0;
  CHECK_THROWS_WITH(spec.serialize(), Contains("key 'queue_depth' value '0' is out of range"));
  spec = MachineSpec();
  spec.name = "has space";
  CHECK_THROWS_WITH(spec.serialize(), Contains("key 'name' has malformed value 'has space'"));
  spec = MachineSpec();
  spec.clock_ghz = std::nan("");
  CHECK_THROWS_AS(spec.serialize(), Error);
  spec = MachineSpec();
  spec.tsram_bytes = 65537;
  CHECK_THROWS_WITH(spec.serialize(), Contains("key 'tsram_bytes' value '65537' is not a multiple of 64"));
}
