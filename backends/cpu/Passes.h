// Passes of the CPU backend.
#ifndef TEGULA_BACKENDS_CPU_PASSES_H
#define TEGULA_BACKENDS_CPU_PASSES_H

#include "mlir/Pass/Pass.h"

namespace tegula::cpu {
#define GEN_PASS_DECL
#include "backends/cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "backends/cpu/Passes.h.inc"

/// Name of the runtime function a bounds-checked kernel calls before each access:
/// `i1 (i64 address, i64 bytes, i32 site)`; false means "skip, it was reported".
inline constexpr llvm::StringLiteral kCheckAccessFn = "tegula_cpu_check_access";
/// Runtime functions behind tile.print (site, element index or -1, value) and
/// tile.assert (site, element index of the failing lane).
inline constexpr llvm::StringLiteral kPrintFloatFn = "tegula_cpu_print_f64";
inline constexpr llvm::StringLiteral kPrintIntFn = "tegula_cpu_print_i64";
inline constexpr llvm::StringLiteral kAssertFailFn = "tegula_cpu_assert_fail";
/// Attribute on a lowered module listing access sites ("tile.load at file:line:col").
inline constexpr llvm::StringLiteral kSitesAttr = "tegula.access_sites";
} // namespace tegula::cpu

#endif
