#include "backends/gpu/Conversion/TileToGPU/Passes.h"

namespace tegula::gpu {
void registerTileToGpuPasses() { registerTegulaTileToGpuPasses(); }
} // namespace tegula::gpu
