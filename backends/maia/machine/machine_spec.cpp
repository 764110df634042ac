// Reading and writing the machine description (docs/maia.md, "The description file").
// One table of keys drives parsing, range checks and serialization, so the three
// cannot drift apart: a key added to MachineSpec needs one row here and nothing else.
#include "tegula/maia/machine.h"

#include "tegula/maia/isa.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace tegula::maia {
namespace {

constexpr uint64_t KiB = uint64_t{1} << 10, MiB = uint64_t{1} << 20,
                   GiB = uint64_t{1} << 30, TiB = uint64_t{1} << 40;

enum class Kind {
  Name,  ///< a word: letters, digits, . _ + -
  Count, ///< a decimal integer
  Size,  ///< a byte count, optionally with KiB/MiB/GiB; a multiple of 64
  Real,  ///< a finite decimal number > 0
  Shape, ///< MxNxK, each a count (the tensor unit's block)
};

/// One key of the format. Exactly one member pointer matches `kind` (none for
/// Shape, which spans ttu_m, ttu_n and ttu_k).
struct Key {
  std::string_view name;
  std::string_view section;
  Kind kind;
  int64_t lo = 0, hi = 0; ///< inclusive bounds for Count, Size and each Shape part
  double real_hi = 0;     ///< Real: the range is (0, real_hi]
  int MachineSpec::*count = nullptr;
  uint64_t MachineSpec::*size = nullptr;
  double MachineSpec::*real = nullptr;
  std::string MachineSpec::*text = nullptr;
};

// The bounds keep every derived quantity (tiles(), per-tile SRAM the simulator
// allocates, cycle counts) far from overflow; the tighter ones (queue_depth,
// semaphores, tsram_bytes) are what the ISA and the simulator can represent.
const std::vector<Key> &keys() {
  using M = MachineSpec;
  static const std::vector<Key> table = {
      {.name = "name", .section = "chip", .kind = Kind::Name, .text = &M::name},
      {.name = "clusters", .section = "chip", .kind = Kind::Count, .lo = 1, .hi = 1024,
       .count = &M::clusters},
      // At most kMaxTilesPerCluster: the race detector's clocks have a lane per tile.
      {.name = "tiles_per_cluster", .section = "chip", .kind = Kind::Count, .lo = 1,
       .hi = kMaxTilesPerCluster, .count = &M::tiles_per_cluster},
      {.name = "clock_ghz", .section = "chip", .kind = Kind::Real, .real_hi = 100,
       .real = &M::clock_ghz},
      {.name = "hbm_bytes", .section = "chip", .kind = Kind::Size, .lo = 64 * KiB,
       .hi = TiB, .size = &M::hbm_bytes},
      {.name = "hbm_gbytes_per_s", .section = "chip", .kind = Kind::Real, .real_hi = 1e6,
       .real = &M::hbm_gbytes_per_s},
      {.name = "csram_bytes", .section = "cluster", .kind = Kind::Size, .lo = 64 * KiB,
       .hi = 4 * GiB, .size = &M::csram_bytes},
      {.name = "csram_bytes_per_cycle", .section = "cluster", .kind = Kind::Real,
       .real_hi = 1e6, .real = &M::csram_bytes_per_cycle},
      {.name = "csram_latency_cycles", .section = "cluster", .kind = Kind::Count, .lo = 0,
       .hi = 1000000, .count = &M::csram_latency_cycles},
      {.name = "tsram_bytes", .section = "tile", .kind = Kind::Size, .lo = 64 * KiB,
       .hi = GiB, .size = &M::tsram_bytes},
      {.name = "ttu_shape", .section = "tile", .kind = Kind::Shape, .lo = 1, .hi = 256},
      {.name = "ttu_latency_cycles", .section = "tile", .kind = Kind::Count, .lo = 0,
       .hi = 1000000, .count = &M::ttu_latency_cycles},
      {.name = "tvp_lanes", .section = "tile", .kind = Kind::Count, .lo = 1, .hi = 4096,
       .count = &M::tvp_lanes},
      {.name = "tvp_latency_cycles", .section = "tile", .kind = Kind::Count, .lo = 0,
       .hi = 1000000, .count = &M::tvp_latency_cycles},
      {.name = "tvp_exp_cycles", .section = "tile", .kind = Kind::Count, .lo = 1,
       .hi = 1000000, .count = &M::tvp_exp_cycles},
      {.name = "dma_latency_cycles", .section = "tile", .kind = Kind::Count, .lo = 0,
       .hi = 1000000, .count = &M::dma_latency_cycles},
      {.name = "dma_bytes_per_cycle", .section = "tile", .kind = Kind::Real,
       .real_hi = 1e6, .real = &M::dma_bytes_per_cycle},
      {.name = "queue_depth", .section = "tile", .kind = Kind::Count, .lo = 1, .hi = 64,
       .count = &M::queue_depth},
      {.name = "semaphores", .section = "tile", .kind = Kind::Count, .lo = 1,
       .hi = kSemaphores, .count = &M::semaphores},
  };
  return table;
}

constexpr std::string_view kSections[] = {"chip", "cluster", "tile"};

const Key *find_key(std::string_view name) {
  for (const Key &key : keys())
    if (key.name == name)
      return &key;
  return nullptr;
}

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos)
    return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Sizes are printed in the largest unit that divides them, so a file written by
// serialize() reads like one written by hand.
std::string format_size(uint64_t bytes) {
  for (auto [unit, suffix] : {std::pair{GiB, " GiB"}, {MiB, " MiB"}, {KiB, " KiB"}})
    if (bytes != 0 && bytes % unit == 0)
      return std::to_string(bytes / unit) + suffix;
  return std::to_string(bytes);
}

// Shortest text that reads back to the same double, so serialize/parse round-trips.
std::string format_real(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string range_text(const Key &key) {
  switch (key.kind) {
  case Kind::Size:
    return format_size(key.lo) + " .. " + format_size(key.hi) + ", a multiple of 64";
  case Kind::Real:
    return "greater than 0, at most " + format_real(key.real_hi);
  default:
    return std::to_string(key.lo) + " .. " + std::to_string(key.hi);
  }
}

/// What is wrong with a value, or nothing; the caller adds line and key.
using Problem = std::optional<std::string>;

Problem malformed(std::string_view value, std::string_view expected) {
  return "has malformed value '" + std::string(value) + "' (expected " +
         std::string(expected) + ")";
}

Problem out_of_range(const Key &key, std::string_view value) {
  return "value '" + std::string(value) + "' is out of range (" + range_text(key) + ")";
}

// A whole-string decimal integer. A leading '-' is read so that "-1" is reported as
// out of range rather than malformed, which is the more useful message.
std::optional<int64_t> parse_int(std::string_view s, bool &overflow) {
  int64_t v = 0;
  overflow = false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size())
    return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    overflow = true;
    return std::nullopt;
  }
  return ec == std::errc() ? std::optional(v) : std::nullopt;
}

Problem check_int(const Key &key, std::string_view text, int64_t v) {
  if (v < key.lo || v > key.hi)
    return out_of_range(key, text);
  return std::nullopt;
}

Problem check_size(const Key &key, std::string_view text, uint64_t v) {
  if (v < uint64_t(key.lo) || v > uint64_t(key.hi))
    return out_of_range(key, text);
  // DMA rows and TTU operands are addressed in 64-byte granules.
  if (v % 64 != 0)
    return "value '" + std::string(text) + "' is not a multiple of 64 bytes";
  return std::nullopt;
}

Problem check_real(const Key &key, std::string_view text, double v) {
  if (!(v > 0) || v > key.real_hi)
    return out_of_range(key, text);
  return std::nullopt;
}

bool valid_name(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
           c == '-' || c == '+';
  });
}

Problem parse_count(const Key &key, std::string_view text, int64_t &out) {
  bool overflow = false;
  std::optional<int64_t> v = parse_int(text, overflow);
  if (overflow)
    return out_of_range(key, text);
  if (!v)
    return malformed(text, "a decimal integer");
  out = *v;
  return check_int(key, text, *v);
}

Problem parse_size(const Key &key, std::string_view text, uint64_t &out) {
  size_t digits = text.find_first_not_of("-0123456789");
  std::string_view number = text.substr(0, digits);
  std::string_view suffix = digits == std::string_view::npos ? "" : trim(text.substr(digits));
  uint64_t unit = 1;
  if (suffix == "KiB")
    unit = KiB;
  else if (suffix == "MiB")
    unit = MiB;
  else if (suffix == "GiB")
    unit = GiB;
  else if (!suffix.empty() && !std::isalpha(static_cast<unsigned char>(suffix[0])))
    return malformed(text, "a byte count such as 4194304 or 4 MiB");
  else if (!suffix.empty())
    return "has unknown size suffix '" + std::string(suffix) + "' in '" + std::string(text) +
           "' (sizes take no suffix or KiB, MiB, GiB: powers of 1024)";
  bool overflow = false;
  std::optional<int64_t> v = parse_int(number, overflow);
  if (overflow)
    return out_of_range(key, text);
  if (!v)
    return malformed(text, "a byte count such as 4194304 or 4 MiB");
  if (*v < 0 || uint64_t(*v) > uint64_t(key.hi) / unit)
    return out_of_range(key, text);
  out = uint64_t(*v) * unit;
  return check_size(key, text, out);
}

Problem parse_real(const Key &key, std::string_view text, double &out) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  // from_chars also accepts "inf" and "nan": neither is a clock or a bandwidth.
  if (text.empty() || end != text.data() + text.size() || !std::isfinite(v))
    return malformed(text, "a decimal number such as 1.5");
  if (ec == std::errc::result_out_of_range)
    return out_of_range(key, text);
  out = v;
  return check_real(key, text, v);
}

Problem parse_shape(const Key &key, std::string_view text, int64_t (&out)[3]) {
  std::string_view rest = text;
  for (int i = 0; i < 3; ++i) {
    size_t x = i < 2 ? rest.find('x') : std::string_view::npos;
    if (i < 2 && x == std::string_view::npos)
      return malformed(text, "MxNxK such as 16x16x16");
    std::string_view part = trim(rest.substr(0, x));
    bool overflow = false;
    std::optional<int64_t> v = parse_int(part, overflow);
    if (!v && !overflow)
      return malformed(text, "MxNxK such as 16x16x16");
    if (overflow || *v < key.lo || *v > key.hi)
      return "value '" + std::string(text) + "' is out of range (each of M, N, K in " +
             range_text(key) + ")";
    out[i] = *v;
    rest = i < 2 ? rest.substr(x + 1) : std::string_view{};
  }
  return std::nullopt;
}

/// Reads `text` into the field(s) of `spec` that `key` names.
Problem assign(const Key &key, std::string_view text, MachineSpec &spec) {
  switch (key.kind) {
  case Kind::Name:
    if (!valid_name(text))
      return malformed(text, "a name of up to 64 letters, digits, '.', '_', '-', '+'");
    spec.*key.text = std::string(text);
    return std::nullopt;
  case Kind::Count: {
    int64_t v = 0;
    if (Problem p = parse_count(key, text, v))
      return p;
    spec.*key.count = int(v);
    return std::nullopt;
  }
  case Kind::Size:
    return parse_size(key, text, spec.*key.size);
  case Kind::Real:
    return parse_real(key, text, spec.*key.real);
  case Kind::Shape: {
    int64_t mnk[3];
    if (Problem p = parse_shape(key, text, mnk))
      return p;
    spec.ttu_m = int(mnk[0]), spec.ttu_n = int(mnk[1]), spec.ttu_k = int(mnk[2]);
    return std::nullopt;
  }
  }
  return std::nullopt;
}

/// The text of `key` in `spec`, and a problem if the value could not be read back.
std::string render(const Key &key, const MachineSpec &spec, Problem &problem) {
  switch (key.kind) {
  case Kind::Name: {
    const std::string &s = spec.*key.text;
    if (!valid_name(s))
      problem = malformed(s, "a name of up to 64 letters, digits, '.', '_', '-', '+'");
    return s;
  }
  case Kind::Count: {
    std::string s = std::to_string(spec.*key.count);
    problem = check_int(key, s, spec.*key.count);
    return s;
  }
  case Kind::Size: {
    std::string s = format_size(spec.*key.size);
    problem = check_size(key, s, spec.*key.size);
    return s;
  }
  case Kind::Real: {
    double v = spec.*key.real;
    std::string s = format_real(v);
    problem = std::isfinite(v) ? check_real(key, s, v) : malformed(s, "a finite number");
    return s;
  }
  case Kind::Shape: {
    std::string s = std::to_string(spec.ttu_m) + "x" + std::to_string(spec.ttu_n) + "x" +
                    std::to_string(spec.ttu_k);
    int64_t mnk[3];
    problem = parse_shape(key, s, mnk);
    return s;
  }
  }
  return {};
}

// Edit distance, for "did you mean" on misspelt keys.
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_key_hint(std::string_view name) {
  const Key *best = nullptr;
  size_t best_d = 3; // more than two edits away is not a typo
  for (const Key &key : keys())
    if (size_t d = distance(name, key.name); d < best_d)
      best = &key, best_d = d;
  if (!best)
    return "";
  return " (did you mean '" + std::string(best->name) + "' in [" +
         std::string(best->section) + "]?)";
}

/// Parses `text`; `source` names it in messages (a path, or "machine description").
MachineSpec parse_from(const std::string &text, const std::string &source) {
  MachineSpec spec;
  std::string_view section;
  std::map<std::string, int, std::less<>> key_lines, section_lines;
  int line_no = 0;
  auto fail = [&](const std::string &what) {
    throw Error(ErrorCode::InvalidArgument,
                source + ", line " + std::to_string(line_no) + ": " + what);
  };

  std::string_view rest = text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view raw = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++line_no;
    std::string_view line = trim(raw.substr(0, raw.find('#')));
    if (line.empty())
      continue;

    if (line.front() == '[') {
      if (line.back() != ']')
        fail("malformed section header '" + std::string(line) + "' (expected [chip], " +
             "[cluster] or [tile])");
      std::string_view name = trim(line.substr(1, line.size() - 2));
      if (std::find(std::begin(kSections), std::end(kSections), name) == std::end(kSections))
        fail("unknown section [" + std::string(name) +
             "] (sections are [chip], [cluster] and [tile])");
      if (auto it = section_lines.find(name); it != section_lines.end())
        fail("duplicate section [" + std::string(name) + "] (first opened on line " +
             std::to_string(it->second) + ")");
      section_lines.emplace(std::string(name), line_no);
      section = *std::find(std::begin(kSections), std::end(kSections), name);
      continue;
    }

    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      std::string_view word = line.substr(0, line.find_first_of(" \t"));
      fail("key '" + std::string(word) + "' has no '=' (expected 'key = value')");
    }
    std::string_view name = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (name.empty())
      fail("missing key before '=' (expected 'key = value')");

    const Key *key = find_key(name);
    if (section.empty()) {
      std::string where = key ? " (it belongs in [" + std::string(key->section) + "])"
                              : unknown_key_hint(name);
      fail("key '" + std::string(name) + "' is outside any section" + where);
    }
    if (!key)
      fail("unknown key '" + std::string(name) + "' in [" + std::string(section) + "]" +
           unknown_key_hint(name));
    if (key->section != section)
      fail("unknown key '" + std::string(name) + "' in [" + std::string(section) +
           "] (it belongs in [" + std::string(key->section) + "])");
    if (auto it = key_lines.find(name); it != key_lines.end())
      fail("duplicate key '" + std::string(name) + "' (first set on line " +
           std::to_string(it->second) + ")");
    key_lines.emplace(std::string(name), line_no);

    if (Problem problem = assign(*key, value, spec))
      fail("key '" + std::string(name) + "' " + *problem);
  }
  return spec;
}

} // namespace

MachineSpec MachineSpec::parse(const std::string &text) {
  return parse_from(text, "machine description");
}

MachineSpec MachineSpec::load(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(ErrorCode::InvalidArgument,
                "cannot read machine description '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::InvalidArgument, "cannot read machine description '" + path +
                                                "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw Error(ErrorCode::InvalidArgument,
                "cannot read machine description '" + path + "': read failed");
  return parse_from(text.str(), path);
}

// Every key is written, so the text stands alone: it does not depend on the defaults
// of whichever build reads it. A spec the parser would reject (set in code to an out
// of range value) is refused here rather than written as a file that cannot be read.
std::string MachineSpec::serialize() const {
  size_t width = 0;
  for (const Key &key : keys())
    width = std::max(width, key.name.size());
  std::string out = "# Tegula Maia-style machine description (format: docs/maia.md)\n";
  std::string_view section;
  for (const Key &key : keys()) {
    if (key.section != section) {
      section = key.section;
      out += "\n[" + std::string(section) + "]\n";
    }
    Problem problem;
    std::string value = render(key, *this, problem);
    if (problem)
      throw Error(ErrorCode::InvalidArgument,
                  "cannot serialize machine description: key '" + std::string(key.name) +
                      "' " + *problem);
    out += std::string(key.name) + std::string(width - key.name.size(), ' ') + " = " +
           value + "\n";
  }
  return out;
}

} // namespace tegula::maia
