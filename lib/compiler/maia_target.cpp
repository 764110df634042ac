#include "tegula/compiler/maia.h"

#include "backends/maia/target/EmitProgram.h"
#include "pipeline.h"

namespace tegula {

maia::Program emit_maia_program(const std::string &mlir_text, const std::string &source_name) {
  auto context = compiler::make_context();
  auto module = compiler::parse_module(*context, mlir_text, source_name);
  return maia::emit_program(*module);
}

} // namespace tegula
