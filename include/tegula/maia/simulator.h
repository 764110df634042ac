// Tegula's simulator of the Maia-style machine: functional (bf16/f32 numerics fixed by
// docs/maia.md, so results are bit-exact) and timed (event-driven, per-unit queues,
// HBM bandwidth shared by every tile's DMA). It stops with Error(DeviceFault) naming
// the tile, program instance and instruction on: TSRAM accesses out of range, DMA
// outside an HBM allocation, races between units (happens-before over semaphores, by
// vector clocks, so a race is caught even when the timing hid it), deadlocks.
#ifndef TEGULA_MAIA_SIMULATOR_H
#define TEGULA_MAIA_SIMULATOR_H

#include "tegula/maia/isa.h"
#include "tegula/maia/machine.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tegula::maia {

/// Simulated HBM: allocations in one address space; every access must stay inside
/// one allocation.
class Hbm {
public:
  struct Allocation {
    uint64_t base = 0, bytes = 0;
    std::string name;
    std::vector<uint8_t> storage; ///< empty in timing-only use
  };

  explicit Hbm(uint64_t capacity) : capacity_(capacity) {}
  /// Returns the device address (256-byte aligned). `backed` false reserves the range
  /// without host storage (timing-only runs of large shapes).
  uint64_t allocate(uint64_t bytes, std::string name, bool backed = true);
  /// Releases the allocation that starts at `base`; its range can be handed out again.
  void free(uint64_t base);
  /// The allocation holding all of [address, address + bytes), or null.
  Allocation *find(uint64_t address, uint64_t bytes);
  /// The allocation nearest to `address` (for error messages), or null.
  const Allocation *nearest(uint64_t address) const;
  /// Host view of device bytes; throws Error(InvalidArgument) outside an allocation.
  uint8_t *host(uint64_t address, uint64_t bytes);
  void clear();
  /// Bytes allocated and not freed.
  uint64_t used() const { return used_; }

private:
  static constexpr uint64_t kBase = 0x10000;
  uint64_t capacity_;
  uint64_t used_ = 0;
  std::vector<std::unique_ptr<Allocation>> allocations_; ///< ordered by base
};

struct SimOptions {
  bool functional = true;    ///< false: timing only (no data moved, no math)
  bool check_races = true;   ///< happens-before race detection on TSRAM
  bool record_trace = false; ///< keep unit activity for chrome_trace_json()
  double max_cycles = 1e13;  ///< stop a runaway program
  /// What a failed dbg.assert names: the kernel, and the text of its debug sites
  /// (KernelInfo::sites); a site without text is named by its number.
  std::string kernel_name;
  std::vector<std::string> debug_sites;
};

/// The elements one dbg.print handed to the host, in the order the commands finished.
struct DebugPrint {
  int64_t site = 0;
  std::array<int64_t, 3> program{};
  bool floating = false;
  std::vector<double> reals;       ///< when floating
  std::vector<int64_t> integers;   ///< otherwise
};

struct UnitStats {
  double busy_cycles = 0; ///< summed over tiles
  uint64_t commands = 0;
};

struct SimStats {
  double cycles = 0;
  int tiles_used = 0;
  uint64_t programs = 0;
  uint64_t instructions = 0;
  UnitStats dma, ttu, tvp;
  uint64_t hbm_bytes_read = 0, hbm_bytes_written = 0;
  uint64_t csram_bytes = 0; ///< moved by DMAs to or from cluster SRAM
  uint64_t barriers = 0;    ///< cluster barriers completed
  uint64_t macs = 0;
  std::vector<DebugPrint> prints;
  /// Fraction of the used tiles' time a unit was busy.
  double utilization(const UnitStats &unit) const {
    return cycles > 0 && tiles_used > 0 ? unit.busy_cycles / (cycles * tiles_used) : 0.0;
  }
};

struct TraceEvent {
  int tile = 0;
  Unit unit = Unit::Tcp;
  std::string name;
  double start = 0, end = 0; ///< cycles
};

class Simulator {
public:
  explicit Simulator(MachineSpec spec = MachineSpec::defaults());
  ~Simulator();

  const MachineSpec &spec() const { return spec_; }
  Hbm &hbm() { return hbm_; }

  /// Runs `program` once per program instance of `grid` (instances spread over the
  /// tiles in order: instance i runs on tile i mod tiles). `args` are what the `arg`
  /// instruction reads (HBM addresses and integers).
  SimStats run(const Program &program, const std::array<int64_t, 3> &grid, const std::vector<int64_t> &args,
               const SimOptions &options = {});

  const std::vector<TraceEvent> &trace() const { return trace_; }
  /// The last run's unit activity as Chrome/Perfetto trace JSON (one process per
  /// tile, one thread per unit, times in microseconds at the machine's clock).
  std::string chrome_trace_json() const;

private:
  MachineSpec spec_;
  Hbm hbm_;
  std::vector<TraceEvent> trace_;
};

} // namespace tegula::maia

#endif
