// The CPU target's pipeline, in one place: named stages of textual pass lists. The
// driver runs them stage by stage (printing each stage's IR on request); tegula-opt
// exposes the whole list as -tegula-cpu-pipeline so lit tests run exactly the same.
#ifndef TEGULA_BACKENDS_CPU_PIPELINE_H
#define TEGULA_BACKENDS_CPU_PIPELINE_H

#include <string>
#include <utility>
#include <vector>

namespace tegula::cpu {

struct PipelineStage {
  std::string name;
  std::string passes;
};

std::vector<PipelineStage> pipelineStages(bool boundsCheck);

/// Registers -tegula-cpu-pipeline (option: bounds-check).
void registerCpuPipeline();

} // namespace tegula::cpu

#endif
