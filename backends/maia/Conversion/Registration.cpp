// What the maia backend adds to the dialects and passes a Tegula context knows.
#include "backends/maia/Conversion/Passes.h"
#include "dialects/maia/IR/MaiaDialect.h"

#include "mlir/IR/DialectRegistry.h"

namespace tegula::maia {

void registerMaiaDialects(mlir::DialectRegistry &registry) { registry.insert<ir::MaiaDialect>(); }

void registerMaiaPasses() { registerTegulaMaiaPasses(); }

} // namespace tegula::maia
