// What each unit command touches, how long it takes, and what it computes. The
// simulator checks and times a command when it starts and applies it when it ends.
#ifndef TEGULA_BACKENDS_MAIA_SIM_COMMANDS_H
#define TEGULA_BACKENDS_MAIA_SIM_COMMANDS_H

#include "tegula/maia/isa.h"
#include "tegula/maia/machine.h"
#include "tegula/maia/simulator.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tegula::maia::sim {

/// Register values captured when the control processor issued the command (later
/// writes to the registers must not change a queued command).
struct Operands {
  uint64_t d = 0, a = 0, b = 0, c = 0, e = 0;
  int64_t imm = 0;
};

struct TsramRange {
  uint64_t begin = 0, end = 0;
  bool write = false;
};

struct CommandPlan {
  std::vector<TsramRange> tsram;
  std::vector<TsramRange> csram; ///< offsets into the cluster's SRAM
  bool uses_hbm = false;         ///< DMA: timed against HBM (else against the cluster's CSRAM)
  uint64_t hbm_read = 0, hbm_written = 0;
  uint64_t dma_bytes = 0; ///< DMA: bytes moved (timed by the shared-bandwidth model)
  double cycles = 0;      ///< TTU/TVP: duration
  uint64_t macs = 0;
};

/// A command the machine refuses; the simulator adds the instruction and tile.
struct Fault : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A dense TSRAM range, checked against the tile's SRAM size (a Fault naming `what`).
TsramRange tsram_range(uint64_t begin, uint64_t bytes, bool write, const MachineSpec &spec, const char *what);

/// Checks the command against TSRAM, CSRAM and HBM and works out its accesses and cost.
CommandPlan plan_command(const Instruction &ins, const Operands &ops, const MachineSpec &spec, Hbm &hbm);

/// The typed vector unit's commands (vt.*, typed_vector.cpp).
bool is_typed_vector(Opcode op);
CommandPlan plan_typed_vector(const Instruction &ins, const Operands &ops, const MachineSpec &spec);
void execute_typed_vector(const Instruction &ins, const Operands &ops, uint8_t *tsram);

/// The DMA atomics (dma.add, dma.max, dma.min, dma.xchg, typed_vector.cpp).
bool is_dma_atomic(Opcode op);
CommandPlan plan_dma_atomic(const Instruction &ins, const Operands &ops, const MachineSpec &spec, Hbm &hbm);
void execute_dma_atomic(const Instruction &ins, const Operands &ops, uint8_t *tsram, Hbm &hbm);
/// An element of a typed array as a double (floats) or an integer (sign- or
/// zero-extended), for the debug commands (typed_vector.cpp).
double element_float(const uint8_t *base, uint64_t index, ElemType type);
int64_t element_int(const uint8_t *base, uint64_t index, ElemType type);

/// The indexed DMAs (dma.gather, dma.scatter, dma.add.x ... dma.cas.x, typed_vector.cpp).
bool is_indexed_dma(Opcode op);
CommandPlan plan_indexed_dma(const Instruction &ins, const Operands &ops, const MachineSpec &spec);
void execute_indexed_dma(const Instruction &ins, const Operands &ops, uint8_t *tsram, Hbm &hbm);

/// Applies the command to TSRAM, the cluster's CSRAM and HBM (functional runs only).
void execute_command(const Instruction &ins, const Operands &ops, uint8_t *tsram, uint8_t *csram, Hbm &hbm);

} // namespace tegula::maia::sim

#endif
