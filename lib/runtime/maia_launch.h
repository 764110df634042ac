// Launching a Maia-style kernel on the simulator. Buffers resident on a maia-sim
// device are used in place; host buffers are copied into simulated HBM and back.
#ifndef TEGULA_LIB_RUNTIME_MAIA_LAUNCH_H
#define TEGULA_LIB_RUNTIME_MAIA_LAUNCH_H

#include "tegula/maia/simulator.h"
#include "tegula/runtime/launch.h"

#include <mutex>

namespace tegula::detail {

/// One simulated machine: its HBM holds the device's buffers. Launches and
/// allocations on it are serialized.
struct MaiaDeviceState {
  explicit MaiaDeviceState(const maia::MachineSpec &spec) : sim(spec) {}
  std::mutex mutex;
  maia::Simulator sim;
};

/// `device` may be null: the buffers' own device is used, or a fresh machine (the
/// default description, or TEGULA_MAIA_MACHINE's) when every buffer is host memory.
void launch_on_maia_simulator(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
                              MaiaDeviceState *device = nullptr);
void record_cpu_launch();

} // namespace tegula::detail

#endif
