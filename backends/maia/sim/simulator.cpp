// The event loop: every tile's control processor and units advance in time order; DMA
// transfers of all tiles share HBM bandwidth, and transfers between a cluster's SRAM
// and its tiles share that cluster's CSRAM bandwidth (processor sharing, each capped at
// its engine's peak), so adding a transfer slows the others down.
#include "commands.h"
#include "race_detector.h"

#include "tegula/maia/simulator.h"
#include "tegula/runtime/error.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

namespace tegula::maia {

using namespace sim;

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = 1e-9;
constexpr int kUnits = 3; // DMA, TTU, TVP; agent index = unit index + 1

enum class Status { Running, WaitSem, QueueFull, Barrier, Draining, Idle };

struct Command {
  Instruction ins;
  int pc = 0;
  Operands ops;
  VectorClock clock{};
  CommandPlan plan;
};

struct UnitState {
  std::deque<Command> queue; ///< the head runs when `busy`
  bool busy = false;
  double start = 0, end = kNever;
  VectorClock clock{};
  std::vector<int> issued_pcs; ///< pc of the command with clock value i + 1
  // DMA only: the running transfer, and whether it is timed against HBM (else against
  // its cluster's CSRAM).
  double remaining = 0, latency_end = 0;
  bool hbm = true;
};

struct TileState {
  int index = 0;
  int cluster = 0, lane = 0; ///< lane: the tile's place in its cluster
  /// The vector-clock index of one of the tile's agents (0 TCP, 1 + unit index).
  int agent(int local) const { return lane * kTileAgents + local; }
  uint64_t program = 0;
  std::array<int32_t, 3> pid{}, cpid{}; ///< cpid: the place in the cluster's square
  int pc = 0;
  std::array<int64_t, kRegisters> x{};
  Status status = Status::Idle;
  double ready = 0, program_start = 0;
  int wait_sem = -1, wait_count = 0, blocked_unit = -1;
  std::array<int64_t, kSemaphores> sem{};
  std::array<VectorClock, kSemaphores> sem_clock{};
  VectorClock tcp_clock{};
  UnitState units[kUnits];
  std::vector<uint8_t> tsram;
  std::unique_ptr<RaceDetector> races;
};

/// A cluster's SRAM (allocated at its first functional use) and its race state.
struct ClusterState {
  std::vector<uint8_t> csram;
  std::unique_ptr<RaceDetector> races;
};

/// Tiles of one cluster group waiting at a barrier, and their joined clocks.
struct BarrierGroup {
  int arrived = 0;
  VectorClock clock{};
  std::vector<int> waiting;
};

int unit_index(Unit unit) { return static_cast<int>(unit) - 1; }
uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
int64_t wrap(uint64_t v) { return static_cast<int64_t>(v); }
const char *unit_name(int index) {
  static const char *names[] = {"dma", "ttu", "tvp"};
  return names[index];
}

class Run {
public:
  Run(const MachineSpec &spec, Hbm &hbm, const Program &program, const std::array<int64_t, 3> &grid,
      const std::vector<int64_t> &args, const SimOptions &options, std::vector<TraceEvent> &trace)
      : spec_(spec), hbm_(hbm), program_(program), grid_(grid), args_(args), options_(options), trace_(trace) {}

  SimStats go();

private:
  [[noreturn]] void fault(const TileState &tile, int pc, const std::string &what) const;
  std::string describe(const TileState &tile, int pc) const;
  void start_program(TileState &tile, uint64_t program, double now);
  void step(TileState &tile, double now);
  void start_command(TileState &tile, int u, double now);
  void complete_command(TileState &tile, int u, double now);
  /// dbg.print and dbg.assert, which need the instance and the run's options.
  void debug_command(const TileState &tile, const Command &cmd);
  void advance_dma(double from, double to);
  /// Bytes per cycle of every tile's running DMA at time `at` (0 while in latency).
  std::vector<double> dma_rates(double at) const;
  void arrive_at_barrier(TileState &tile, double now);
  std::string describe_agent(int tile_index, int local_agent, uint32_t clock) const;
  [[noreturn]] void race_fault(const TileState &tile, int pc, const char *memory, bool write,
                               const Conflict &conflict, const std::string &other, const char *remedy) const;

  const MachineSpec &spec_;
  Hbm &hbm_;
  const Program &program_;
  std::array<int64_t, 3> grid_;
  const std::vector<int64_t> &args_;
  const SimOptions &options_;
  std::vector<TraceEvent> &trace_;
  std::vector<TileState> tiles_;
  std::vector<ClusterState> clusters_;
  std::map<uint64_t, BarrierGroup> barriers_; ///< by cluster group (program / tiles per cluster)
  uint64_t total_programs_ = 0;
  SimStats stats_;
};

std::string Run::describe(const TileState &tile, int pc) const {
  std::string text = "tile " + std::to_string(tile.index) + ", program (" + std::to_string(tile.pid[0]) + "," +
                     std::to_string(tile.pid[1]) + "," + std::to_string(tile.pid[2]) + "), pc " + std::to_string(pc);
  if (pc >= 0 && static_cast<size_t>(pc) < program_.code.size()) {
    text += ": `" + disassemble(program_.code[pc]) + "`";
    if (static_cast<size_t>(pc) < program_.source.size() && !program_.source[pc].empty())
      text += " (" + program_.source[pc] + ")";
  }
  return text;
}

void Run::fault(const TileState &tile, int pc, const std::string &what) const {
  throw Error(ErrorCode::DeviceFault, describe(tile, pc) + ": " + what);
}

void Run::start_program(TileState &tile, uint64_t program, double now) {
  tile.program = program;
  if (program_.grid_mapping == GridMapping::ClusterSquares) {
    // Four consecutive instances (one cluster group) form a square; squares run along
    // axis 0 first.
    int32_t lane = static_cast<int32_t>(program % 4);
    int64_t square = static_cast<int64_t>(program / 4), across = (grid_[0] + 1) / 2;
    tile.cpid = {lane % 2, lane / 2, 0};
    tile.pid = {static_cast<int32_t>(2 * (square % across) + tile.cpid[0]),
                static_cast<int32_t>(2 * (square / across) + tile.cpid[1]), 0};
  } else {
    tile.cpid = {0, 0, 0};
    tile.pid = {static_cast<int32_t>(program % grid_[0]), static_cast<int32_t>((program / grid_[0]) % grid_[1]),
                static_cast<int32_t>(program / (grid_[0] * grid_[1]))};
  }
  tile.pc = 0;
  tile.x.fill(0);
  tile.sem.fill(0);
  // An instance starts after the previous one drained: everything the tile did before
  // is ordered before it. Clocks only grow, so that accesses other tiles of the cluster
  // recorded in CSRAM stay comparable; the TSRAM race state starts afresh.
  for (auto &c : tile.sem_clock)
    c = VectorClock{};
  for (const UnitState &u : tile.units)
    join(tile.tcp_clock, u.clock);
  tile.tcp_clock[tile.agent(0)]++;
  if (tile.races)
    tile.races->reset();
  tile.status = Status::Running;
  tile.ready = now;
  tile.program_start = now;
  ++stats_.programs;
}

void Run::step(TileState &tile, double now) {
  if (tile.pc < 0 || static_cast<size_t>(tile.pc) >= program_.code.size())
    fault(tile, tile.pc, "ran past the end of the program without halt");
  const Instruction &ins = program_.code[tile.pc];
  const int pc = tile.pc;
  auto &x = tile.x;
  auto reg = [&](uint8_t r) -> int64_t { return r == 0 ? 0 : x[r]; };
  auto set = [&](uint8_t r, int64_t v) {
    if (r != 0)
      x[r] = v;
  };
  ++stats_.instructions;
  tile.ready = now + 1;
  int next = pc + 1;
  switch (ins.opcode) {
  case Opcode::Halt:
    tile.status = Status::Draining;
    return;
  // Integer arithmetic wraps modulo 2^64 (computed unsigned: signed overflow is not
  // defined in C++).
  case Opcode::Li: set(ins.rd, ins.imm); break;
  case Opcode::Addi: set(ins.rd, wrap(u(reg(ins.ra)) + u(ins.imm))); break;
  case Opcode::Muli: set(ins.rd, wrap(u(reg(ins.ra)) * u(ins.imm))); break;
  case Opcode::Shli: set(ins.rd, static_cast<int64_t>(static_cast<uint64_t>(reg(ins.ra)) << (ins.imm & 63))); break;
  case Opcode::Ori: set(ins.rd, reg(ins.ra) | (static_cast<int64_t>(ins.imm) & ((int64_t{1} << 26) - 1))); break;
  case Opcode::Add: set(ins.rd, wrap(u(reg(ins.ra)) + u(reg(ins.rb)))); break;
  case Opcode::Sub: set(ins.rd, wrap(u(reg(ins.ra)) - u(reg(ins.rb)))); break;
  case Opcode::Mul: set(ins.rd, wrap(u(reg(ins.ra)) * u(reg(ins.rb)))); break;
  case Opcode::Min: set(ins.rd, std::min(reg(ins.ra), reg(ins.rb))); break;
  case Opcode::And: set(ins.rd, reg(ins.ra) & reg(ins.rb)); break;
  case Opcode::Or: set(ins.rd, reg(ins.ra) | reg(ins.rb)); break;
  case Opcode::Xor: set(ins.rd, reg(ins.ra) ^ reg(ins.rb)); break;
  case Opcode::Shl: set(ins.rd, static_cast<int64_t>(u(reg(ins.ra)) << (reg(ins.rb) & 63))); break;
  case Opcode::Shr: set(ins.rd, reg(ins.ra) >> (reg(ins.rb) & 63)); break;
  case Opcode::Shru: set(ins.rd, static_cast<int64_t>(u(reg(ins.ra)) >> (reg(ins.rb) & 63))); break;
  case Opcode::Blt: if (reg(ins.ra) < reg(ins.rb)) next = pc + ins.imm; break;
  case Opcode::Bge: if (reg(ins.ra) >= reg(ins.rb)) next = pc + ins.imm; break;
  case Opcode::Bne: if (reg(ins.ra) != reg(ins.rb)) next = pc + ins.imm; break;
  case Opcode::Jmp: next = pc + ins.imm; break;
  case Opcode::Pid:
  case Opcode::Nprog:
  case Opcode::Cpid:
    if (ins.imm < 0 || ins.imm > 2)
      fault(tile, pc, "grid axis " + std::to_string(ins.imm) + " (must be 0, 1 or 2)");
    set(ins.rd, ins.opcode == Opcode::Pid    ? tile.pid[ins.imm]
                : ins.opcode == Opcode::Cpid ? tile.cpid[ins.imm]
                                             : grid_[ins.imm]);
    break;
  case Opcode::Cvtf: {
    float f = static_cast<float>(reg(ins.ra));
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    set(ins.rd, static_cast<int64_t>(bits));
    break;
  }
  case Opcode::Div: {
    int64_t divisor = reg(ins.rb);
    if (divisor == 0)
      fault(tile, pc, "integer division by zero");
    int64_t dividend = reg(ins.ra);
    set(ins.rd, divisor == -1 ? wrap(0 - u(dividend)) : dividend / divisor); // INT64_MIN / -1 wraps
    break;
  }
  case Opcode::Ldw: {
    uint64_t address = static_cast<uint64_t>(reg(ins.ra));
    Hbm::Allocation *allocation = hbm_.find(address, 4);
    if (!allocation) {
      std::string msg = "ldw reads HBM [" + std::to_string(address) + ", +4) outside every allocation";
      if (const Hbm::Allocation *near = hbm_.nearest(address))
        msg += " (nearest: '" + near->name + "')";
      fault(tile, pc, msg);
    }
    int32_t word = 0; // timing-only runs hold no data: loads read zero
    if (!allocation->storage.empty())
      std::memcpy(&word, allocation->storage.data() + (address - allocation->base), 4);
    set(ins.rd, word);
    stats_.hbm_bytes_read += 4;
    tile.pc = next;
    tile.ready = now + spec_.dma_latency_cycles; // a synchronous read
    return;
  }
  case Opcode::Arg:
    if (ins.imm < 0 || static_cast<size_t>(ins.imm) >= args_.size())
      fault(tile, pc, "argument " + std::to_string(ins.imm) + " of " + std::to_string(args_.size()));
    set(ins.rd, args_[ins.imm]);
    break;
  case Opcode::Wait:
  case Opcode::Signal: {
    if (ins.sem >= spec_.semaphores)
      fault(tile, pc, "semaphore s" + std::to_string(ins.sem) + " does not exist (the tile has " +
                          std::to_string(spec_.semaphores) + ")");
    if (ins.imm < 0)
      fault(tile, pc, "a semaphore count cannot be negative (" + std::to_string(ins.imm) + ")");
    int64_t count = ins.imm == 0 ? 1 : ins.imm;
    if (ins.opcode == Opcode::Signal) {
      tile.sem[ins.sem] += count;
      join(tile.sem_clock[ins.sem], tile.tcp_clock);
      tile.tcp_clock[tile.agent(0)]++;
      break;
    }
    if (tile.sem[ins.sem] < count) {
      tile.status = Status::WaitSem;
      tile.wait_sem = ins.sem;
      tile.wait_count = static_cast<int>(count);
      --stats_.instructions; // counted when it retires
      return;                // retried when the semaphore is signalled
    }
    tile.sem[ins.sem] -= count;
    join(tile.tcp_clock, tile.sem_clock[ins.sem]);
    tile.status = Status::Running;
    break;
  }
  case Opcode::Cbar:
    tile.pc = next;
    arrive_at_barrier(tile, now);
    return;
  default: {
    const OpcodeInfo *info = opcode_info(ins.opcode);
    if (!info || info->unit == Unit::Tcp)
      fault(tile, pc, "unknown instruction");
    int u = unit_index(info->unit);
    UnitState &unit = tile.units[u];
    if (static_cast<int>(unit.queue.size()) >= spec_.queue_depth) {
      tile.status = Status::QueueFull;
      tile.blocked_unit = u;
      --stats_.instructions; // counted when it retires
      return;                // retried when the unit takes the next command
    }
    if (ins.sem >= spec_.semaphores)
      fault(tile, pc, "semaphore s" + std::to_string(ins.sem) + " does not exist");
    Command cmd;
    cmd.ins = ins;
    cmd.pc = pc;
    cmd.ops = {static_cast<uint64_t>(reg(ins.rd)), static_cast<uint64_t>(reg(ins.ra)),
               static_cast<uint64_t>(reg(ins.rb)), static_cast<uint64_t>(reg(ins.rc)),
               static_cast<uint64_t>(reg(ins.re)), ins.imm};
    try {
      cmd.plan = plan_command(ins, cmd.ops, spec_, hbm_);
    } catch (const Fault &f) {
      fault(tile, pc, f.what());
    }
    // The unit runs its commands in order, each after what the TCP did before issuing.
    join(unit.clock, tile.tcp_clock);
    unit.clock[tile.agent(u + 1)]++;
    cmd.clock = unit.clock;
    unit.issued_pcs.push_back(pc);
    tile.tcp_clock[tile.agent(0)]++;
    unit.queue.push_back(std::move(cmd));
    tile.status = Status::Running;
    break;
  }
  }
  tile.pc = next;
}

std::string Run::describe_agent(int tile_index, int local_agent, uint32_t clock) const {
  const TileState &t = tiles_[tile_index];
  if (local_agent == 0)
    return "the control processor";
  const UnitState &o = t.units[local_agent - 1];
  int pc = clock >= 1 && clock <= o.issued_pcs.size() ? o.issued_pcs[clock - 1] : -1;
  std::string text = std::string(unit_name(local_agent - 1)) + " command at pc " + std::to_string(pc);
  if (pc >= 0)
    text += " `" + disassemble(program_.code[pc]) + "`";
  return text;
}

void Run::race_fault(const TileState &tile, int pc, const char *memory, bool write, const Conflict &conflict,
                     const std::string &other, const char *remedy) const {
  uint64_t g = conflict.granule * RaceDetector::kGranule;
  fault(tile, pc,
        std::string("race: ") + (write ? "writes " : "reads ") + memory + " [" + std::to_string(g) + ", " +
            std::to_string(g + RaceDetector::kGranule) + ") which the " + other + " " +
            (conflict.earlier_was_write ? "writes" : "reads") + ", and " + remedy);
}

void Run::start_command(TileState &tile, int u, double now) {
  UnitState &unit = tile.units[u];
  Command &cmd = unit.queue.front();
  if (tile.races) {
    for (const TsramRange &r : cmd.plan.tsram) {
      auto conflict = tile.races->access(r.begin, r.end, r.write, tile.agent(u + 1), cmd.clock);
      if (!conflict)
        continue;
      race_fault(tile, cmd.pc, "TSRAM", r.write, *conflict,
                 describe_agent(tile.index, conflict->agent % kTileAgents, conflict->clock),
                 "no semaphore wait orders the two (a missing `wait`?)");
    }
  }
  if (options_.check_races && !cmd.plan.csram.empty()) {
    ClusterState &cluster = clusters_[tile.cluster];
    if (!cluster.races)
      cluster.races = std::make_unique<RaceDetector>(spec_.csram_bytes, 0, spec_.tiles_per_cluster * kTileAgents);
    for (const TsramRange &r : cmd.plan.csram) {
      auto conflict = cluster.races->access(r.begin, r.end, r.write, tile.agent(u + 1), cmd.clock);
      if (!conflict)
        continue;
      int otherTile = tile.cluster * spec_.tiles_per_cluster + conflict->agent / kTileAgents;
      race_fault(tile, cmd.pc, "CSRAM", r.write, *conflict,
                 describe_agent(otherTile, conflict->agent % kTileAgents, conflict->clock) + " of tile " +
                     std::to_string(otherTile),
                 "no cluster barrier (after a wait for it) orders the two");
    }
  }
  unit.busy = true;
  unit.start = now;
  if (u == unit_index(Unit::Dma)) {
    unit.remaining = static_cast<double>(cmd.plan.dma_bytes);
    unit.hbm = cmd.plan.uses_hbm;
    unit.latency_end = now + (unit.hbm ? spec_.dma_latency_cycles : spec_.csram_latency_cycles);
    unit.end = kNever;
  } else {
    unit.end = now + cmd.plan.cycles;
  }
}

void Run::arrive_at_barrier(TileState &tile, double now) {
  // The group: the programs dealt to one cluster together (tile = program mod the
  // tiles in use, a multiple of the cluster size, so a group never spans clusters).
  const uint64_t perCluster = static_cast<uint64_t>(spec_.tiles_per_cluster);
  uint64_t group = tile.program / perCluster;
  int size = static_cast<int>(std::min<uint64_t>(perCluster, total_programs_ - group * perCluster));
  BarrierGroup &g = barriers_[group];
  join(g.clock, tile.tcp_clock);
  g.waiting.push_back(tile.index);
  if (++g.arrived < size) {
    tile.status = Status::Barrier;
    return;
  }
  BarrierGroup done = std::move(g);
  barriers_.erase(group);
  ++stats_.barriers;
  for (int index : done.waiting) {
    TileState &t = tiles_[index];
    join(t.tcp_clock, done.clock);
    t.tcp_clock[t.agent(0)]++;
    t.status = Status::Running;
    t.ready = now + 1;
  }
}

void Run::debug_command(const TileState &tile, const Command &cmd) {
  const int64_t site = static_cast<int64_t>(cmd.ops.b);
  const std::array<int64_t, 3> program = {tile.pid[0], tile.pid[1], tile.pid[2]};
  const uint8_t *data = tile.tsram.data() + cmd.ops.a;
  if (cmd.ins.opcode == Opcode::DbgPrint) {
    DebugPrint print{site, program, false, {}, {}};
    const ElemType type = static_cast<ElemType>(cmd.ins.imm);
    print.floating = elem_is_float(type);
    for (uint64_t i = 0; i < cmd.ops.c; ++i) {
      if (print.floating)
        print.reals.push_back(element_float(data, i, type));
      else
        print.integers.push_back(element_int(data, i, type));
    }
    stats_.prints.push_back(std::move(print));
    return;
  }
  for (uint64_t i = 0; i < cmd.ops.c; ++i) {
    if (data[i] != 0)
      continue;
    const bool named = site >= 0 && static_cast<size_t>(site) < options_.debug_sites.size();
    throw Error(ErrorCode::AssertionFailed,
                "kernel '" + options_.kernel_name + "': " +
                    (named ? options_.debug_sites[site] : "assertion at debug site " + std::to_string(site)) +
                    " failed in program (" + std::to_string(program[0]) + "," + std::to_string(program[1]) + "," +
                    std::to_string(program[2]) + ") at element " + std::to_string(i) + " (" +
                    describe(tile, cmd.pc) + ")");
  }
}

void Run::complete_command(TileState &tile, int u, double now) {
  UnitState &unit = tile.units[u];
  Command cmd = std::move(unit.queue.front());
  unit.queue.pop_front();
  unit.busy = false;
  unit.end = kNever;
  if (options_.functional) {
    uint8_t *csram = nullptr;
    if (!cmd.plan.csram.empty()) {
      ClusterState &cluster = clusters_[tile.cluster];
      if (cluster.csram.empty())
        cluster.csram.assign(spec_.csram_bytes, 0);
      csram = cluster.csram.data();
    }
    if (cmd.ins.opcode == Opcode::DbgPrint || cmd.ins.opcode == Opcode::DbgAssert) {
      debug_command(tile, cmd);
    } else {
      try {
        execute_command(cmd.ins, cmd.ops, tile.tsram.data(), csram, hbm_);
      } catch (const Fault &f) { // a fault of the data (an integer division by zero)
        fault(tile, cmd.pc, f.what());
      }
    }
  }
  UnitStats &s = u == 0 ? stats_.dma : u == 1 ? stats_.ttu : stats_.tvp;
  s.busy_cycles += now - unit.start;
  s.commands++;
  stats_.hbm_bytes_read += cmd.plan.hbm_read;
  stats_.hbm_bytes_written += cmd.plan.hbm_written;
  if (u == unit_index(Unit::Dma) && !cmd.plan.csram.empty())
    stats_.csram_bytes += cmd.plan.dma_bytes;
  stats_.macs += cmd.plan.macs;
  if (options_.record_trace)
    trace_.push_back({tile.index, static_cast<Unit>(u + 1), std::string(opcode_info(cmd.ins.opcode)->mnemonic),
                      unit.start, now});
  if (cmd.ins.sem != 0) {
    tile.sem[cmd.ins.sem]++;
    join(tile.sem_clock[cmd.ins.sem], cmd.clock);
    if (tile.status == Status::WaitSem && tile.wait_sem == cmd.ins.sem) {
      tile.status = Status::Running;
      tile.ready = now;
    }
  }
  if (tile.status == Status::QueueFull && tile.blocked_unit == u) {
    tile.status = Status::Running;
    tile.ready = now;
  }
}

std::vector<double> Run::dma_rates(double at) const {
  // Transfers past their latency share their memory's bandwidth equally (HBM across the
  // chip, CSRAM within a cluster), each capped at its engine's peak.
  int hbmStreaming = 0;
  std::vector<int> csramStreaming(clusters_.size(), 0);
  auto streaming = [&](const UnitState &d) { return d.busy && d.latency_end <= at + kEpsilon; };
  for (const TileState &t : tiles_)
    if (streaming(t.units[0]))
      (t.units[0].hbm ? hbmStreaming : csramStreaming[t.cluster])++;
  std::vector<double> rates(tiles_.size(), 0.0);
  for (size_t i = 0; i < tiles_.size(); ++i) {
    const UnitState &d = tiles_[i].units[0];
    if (!streaming(d))
      continue;
    double share = d.hbm ? spec_.hbm_bytes_per_cycle() / hbmStreaming
                         : spec_.csram_bytes_per_cycle / csramStreaming[tiles_[i].cluster];
    rates[i] = std::min(spec_.dma_bytes_per_cycle, share);
  }
  return rates;
}

void Run::advance_dma(double from, double to) {
  if (to <= from)
    return;
  // The set of streaming transfers cannot change inside (from, to): every latency end
  // and completion is an event.
  std::vector<double> rates = dma_rates(from);
  for (size_t i = 0; i < tiles_.size(); ++i) {
    UnitState &d = tiles_[i].units[0];
    if (rates[i] > 0)
      d.remaining = std::max(0.0, d.remaining - rates[i] * (to - from));
  }
}

SimStats Run::go() {
  total_programs_ = program_.grid_mapping == GridMapping::ClusterSquares
                       ? static_cast<uint64_t>(4 * ((grid_[0] + 1) / 2) * ((grid_[1] + 1) / 2))
                       : static_cast<uint64_t>(grid_[0] * grid_[1] * grid_[2]);
  int numTiles = static_cast<int>(std::min<uint64_t>(spec_.tiles(), total_programs_));
  tiles_.resize(numTiles);
  stats_.tiles_used = numTiles;
  clusters_.resize(spec_.clusters);
  for (int i = 0; i < numTiles; ++i) {
    TileState &t = tiles_[i];
    t.index = i;
    t.cluster = i / spec_.tiles_per_cluster;
    t.lane = i % spec_.tiles_per_cluster;
    if (options_.functional)
      t.tsram.assign(spec_.tsram_bytes, 0);
    if (options_.check_races)
      t.races = std::make_unique<RaceDetector>(spec_.tsram_bytes, t.agent(0), kTileAgents);
    start_program(t, static_cast<uint64_t>(i), 0.0);
  }
  double now = 0;
  for (;;) {
    // Start queued commands on idle units.
    for (TileState &t : tiles_)
      for (int u = 0; u < kUnits; ++u)
        if (!t.units[u].busy && !t.units[u].queue.empty())
          start_command(t, u, now);
    // Finish drained programs and start the tile's next one.
    for (TileState &t : tiles_) {
      if (t.status != Status::Draining)
        continue;
      bool idle = true;
      for (UnitState &u : t.units)
        idle = idle && !u.busy && u.queue.empty();
      if (!idle)
        continue;
      if (options_.record_trace)
        trace_.push_back({t.index, Unit::Tcp, "program " + std::to_string(t.program), t.program_start, now});
      uint64_t next = t.program + static_cast<uint64_t>(tiles_.size());
      if (next < total_programs_)
        start_program(t, next, now);
      else
        t.status = Status::Idle;
    }
    // The next event.
    std::vector<double> rates = dma_rates(now);
    double next = kNever;
    bool anyLive = false;
    for (size_t i = 0; i < tiles_.size(); ++i) {
      UnitState &d = tiles_[i].units[0];
      // Far into a long run, remaining / rate can vanish below the resolution of `now`:
      // such a transfer is done now (otherwise time would never advance).
      if (rates[i] > 0 && now + d.remaining / rates[i] <= now)
        d.remaining = 0;
    }
    for (size_t i = 0; i < tiles_.size(); ++i) {
      const TileState &t = tiles_[i];
      if (t.status != Status::Idle)
        anyLive = true;
      if (t.status == Status::Running)
        next = std::min(next, t.ready);
      for (int u = 1; u < kUnits; ++u)
        if (t.units[u].busy)
          next = std::min(next, t.units[u].end);
      const UnitState &d = t.units[0];
      if (d.busy)
        next = std::min(next, d.latency_end > now + kEpsilon ? d.latency_end : now + d.remaining / rates[i]);
    }
    if (!anyLive)
      break;
    if (next == kNever) {
      for (const TileState &t : tiles_)
        if (t.status == Status::WaitSem)
          fault(t, t.pc, "deadlock: waits for semaphore s" + std::to_string(t.wait_sem) + " to reach " +
                             std::to_string(t.wait_count) + " (it holds " + std::to_string(t.sem[t.wait_sem]) +
                             ") and nothing left to run will signal it");
      for (const TileState &t : tiles_)
        if (t.status == Status::Barrier) {
          const BarrierGroup &g = barriers_.at(t.program / static_cast<uint64_t>(spec_.tiles_per_cluster));
          fault(t, t.pc - 1, "deadlock: waits at the cluster barrier with " + std::to_string(g.arrived) +
                                 " tile(s) of its group arrived; the others ended their programs or wait "
                                 "elsewhere");
        }
      throw Error(ErrorCode::DeviceFault, "deadlock: no tile can make progress");
    }
    if (next > options_.max_cycles)
      throw Error(ErrorCode::DeviceFault, "the program ran past " + std::to_string(options_.max_cycles) +
                                              " cycles (an endless loop?)");
    advance_dma(now, next);
    now = next;
    // Completions first, so that a wait at this instant sees their signals.
    for (TileState &t : tiles_) {
      UnitState &d = t.units[0];
      if (d.busy && d.latency_end <= now + kEpsilon && d.remaining <= 1e-3)
        complete_command(t, 0, now);
      for (int u = 1; u < kUnits; ++u)
        if (t.units[u].busy && t.units[u].end <= now + kEpsilon)
          complete_command(t, u, now);
    }
    for (TileState &t : tiles_)
      if (t.status == Status::Running && t.ready <= now + kEpsilon)
        step(t, now);
  }
  stats_.cycles = now;
  return stats_;
}

} // namespace

Simulator::Simulator(MachineSpec spec) : spec_(std::move(spec)), hbm_(spec_.hbm_bytes) {}
Simulator::~Simulator() = default;

SimStats Simulator::run(const Program &program, const std::array<int64_t, 3> &grid, const std::vector<int64_t> &args,
                        const SimOptions &options) {
  for (int d = 0; d < 3; ++d)
    if (grid[d] < 1)
      throw Error(ErrorCode::InvalidGrid, "grid dimension " + std::to_string(d) + " is " + std::to_string(grid[d]));
  if (program.code.empty())
    throw Error(ErrorCode::InvalidArgument, "empty program");
  trace_.clear();
  if (program.grid_mapping == GridMapping::ClusterSquares) {
    if (spec_.tiles_per_cluster != 4)
      throw Error(ErrorCode::InvalidArgument,
                  "the program shares operands in clusters of 4 tiles; this machine has " +
                      std::to_string(spec_.tiles_per_cluster) + " tiles per cluster");
    if (grid[2] != 1)
      throw Error(ErrorCode::InvalidGrid, "the program deals a 2-D grid in 2x2 squares; grid dimension 2 is " +
                                              std::to_string(grid[2]) + " (must be 1)");
  }
  Run run(spec_, hbm_, program, grid, args, options, trace_);
  return run.go();
}

} // namespace tegula::maia
