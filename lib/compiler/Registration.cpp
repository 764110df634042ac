#include "tegula/compiler/Registration.h"

#include "backends/cpu/Passes.h"
#include "backends/cpu/Pipeline.h"
#include "backends/maia/Conversion/Passes.h"
#include "dialects/tile/Analysis/TestAxisInfo.h"
#include "dialects/maia/IR/MaiaDialect.h"
#include "dialects/tile/IR/TileDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void tegula::registerAllDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<tegula::tile::TileDialect, tegula::maia::ir::MaiaDialect>();
}

void tegula::registerAllPasses() {
  mlir::registerAllPasses();
  tegula::tile::registerTestAxisInfoPass();
  tegula::cpu::registerTegulaCpuPasses();
  tegula::cpu::registerCpuPipeline();
  tegula::maia::registerTegulaMaiaPasses();
}
