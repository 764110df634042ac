#include "tegula/compiler/Registration.h"

#include "backends/cpu/Passes.h"
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void tegula::registerAllDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<tegula::tile::TileDialect>();
}

void tegula::registerAllPasses() {
  mlir::registerAllPasses();
  tegula::cpu::registerTegulaCpuPasses();
}
