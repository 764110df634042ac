#include "maia_launch.h"

#include "tegula/maia/simulator.h"

#include <cstdlib>
#include <cstring>
#include <optional>

namespace tegula {

namespace {
thread_local SimulatedLaunch gLast;

/// The machine a launch without a device runs on: the default, or the description
/// named by TEGULA_MAIA_MACHINE.
maia::MachineSpec machine() {
  if (const char *path = std::getenv("TEGULA_MAIA_MACHINE"))
    return maia::MachineSpec::load(path);
  return maia::MachineSpec::defaults();
}

/// HBM ranges that hold copies of host buffers for one launch; freed however the
/// launch ends.
struct Staging {
  maia::Hbm &hbm;
  std::vector<uint64_t> addresses;
  ~Staging() {
    for (uint64_t a : addresses)
      hbm.free(a);
  }
};
} // namespace

SimulatedLaunch last_simulated_launch() { return gLast; }

void detail::record_cpu_launch() { gLast = SimulatedLaunch(); }

void detail::launch_on_maia_simulator(const Kernel &kernel, const Grid &grid, std::span<const Arg> args,
                                      MaiaDeviceState *device) {
  const KernelInfo &info = kernel.info();
  // The machine: the given device, else the one the buffers live on, else a fresh one.
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind != ArgSpec::Kind::Buffer || !args[i].buffer()->on_device())
      continue;
    auto *owner = static_cast<MaiaDeviceState *>(const_cast<void *>(args[i].buffer()->device()));
    if (!device)
      device = owner;
    else if (owner != device)
      throw Error(ErrorCode::InvalidArgument, "kernel '" + info.name + "': argument " + std::to_string(i) + " ('" +
                                                  info.args[i].name + "') lives on another maia-sim device");
  }
  std::optional<MaiaDeviceState> fresh;
  if (!device)
    device = &fresh.emplace(machine());
  std::lock_guard<std::mutex> lock(device->mutex);
  maia::Simulator &sim = device->sim;

  std::vector<int64_t> values(args.size());
  Staging staging{sim.hbm(), {}};
  std::vector<std::pair<size_t, uint64_t>> copies; // (argument, staging address)
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind == ArgSpec::Kind::Buffer) {
      Buffer *buffer = args[i].buffer();
      if (buffer->on_device()) {
        values[i] = static_cast<int64_t>(buffer->device_address());
        continue;
      }
      uint64_t address = sim.hbm().allocate(std::max<size_t>(buffer->bytes(), 1), info.args[i].name);
      staging.addresses.push_back(address);
      std::memcpy(sim.hbm().host(address, buffer->bytes()), buffer->data(), buffer->bytes());
      copies.push_back({i, address});
      values[i] = static_cast<int64_t>(address);
    } else if (args[i].is_integer()) {
      values[i] = args[i].integer();
    } else if (info.args[i].dtype == DType::F32) {
      // The control processor holds a float argument as its f32 bit pattern; the vector
      // unit's fills take it from there.
      float f = static_cast<float>(args[i].real());
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      values[i] = static_cast<int64_t>(bits);
    } else {
      throw Error(ErrorCode::Unsupported, "kernel '" + info.name + "': scalar argument " + std::to_string(i) + " ('" +
                                              info.args[i].name + "') is " +
                                              std::string(dtype_name(info.args[i].dtype)) +
                                              "; Maia takes integer and f32 scalars");
    }
  }
  maia::SimStats stats = sim.run(*kernel.maia_program(), {grid.x, grid.y, grid.z}, values);
  for (auto [i, address] : copies) {
    Buffer *buffer = args[i].buffer();
    std::memcpy(buffer->data(), sim.hbm().host(address, buffer->bytes()), buffer->bytes());
  }
  gLast.cycles = stats.cycles;
  gLast.seconds = stats.cycles / (sim.spec().clock_ghz * 1e9);
  gLast.hbm_bytes = stats.hbm_bytes_read + stats.hbm_bytes_written;
  gLast.hbm_bytes_written = stats.hbm_bytes_written;
}

} // namespace tegula
