// The maia target: the tile dialect lowered to the maia dialect for one machine
// description, then emitted as an ISA program that the maia-sim simulator runs.
// Options: a machine description file (`maia:big.machine` or `machine=big.machine`),
// `cluster-sharing=off`, and `plant-bug=NAME` for testing the simulator's checks.
#include "backends/maia/target/EmitProgram.h"
#include "tegula/maia/driver.h"

#include "tegula/compiler/target_backend.h"
#include "tegula/maia/machine.h"
#include "tegula/runtime/error.h"

#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace tegula::maia {

namespace {

struct MaiaOptions {
  MachineSpec machine = MachineSpec::defaults();
  std::string machine_file; ///< "" for the default machine
  bool cluster_sharing = true;
  std::string plant_bug;
};

TargetDescription describe(const MaiaOptions &o) {
  TargetDescription d;
  d.name = "maia";
  d.summary = "Maia-style accelerator: ISA program run on the simulator; executes";
  d.executes = true;
  d.simulated_time = true;
  d.emit_kinds = {
      {"tile", "tile", false, "tile dialect after canonicalization"},
      {"maia", "maia", false, "the maia dialect"},
      {"asm", "", false, "the ISA program as text"},
      {"bin", "", true, "the binary program image"},
  };
  d.options = {"<file> or machine=<file>: a machine description (docs/maia.md)",
               "cluster-sharing=on|off: share GEMM operand slices in 2x2 squares of instances (on)",
               "plant-bug=drop-wait|overflow-tsram|dma-past-end|drop-barrier: plant one mistake "
               "for the simulator's checks"};
  d.compute_units = o.machine.tiles();
  d.onchip_bytes = static_cast<int64_t>(o.machine.tsram_bytes);
  d.matrix_unit = {o.machine.ttu_m, o.machine.ttu_n, o.machine.ttu_k};
  d.vector_lanes = o.machine.tvp_lanes;
  d.memory_latency_cycles = o.machine.dma_latency_cycles;
  return d;
}

class MaiaTarget final : public compiler::Target {
public:
  explicit MaiaTarget(MaiaOptions options) : options_(std::move(options)), description_(describe(options_)) {}
  const TargetDescription &description() const override { return description_; }
  std::string key() const override {
    // What the lowering reads of the machine, and the options that change the code.
    const MachineSpec &m = options_.machine;
    return "maia:tsram=" + std::to_string(m.tsram_bytes) + ",cluster-tiles=" + std::to_string(m.tiles_per_cluster) +
           ",csram=" + std::to_string(m.csram_bytes) + ",semaphores=" + std::to_string(m.semaphores) + ",cluster-sharing=" + (options_.cluster_sharing ? "on" : "off") +
           ",plant-bug=" + options_.plant_bug;
  }
  std::vector<compiler::Stage> stages(const CompileOptions &) const override {
    const MachineSpec &m = options_.machine;
    std::string lowering = "tegula-convert-tile-to-maia{tsram-bytes=" + std::to_string(m.tsram_bytes) +
                           " semaphores=" + std::to_string(m.semaphores);
    if (options_.cluster_sharing)
      lowering += " cluster-tiles=" + std::to_string(m.tiles_per_cluster) + " csram-bytes=" + std::to_string(m.csram_bytes);
    if (!options_.plant_bug.empty())
      lowering += " plant-bug=" + options_.plant_bug;
    return {{"tile", "canonicalize,cse"}, {"maia", lowering + "},canonicalize,cse"}};
  }
  mlir::FailureOr<Kernel> build(mlir::ModuleOp module, const KernelInfo &info) const override {
    mlir::FailureOr<Program> program = emit_program(module);
    if (mlir::failed(program))
      return mlir::failure();
    return Kernel(with_debug_sites(module, info), std::make_shared<const ProgramExecutable>(std::move(*program)));
  }
  mlir::FailureOr<std::string> emit(mlir::ModuleOp module, const std::string &kind,
                                    const KernelInfo &) const override {
    mlir::FailureOr<Program> program = emit_program(module);
    if (mlir::failed(program))
      return mlir::failure();
    if (kind == "asm")
      return disassemble(*program);
    if (kind == "bin") {
      auto bytes = to_binary(*program);
      return std::string(bytes.begin(), bytes.end());
    }
    return module.emitError("the maia target does not emit '") << kind << "'";
  }

private:
  /// The text of the kernel's debug sites (device_print, device_assert), which the
  /// driver names in what it prints and in a failed assertion.
  static KernelInfo with_debug_sites(mlir::ModuleOp module, KernelInfo info) {
    module.walk([&](mlir::func::FuncOp f) {
      if (auto sites = f->getAttrOfType<mlir::ArrayAttr>(tegula::maia::ir::kDebugSitesAttrName))
        for (mlir::Attribute site : sites)
          info.sites.push_back(mlir::cast<mlir::StringAttr>(site).str());
    });
    return info;
  }
  MaiaOptions options_;
  TargetDescription description_;
};

class MaiaBackend final : public compiler::TargetBackend {
public:
  std::string name() const override { return "maia"; }
  std::unique_ptr<const compiler::Target> configure(const compiler::TargetOptions &options) const override {
    MaiaOptions o;
    for (const auto &[key, value] : options) {
      if (key == "machine" || value.empty() && key != "cluster-sharing" && key != "plant-bug") {
        o.machine_file = key == "machine" ? value : key;
        o.machine = MachineSpec::load(o.machine_file);
      } else if (key == "cluster-sharing") {
        if (value != "on" && value != "off")
          throw Error(ErrorCode::InvalidArgument, "maia option cluster-sharing takes on or off, got '" + value + "'");
        o.cluster_sharing = value == "on";
      } else if (key == "plant-bug") {
        if (!value.empty() && value != "drop-wait" && value != "overflow-tsram" && value != "dma-past-end" &&
            value != "drop-barrier") // empty: none
          throw Error(ErrorCode::InvalidArgument, "maia option plant-bug takes drop-wait, overflow-tsram, "
                                                  "dma-past-end or drop-barrier, got '" + value + "'");
        o.plant_bug = value;
      } else {
        throw Error(ErrorCode::InvalidArgument, "unknown maia option '" + key +
                                                    "' (machine=<file>, cluster-sharing=on|off, plant-bug=<name>)");
      }
    }
    return std::make_unique<MaiaTarget>(std::move(o));
  }
};

} // namespace

void registerMaiaTarget() { compiler::register_target_backend(std::make_unique<MaiaBackend>()); }

} // namespace tegula::maia
