// mlir-opt style driver with every Tegula dialect and pass registered, next to the
// upstream ones the pipelines use.
#include "tegula/compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tegula::registerAllDialects(registry);
  tegula::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Tegula optimizer driver\n", registry));
}
