// Launching a Maia-style kernel: buffers are copied into the simulated HBM, the program
// runs on the simulator, and every buffer is copied back.
#ifndef TEGULA_LIB_RUNTIME_MAIA_LAUNCH_H
#define TEGULA_LIB_RUNTIME_MAIA_LAUNCH_H

#include "tegula/runtime/launch.h"

namespace tegula::detail {
void launch_on_maia_simulator(const Kernel &kernel, const Grid &grid, std::span<const Arg> args);
void record_cpu_launch();
} // namespace tegula::detail

#endif
