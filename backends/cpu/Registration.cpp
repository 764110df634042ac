// What the cpu backend adds to the registry of passes that textual pipelines name.
#include "backends/cpu/Passes.h"
#include "backends/cpu/Pipeline.h"

namespace tegula::cpu {

void registerCpuPasses() {
  registerTegulaCpuPasses();
  registerCpuPipeline();
}

} // namespace tegula::cpu
