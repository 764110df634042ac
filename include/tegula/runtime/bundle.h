// AOT bundles: one kernel compiled ahead of time for several targets and
// specializations (`tegula compile <kernel> --emit bundle`), each entry with its
// signature (which arguments it assumes divisible, which pointers aligned), its launch
// metadata and its binary. The runtime alone loads a bundle and, for each launch, picks
// the first entry whose driver is the device's, whose architecture the device runs and
// whose assumptions the actual arguments meet; if none fits, the launch is refused,
// every entry named with why: a bundle never runs a kernel on arguments it was not
// compiled for.
#ifndef TEGULA_RUNTIME_BUNDLE_H
#define TEGULA_RUNTIME_BUNDLE_H

#include "tegula/runtime/device.h"
#include "tegula/runtime/kernel.h"
#include "tegula/runtime/launch.h"

#include <span>
#include <string>
#include <vector>

namespace tegula {

class Bundle {
public:
  struct Entry {
    std::string target; ///< what it was compiled for: "cuda:sm_90"
    Kernel kernel;      ///< its signature and executable
  };

  /// Appends an entry; entries are tried in the order added (put specialized ones first).
  void add(std::string target, Kernel kernel);
  const std::vector<Entry> &entries() const { return entries_; }

  /// The bundle as bytes; Error(Unsupported) if an entry's driver cannot store its kernels.
  std::string serialize() const;
  /// A bundle from bytes; Error(LoadError) naming the entry and field that is malformed.
  static Bundle parse(const std::string &bytes);
  /// parse() of a file; Error(LoadError) when it cannot be read.
  static Bundle load(const std::string &path);
  void save(const std::string &path) const;

  /// The entry's kernel that runs on `device` with these arguments (see above), or
  /// Error(Unsupported) naming each entry and why it does not fit.
  const Kernel &select(const Device &device, const Grid &grid, std::span<const Arg> args) const;
  void launch(const Device &device, const Grid &grid, std::span<const Arg> args,
              const LaunchOptions &options = {}) const;

private:
  std::vector<Entry> entries_;
};

} // namespace tegula

#endif
