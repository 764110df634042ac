// The bundle file: a header line, then each entry as a line naming its target and
// driver followed by two length-prefixed blocks (its signature in KernelInfo's text
// form, its executable as its driver writes it), so that binaries need no escaping and
// a truncated or corrupt file is caught at the block it breaks.
#include "tegula/runtime/bundle.h"

#include "tegula/runtime/driver.h"
#include "tegula/runtime/error.h"

#include <fstream>
#include <sstream>

namespace tegula {

namespace {

constexpr const char *kHeader = "tegula-bundle 1";
/// No block of a bundle is larger (a cubin is a few MiB at most).
constexpr size_t kMaxBlock = size_t{1} << 30;

/// Reads `bytes` front to back; every failure names the entry and what was expected.
class Reader {
public:
  explicit Reader(const std::string &bytes) : bytes_(bytes) {}
  bool done() const { return at_ >= bytes_.size(); }
  std::string line(const std::string &where) {
    const size_t end = bytes_.find('\n', at_);
    if (end == std::string::npos)
      throw fail(where + ": the file ends inside a line");
    std::string text = bytes_.substr(at_, end - at_);
    at_ = end + 1;
    return text;
  }
  /// "<key> <length>\n" then that many bytes.
  std::string block(const std::string &key, const std::string &where) {
    std::istringstream fields(line(where));
    std::string name;
    long long length = -1;
    std::string rest;
    if (!(fields >> name >> length) || name != key || (fields >> rest) || length < 0 ||
        static_cast<unsigned long long>(length) > kMaxBlock)
      throw fail(where + ": expected '" + key + " <bytes>'");
    if (bytes_.size() - at_ < static_cast<size_t>(length))
      throw fail(where + ": its " + key + " block of " + std::to_string(length) + " bytes is cut short (" +
                 std::to_string(bytes_.size() - at_) + " left)");
    std::string block = bytes_.substr(at_, static_cast<size_t>(length));
    at_ += static_cast<size_t>(length);
    return block;
  }
  static Error fail(const std::string &why) { return Error(ErrorCode::LoadError, "bundle: " + why); }

private:
  const std::string &bytes_;
  size_t at_ = 0;
};

} // namespace

void Bundle::add(std::string target, Kernel kernel) {
  if (!kernel.valid())
    throw Error(ErrorCode::InvalidArgument, "bundle: an empty kernel for " + target);
  if (target.empty() || target.find_first_of(" \n") != std::string::npos)
    throw Error(ErrorCode::InvalidArgument, "bundle: a target name without spaces, got '" + target + "'");
  entries_.push_back({std::move(target), std::move(kernel)});
}

std::string Bundle::serialize() const {
  std::string out = std::string(kHeader) + "\nentries " + std::to_string(entries_.size()) + "\n";
  for (const Entry &entry : entries_) {
    const Driver &driver = find_driver(entry.kernel.driver());
    const std::string info = entry.kernel.info().serialize();
    const std::string executable = driver.serialize(*entry.kernel.executable());
    out += "entry " + entry.target + " " + driver.name() + "\n";
    out += "info " + std::to_string(info.size()) + "\n" + info;
    out += "executable " + std::to_string(executable.size()) + "\n" + executable;
  }
  return out;
}

Bundle Bundle::parse(const std::string &bytes) {
  Reader in(bytes);
  if (in.line("the header") != kHeader)
    throw Reader::fail("not a bundle (expected the header '" + std::string(kHeader) + "')");
  std::istringstream count(in.line("the entry count"));
  std::string key, rest;
  long long entries = -1;
  if (!(count >> key >> entries) || key != "entries" || (count >> rest) || entries < 0 || entries > 4096)
    throw Reader::fail("expected 'entries <count>' (0 to 4096) after the header");
  Bundle bundle;
  for (long long i = 0; i < entries; ++i) {
    const std::string where = "entry " + std::to_string(i);
    std::istringstream head(in.line(where));
    std::string target, driverName;
    if (!(head >> key >> target >> driverName) || key != "entry" || (head >> rest))
      throw Reader::fail(where + ": expected 'entry <target> <driver>'");
    const std::string info = in.block("info", where), executable = in.block("executable", where);
    KernelInfo parsed;
    try {
      parsed = KernelInfo::parse(info);
    } catch (const Error &e) {
      throw Reader::fail(where + " (" + target + "): " + e.what());
    }
    const Driver *driver = nullptr;
    try {
      driver = &find_driver(driverName);
    } catch (const Error &e) {
      throw Reader::fail(where + " (" + target + "): " + e.what());
    }
    std::shared_ptr<const Executable> loaded;
    try {
      loaded = driver->deserialize(executable);
    } catch (const Error &e) {
      throw Reader::fail(where + " (" + target + "): " + e.what());
    }
    bundle.add(target, Kernel(std::move(parsed), std::move(loaded)));
  }
  if (!in.done())
    throw Reader::fail("bytes after the last of its " + std::to_string(entries) + " entries");
  return bundle;
}

Bundle Bundle::load(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw Error(ErrorCode::LoadError, "bundle: cannot read " + path);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  try {
    return parse(bytes.str());
  } catch (const Error &e) {
    throw Error(ErrorCode::LoadError, path + ": " + e.what());
  }
}

void Bundle::save(const std::string &path) const {
  const std::string bytes = serialize();
  std::ofstream file(path, std::ios::binary);
  if (!file || !file.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw Error(ErrorCode::InvalidArgument, "bundle: cannot write " + path);
}

const Kernel &Bundle::select(const Device &device, const Grid &grid, std::span<const Arg> args) const {
  std::string reasons;
  for (const Entry &entry : entries_) {
    std::string why;
    if (entry.kernel.driver() != device.driver()) {
      why = "runs on the " + entry.kernel.driver() + " driver, the device on " + device.driver();
    } else if (!find_driver(device.driver()).runs(*entry.kernel.executable(), device.state(), &why)) {
      // `why` says which architecture
    } else {
      try {
        validate_launch(entry.kernel.info(), grid, args);
        return entry.kernel;
      } catch (const Error &e) {
        why = e.what();
      }
    }
    reasons += "\n  " + entry.target + ": " + why;
  }
  throw Error(ErrorCode::Unsupported, "no entry of the bundle runs on " + device.name() + " with these arguments" +
                                          (entries_.empty() ? std::string(" (the bundle is empty)") : ":" + reasons));
}

void Bundle::launch(const Device &device, const Grid &grid, std::span<const Arg> args,
                    const LaunchOptions &options) const {
  device.launch(select(device, grid, args), grid, args, options);
}

} // namespace tegula
