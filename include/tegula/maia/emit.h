// The maia target's back end, reachable without MLIR headers: maia-dialect text in,
// ISA program out (part of the compiler library, which holds every target).
#ifndef TEGULA_MAIA_EMIT_H
#define TEGULA_MAIA_EMIT_H

#include "tegula/maia/isa.h"

#include <string>

namespace tegula {

/// Parses a module in the maia dialect and emits its kernel as a program. Throws
/// Error(CompileError) with the parser's or the emitter's message.
/// `source_name` names the text in locations (a file name).
maia::Program emit_maia_program(const std::string &mlir_text, const std::string &source_name = "");

} // namespace tegula

#endif
