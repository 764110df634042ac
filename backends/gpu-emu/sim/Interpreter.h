// Runs a Program for each block of a grid: every thread of the block, in lockstep, each
// instruction over the threads that take it (a mask per branch and loop iteration), so
// that divergent control flow, barriers and warp operations keep their GPU meaning.
// What the hardware leaves undefined or faults on is reported with the kernel's source
// line: a global access outside the launch's buffers, a vector access the code promised
// aligned that is not, a barrier reached by part of the block, a warp operation by a
// warp whose threads do not all take it, a read of shared memory never written, and two
// threads' accesses to the same shared bytes between barriers (one a write). Races are
// judged by barrier intervals, not by the order this schedule happened to run threads in.
// An asynchronous copy (cp.async) lands at the wait that retires it, the latest moment
// the hardware allows, and is checked at its issue against other threads' reads and
// writes of its destination since the last barrier, the earliest: code that reads before
// its wait sees stale bytes, and code that issues a copy over bytes still in use is a race.
// printf writes each thread's line whole to standard output; a trap fails the launch,
// quoting what the trapping thread printed last (a device assertion's report).
#ifndef TEGULA_BACKENDS_GPU_EMU_SIM_INTERPRETER_H
#define TEGULA_BACKENDS_GPU_EMU_SIM_INTERPRETER_H

#include "backends/gpu-emu/sim/Program.h"
#include "tegula/runtime/error.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tegula::gpuemu {

/// A buffer of the launch, where global accesses may go.
struct GlobalRange {
  uint64_t begin = 0, end = 0;
  std::string name;
};

/// Per source site: how warps touched memory.
struct AccessCounters {
  int64_t requests = 0;   ///< warp-wide executions of the access
  int64_t sectors = 0;    ///< global: 32-byte sectors touched; shared: bank wavefronts
  int64_t ideal = 0;      ///< the fewest those bytes could take
  int64_t bytes = 0;      ///< per thread per execution
};

struct LaunchReport {
  std::map<std::string, AccessCounters> global, shared; ///< by site
};

/// What the last launch on this thread counted (the gpu-emu driver keeps it).
LaunchReport &last_report();

class Interpreter {
public:
  Interpreter(const Program &program, std::vector<GlobalRange> ranges);
  /// Runs block `block` of `grid` with the kernel's argument values (as bits); returns
  /// the first fault, if any (the block stops there).
  std::optional<Error> run_block(std::array<int64_t, 3> block, std::array<int64_t, 3> grid,
                                 const std::vector<uint64_t> &params);
  const LaunchReport &report() const { return report_; }

private:
  using Mask = std::vector<uint8_t>;
  struct Fault {};

  uint64_t &at(int32_t value, int element, int64_t thread) {
    return regs_[(offsets_[value] + element) * threads_ + thread];
  }
  void exec_block(int32_t block, Mask &mask, const std::vector<int32_t> *yield_to);
  void exec(const Instr &in, Mask &mask, const std::vector<int32_t> *yield_to);
  void exec_for(const Instr &in, Mask &mask);
  void exec_if(const Instr &in, Mask &mask);
  void exec_global(const Instr &in, const Mask &mask);
  void exec_shared(const Instr &in, const Mask &mask);
  void exec_atomic(const Instr &in, const Mask &mask);
  void exec_shuffle(const Instr &in, const Mask &mask);
  void exec_mma(const Instr &in, const Mask &mask);
  void exec_ldmatrix(const Instr &in, const Mask &mask);
  void exec_mfma(const Instr &in, const Mask &mask);
  void exec_cp_async(const Instr &in, const Mask &mask);
  void exec_cp_async_wait(const Instr &in, const Mask &mask);
  /// Thread t's access to shared bytes [offset, offset + bytes): the bounds, race and
  /// initialization checks, and the record of who touched them since the last barrier.
  void touch_shared(const Instr &in, int64_t t, int64_t offset, int64_t bytes, bool load);
  /// Whether warp `warpStart` takes part in a warp operation: false when none of its
  /// threads does; a fault when only some of its living threads do.
  bool warp_converged(const Instr &in, const Mask &mask, int64_t warpStart);
  void exec_barrier(const Instr &in, const Mask &mask);
  [[noreturn]] void fail(ErrorCode code, const Instr &in, const std::string &what);
  const GlobalRange *range_of(uint64_t address, uint64_t bytes) const;
  std::string site(const Instr &in) const;

  const Program &program_;
  std::vector<GlobalRange> ranges_;
  int64_t threads_;
  std::vector<int64_t> offsets_;
  std::vector<uint64_t> regs_;
  Mask alive_;
  std::vector<std::string> printed_; ///< each thread's last printf line, for a trap's report
  std::array<int64_t, 3> block_{}, grid_{};
  // Shared memory and what the race and initialization checks know of each byte.
  std::vector<uint8_t> shared_, written_;
  std::vector<int32_t> writer_, reader_; ///< thread + 1; reader -1: several threads
  std::vector<int64_t> write_epoch_, read_epoch_;
  int64_t epoch_ = 1;
  /// A cp.async in flight: the bytes it read at issue and where they will land.
  struct AsyncCopy {
    int64_t offset = 0, bytes = 0;
    std::array<uint8_t, 16> data{};
  };
  /// Per thread: copies issued since its last commit, and its committed groups, oldest first.
  std::vector<std::vector<AsyncCopy>> uncommitted_;
  std::vector<std::vector<std::vector<AsyncCopy>>> groups_;
  std::optional<Error> fault_;
  LaunchReport report_;
};

} // namespace tegula::gpuemu

#endif
