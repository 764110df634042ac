// maia-dialect text -> ISA program, for `tegula maia emit` and tests.
#include "tegula/maia/emit.h"

#include "backends/maia/target/EmitProgram.h"
#include "tegula/compiler/target_backend.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

namespace tegula {

maia::Program emit_maia_program(const std::string &mlir_text, const std::string &source_name) {
  auto context = compiler::make_context();
  auto module = compiler::parse_module(*context, mlir_text, source_name);
  return maia::emit_program(*module);
}

} // namespace tegula
