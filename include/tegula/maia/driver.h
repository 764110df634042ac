// The maia-sim runtime driver: Maia-style kernels are program images run on the
// simulator. Host buffers passed to a launch are copied into simulated HBM and back;
// buffers allocated on a maia-sim Device live there and are used in place.
#ifndef TEGULA_MAIA_DRIVER_H
#define TEGULA_MAIA_DRIVER_H

#include "tegula/maia/isa.h"
#include "tegula/maia/machine.h"
#include "tegula/runtime/device.h"
#include "tegula/runtime/driver.h"

namespace tegula::maia {

/// A kernel for the maia-sim driver: its program image.
struct ProgramExecutable final : Executable {
  static constexpr const char *kDriver = "maia-sim";
  explicit ProgramExecutable(Program program) : program(std::move(program)) {}
  std::string driver() const override { return kDriver; }
  Program program;
};

/// The kernel's program, or null when another driver runs it.
inline const Program *program_of(const Kernel &kernel) {
  const auto *e = kernel.executable_as<ProgramExecutable>();
  return e ? &e->program : nullptr;
}

/// A simulated machine described by `spec` (Device::open("maia-sim") is the default
/// machine, "maia-sim:<file>" one from a description file). Copies of the Device share
/// one machine; it lives as long as a copy or one of its buffers does.
Device sim_device(const MachineSpec &spec = MachineSpec::defaults());

} // namespace tegula::maia

#endif
