// What the GPU lowering adds to the dialects and passes a Tegula context knows.
#include "backends/gpu/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

namespace tegula::gpu {

void registerGpuDialects(mlir::DialectRegistry &registry) { registry.insert<ir::TGPUDialect>(); }

void registerGpuPasses() { registerTegulaGpuPasses(); }

} // namespace tegula::gpu
