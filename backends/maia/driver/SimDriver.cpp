// The maia-sim driver: launches program images on the simulator, allocates in its HBM.
#include "tegula/maia/driver.h"

#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tegula::maia {

namespace {

/// One simulated machine: its HBM holds the device's buffers. Launches and allocations
/// on it are serialized.
struct SimDevice final : DeviceState, std::enable_shared_from_this<SimDevice> {
  explicit SimDevice(const MachineSpec &spec) : sim(spec) {}
  std::string name() const override {
    return "maia-sim (" + sim.spec().name + ", " + std::to_string(sim.spec().tiles()) + " tiles)";
  }
  std::mutex mutex;
  Simulator sim;
};

/// The machine a launch without a device runs on: the default, or the description
/// named by TEGULA_MAIA_MACHINE.
MachineSpec machine() {
  if (const char *path = std::getenv("TEGULA_MAIA_MACHINE"))
    return MachineSpec::load(path);
  return MachineSpec::defaults();
}

/// HBM ranges that hold copies of host buffers for one launch; freed however the
/// launch ends.
struct Staging {
  Hbm &hbm;
  std::vector<uint64_t> addresses;
  ~Staging() {
    for (uint64_t a : addresses)
      hbm.free(a);
  }
};

/// What the launch's dbg.print commands handed to the host, one line per element, as
/// the CPU prints device_print: the program instance, the site and the element.
void print_debug_log(const SimStats &stats, const KernelInfo &info) {
  for (const DebugPrint &print : stats.prints) {
    const std::string site = print.site >= 0 && static_cast<size_t>(print.site) < info.sites.size()
                                 ? info.sites[print.site]
                                 : "debug site " + std::to_string(print.site);
    const size_t count = print.floating ? print.reals.size() : print.integers.size();
    for (size_t i = 0; i < count; ++i) {
      std::printf("[program (%" PRId64 ",%" PRId64 ",%" PRId64 ")] %s [%zu] = ", print.program[0], print.program[1],
                  print.program[2], site.c_str(), i);
      if (print.floating)
        std::printf("%.9g\n", print.reals[i]);
      else
        std::printf("%" PRId64 "\n", print.integers[i]);
    }
  }
  std::fflush(stdout);
}

/// `device` may be null: the buffers' own device is used, or a fresh machine (the
/// default description, or TEGULA_MAIA_MACHINE's) when every buffer is host memory.
void launch_on_simulator(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, SimDevice *device) {
  const KernelInfo &info = kernel.info();
  // The machine: the given device, else the one the buffers live on, else a fresh one.
  for (size_t i = 0; i < args.size(); ++i) {
    if (info.args[i].kind != ArgSpec::Kind::Buffer || !args[i].buffer()->on_device())
      continue;
    if (std::string(args[i].buffer()->device_driver()) != ProgramExecutable::kDriver)
      throw Error(ErrorCode::InvalidArgument, "kernel '" + info.name + "': argument " + std::to_string(i) + " ('" +
                                                  info.args[i].name + "') lives on a " +
                                                  args[i].buffer()->device_driver() + " device, not maia-sim");
    auto *owner = static_cast<SimDevice *>(const_cast<void *>(args[i].buffer()->device()));
    if (!device)
      device = owner;
    else if (owner != device)
      throw Error(ErrorCode::InvalidArgument, "kernel '" + info.name + "': argument " + std::to_string(i) + " ('" +
                                                  info.args[i].name + "') lives on another maia-sim device");
  }
  std::optional<SimDevice> fresh;
  if (!device)
    device = &fresh.emplace(machine());
  std::lock_guard<std::mutex> lock(device->mutex);
  Simulator &sim = device->sim;

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
  SimOptions options;
  options.kernel_name = info.name;
  options.debug_sites = info.sites;
  SimStats stats = sim.run(*program_of(kernel), {grid.x, grid.y, grid.z}, values, options);
  print_debug_log(stats, info);
  for (auto [i, address] : copies) {
    Buffer *buffer = args[i].buffer();
    std::memcpy(buffer->data(), sim.hbm().host(address, buffer->bytes()), buffer->bytes());
  }
  SimulatedLaunch last;
  last.cycles = stats.cycles;
  last.seconds = stats.cycles / (sim.spec().clock_ghz * 1e9);
  last.hbm_bytes = stats.hbm_bytes_read + stats.hbm_bytes_written;
  last.hbm_bytes_written = stats.hbm_bytes_written;
  detail::record_simulated_launch(last);
}


class SimDriver final : public Driver {
public:
  std::string name() const override { return ProgramExecutable::kDriver; }
  std::shared_ptr<DeviceState> open(const std::string &options) const override {
    return std::make_shared<SimDevice>(options.empty() ? MachineSpec::defaults() : MachineSpec::load(options));
  }
  Buffer allocate(DeviceState &device, DType dtype, size_t count, BufferMode mode) const override {
    if (mode != BufferMode::Plain)
      throw Error(ErrorCode::InvalidArgument, "maia-sim buffers have no guard-page mode: the simulator checks every "
                                              "DMA against its allocation");
    auto &state = static_cast<SimDevice &>(device);
    const size_t bytes = std::max<size_t>(count * dtype_size(dtype), 1); // an empty buffer gets an address too
    uint64_t address;
    uint8_t *host;
    {
      std::lock_guard<std::mutex> lock(state.mutex);
      address = state.sim.hbm().allocate(bytes, "buffer");
      host = state.sim.hbm().host(address, bytes);
    }
    // The buffer keeps the machine alive: it may outlive every Device copy.
    std::shared_ptr<SimDevice> keep = state.shared_from_this();
    return Buffer::device_memory(dtype, count, host, &state, address,
                                 std::shared_ptr<void>(nullptr, [keep, address](void *) {
                                   std::lock_guard<std::mutex> lock(keep->mutex);
                                   keep->sim.hbm().free(address);
                                 }),
                                 ProgramExecutable::kDriver);
  }
  void launch(const Kernel &kernel, const Grid &grid, std::span<const Arg> args, const LaunchOptions &,
              DeviceState *device) const override {
    launch_on_simulator(kernel, grid, args, static_cast<SimDevice *>(device));
  }
  // A kernel is its program image, so bundles carry it (`tegula compile K --target maia
  // --emit bundle`). The image holds no source lines: a fault in a loaded program names
  // the instruction, not the kernel's line.
  std::string serialize(const Executable &executable) const override {
    const std::vector<uint8_t> image = to_binary(static_cast<const ProgramExecutable &>(executable).program);
    return std::string(image.begin(), image.end());
  }
  std::shared_ptr<const Executable> deserialize(const std::string &bytes) const override {
    return std::make_shared<const ProgramExecutable>(from_binary(std::vector<uint8_t>(bytes.begin(), bytes.end())));
  }
};

} // namespace

Device sim_device(const MachineSpec &spec) {
  return Device::from(find_driver(ProgramExecutable::kDriver), std::make_shared<SimDevice>(spec));
}

void registerSimDriver() { register_driver(std::make_unique<SimDriver>()); }

} // namespace tegula::maia
