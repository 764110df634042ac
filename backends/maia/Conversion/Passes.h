// Passes of the maia backend.
#ifndef TEGULA_BACKENDS_MAIA_CONVERSION_PASSES_H
#define TEGULA_BACKENDS_MAIA_CONVERSION_PASSES_H

#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace tegula::maia {
#define GEN_PASS_DECL
#include "backends/maia/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "backends/maia/Conversion/Passes.h.inc"
} // namespace tegula::maia

#endif
