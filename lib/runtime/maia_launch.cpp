#include "maia_launch.h"

#include "tegula/maia/simulator.h"

#include <cstdlib>
#include <cstring>

namespace tegula {

namespace {
thread_local SimulatedLaunch gLast;

/// The machine kernels run on: the default, or the description named by
/// TEGULA_MAIA_MACHINE.
maia::MachineSpec machine() {
  if (const char *path = std::getenv("TEGULA_MAIA_MACHINE"))
    return maia::MachineSpec::load(path);
  return maia::MachineSpec::defaults();
}
} // namespace

SimulatedLaunch last_simulated_launch() { return gLast; }

void detail::record_cpu_launch() { gLast = SimulatedLaunch(); }

void detail::launch_on_maia_simulator(const Kernel &kernel, const Grid &grid, std::span<const Arg> args) {
  const KernelInfo &info = kernel.info();
  maia::Simulator sim(machine());
  std::vector<int64_t> values(args.size());
  std::vector<uint64_t> addresses(args.size(), 0);
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind == ArgSpec::Kind::Buffer) {
      Buffer *buffer = args[i].buffer();
      addresses[i] = sim.hbm().allocate(buffer->bytes(), info.args[i].name);
      std::memcpy(sim.hbm().host(addresses[i], buffer->bytes()), buffer->data(), buffer->bytes());
      values[i] = static_cast<int64_t>(addresses[i]);
    } else if (args[i].is_integer()) {
      values[i] = args[i].integer();
    } else {
      throw Error(ErrorCode::Unsupported, "kernel '" + info.name + "': float scalar argument " + std::to_string(i) +
                                              " ('" + info.args[i].name + "') is not supported on Maia yet");
    }
  }
  maia::SimStats stats = sim.run(*kernel.maia_program(), {grid.x, grid.y, grid.z}, values);
  for (size_t i = 0; i < args.size(); ++i)
    if (info.args[i].kind == ArgSpec::Kind::Buffer) {
      Buffer *buffer = args[i].buffer();
      std::memcpy(buffer->data(), sim.hbm().host(addresses[i], buffer->bytes()), buffer->bytes());
    }
  gLast.cycles = stats.cycles;
  gLast.seconds = stats.cycles / (sim.spec().clock_ghz * 1e9);
  gLast.hbm_bytes = stats.hbm_bytes_read + stats.hbm_bytes_written;
}

} // namespace tegula
